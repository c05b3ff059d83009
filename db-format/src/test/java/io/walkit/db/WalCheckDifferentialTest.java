package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integrity verdict through a WAL equals SQLite's: WAL-mode databases (autocheckpoint off,
 * copied with their -wal while the connection is open) are damaged in the database file or in the
 * WAL, then walkit checks the view as of the last valid commit and SQLite runs
 * {@code PRAGMA integrity_check} on a copy of the pair.
 */
class WalCheckDifferentialTest {

    @Test
    void damagedWalPairsGetSqlitesVerdict(@TempDir Path dir) throws Exception {
        List<String> mismatches = new ArrayList<>();
        int cases = 0;
        int notOk = 0;
        for (long seed : DifferentialReadTest.seeds(Integer.getInteger("walkit.walcheck.count", 3))) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Path live = dir.resolve("live" + seed + ".db");
            byte[] db;
            byte[] wal;
            try (Connection c = Sqlite.open(live); Statement s = c.createStatement()) {
                s.execute("PRAGMA page_size=1024");
                s.execute("CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT, n INT)");
                s.execute("CREATE INDEX av ON a(v)");
                s.execute("INSERT INTO a(v, n) SELECT 'seed' || i, i FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i<60) SELECT i FROM r)");
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA wal_autocheckpoint=0");
                for (int k = 0; k < 12; k++) {
                    s.execute("INSERT INTO a(v, n) VALUES('" + "w".repeat(rnd.nextInt(3000)) + "', " + k + ")");
                    s.execute("DELETE FROM a WHERE n = " + rnd.nextInt(60));
                }
                db = Files.readAllBytes(live);
                wal = Files.readAllBytes(dir.resolve("live" + seed + ".db-wal"));
            }
            assertTrue(wal.length > 32 + 24 * 1024, "the WAL holds frames");
            for (int k = 0; k < 20; k++) {
                byte[] d = db.clone();
                byte[] w = wal.clone();
                String what;
                int pageSize = 1024;
                int frames = (w.length - 32) / (24 + pageSize);
                if (rnd.nextBoolean()) {
                    // A page the WAL does not hold: damage its first bytes in the database file.
                    java.util.Set<Integer> inWal = new java.util.HashSet<>();
                    for (int f = 0; f < frames; f++) {
                        inWal.add((int) HostileInputTest.u32(w, 32 + f * (24 + pageSize)));
                    }
                    List<Integer> candidates = new ArrayList<>();
                    for (int p = 2; p <= d.length / pageSize; p++) {
                        if (!inWal.contains(p)) {
                            candidates.add(p);
                        }
                    }
                    if (candidates.isEmpty()) {
                        continue;
                    }
                    int p = candidates.get(rnd.nextInt(candidates.size()));
                    int off = (p - 1) * pageSize + rnd.nextInt(64);
                    d[off] ^= (byte) (1 << rnd.nextInt(8));
                    what = "db page " + p + " byte " + off;
                } else {
                    // A page image inside the WAL, with the checksum chain recomputed so the frame stays valid.
                    int f = rnd.nextInt(frames);
                    int off = 32 + f * (24 + pageSize) + 24 + rnd.nextInt(64);
                    w[off] ^= (byte) (1 << rnd.nextInt(8));
                    rechain(w, pageSize);
                    what = "wal frame " + (f + 1) + " byte " + off;
                }
                Path cd = dir.resolve("c" + seed + "-" + k + ".db");
                Path cw = dir.resolve("c" + seed + "-" + k + ".db-wal");
                Files.write(cd, d);
                Files.write(cw, w);
                IntegrityCheck.Report r;
                try (PageSource pages = Database.openPages(cd, cw, null)) {
                    r = IntegrityCheck.check(pages, 100);
                } catch (io.walkit.io.CorruptFileException e) {
                    r = IntegrityCheck.Report.unreadable(e);
                }
                // SQLite second: it recovers, checkpoints and deletes the WAL of this copy on close.
                List<String> sqlite = Sqlite.integrityCheck(cd);
                cases++;
                if (!sqlite.equals(List.of("ok"))) {
                    notOk++;
                }
                if (sqlite.equals(List.of("ok")) != r.ok()) {
                    mismatches.add("seed " + seed + " " + what + ": sqlite " + sqlite + " walkit " + r.problems());
                }
            }
        }
        System.out.println("WAL pair damage cases: " + cases + ", SQLite not ok: " + notOk + ", verdict mismatches: " + mismatches.size());
        assertTrue(notOk > 0, "some damage is visible to SQLite");
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /** Recomputes every frame's cumulative checksum (frames must already carry the right salts). */
    static void rechain(byte[] w, int pageSize) {
        boolean big = (w[3] & 1) == 1;
        long seed = io.walkit.wal.WalChecksum.pack((int) HostileInputTest.u32(w, 24), (int) HostileInputTest.u32(w, 28));
        var seg = java.lang.foreign.MemorySegment.ofArray(w);
        for (int off = 32; off + 24 + pageSize <= w.length; off += 24 + pageSize) {
            io.walkit.wal.WalFrameHeader h = io.walkit.wal.WalFrameHeader.read(seg, off);
            seed = io.walkit.wal.WalFrame.encodeHeader(seg, off, pageSize, h.pageNumber(), h.commitSize(), h.salt1(),
                    h.salt2(), big, seed);
        }
    }
}
