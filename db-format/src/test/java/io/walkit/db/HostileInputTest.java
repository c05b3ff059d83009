package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.io.CorruptFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input: adversarial structures built on purpose (cycles, a child pointing to an
 * ancestor, 65535 cells, an absurd header) get a precise report in bounded time, and seeded
 * mutation properties (every single-byte flip, truncations, splices of generated databases) never
 * raise an unchecked exception or hang. The timeouts only catch hangs; they are not performance
 * assertions.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileInputTest {

    static byte[] small(Path dir, String name, int pageSize, String... sql) throws Exception {
        Path f = dir.resolve(name);
        try (Connection c = Sqlite.open(f); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + pageSize);
            for (String q : sql) {
                s.execute(q);
            }
        }
        return Files.readAllBytes(f);
    }

    static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** Runs everything walkit does with a file: check, schema, every table scanned. */
    static IntegrityCheck.Report exercise(byte[] image) {
        IntegrityCheck.Report report;
        try (FilePageSource src = FilePageSource.of(image, "mutant.db")) {
            report = IntegrityCheck.check(src, 100);
            try (Database db = Database.open(src)) {
                for (SchemaEntry e : db.schema().tables()) {
                    TableReader r = new TableReader(db, e, db.schema().table(e));
                    r.scan((id, v) -> true);
                }
                for (SchemaEntry e : db.schema().indexes()) {
                    db.scanIndex(e.rootPage(), rec -> true);
                }
            } catch (CorruptFileException expected) {
                // the checked exception is an allowed outcome
            }
        } catch (CorruptFileException e) {
            report = IntegrityCheck.Report.unreadable(e);
        }
        return report;
    }

    static IntegrityCheck.Report checkFile(Path dir, byte[] image, List<String> sqliteOut) throws Exception {
        Path f = dir.resolve("adv-" + System.nanoTime() + ".db");
        Files.write(f, image);
        sqliteOut.addAll(Sqlite.integrityCheck(f));
        return exercise(image);
    }

    @Test
    void overflowCycleIsASecondReference(@TempDir Path dir) throws Exception {
        byte[] b = small(dir, "o.db", 512, "CREATE TABLE t(x)", "INSERT INTO t VALUES(zeroblob(3000))");
        // Page 2 is the table leaf; its only cell's overflow chain starts at page 3 and runs 3,4,5,...
        int pc = u16(b, 512 + 8);
        long first = -1;
        for (int p = 3; p <= b.length / 512; p++) {
            if (u32(b, (p - 1) * 512) == p + 1) {
                first = p;
                break;
            }
        }
        assertTrue(first > 0 && pc > 0);
        long firstPage = first;
        // Point the second overflow page back at the first.
        put32(b, (int) first * 512, first);
        List<String> sqlite = new ArrayList<>();
        IntegrityCheck.Report r = checkFile(dir, b, sqlite);
        assertFalse(r.ok());
        assertFalse(sqlite.equals(List.of("ok")));
        assertTrue(r.problems().stream().anyMatch(p -> p.message().equals("2nd reference to page " + firstPage)), r.problems().toString());
        try (FilePageSource src = FilePageSource.of(b, "o.db"); Database db = Database.open(src)) {
            CorruptFileException e = assertThrows(CorruptFileException.class,
                    () -> db.scanTable(2, (id, rec) -> true));
            assertTrue(e.getMessage().contains("overflow"), e.getMessage());
        }
    }

    @Test
    void freelistCycleIsReported(@TempDir Path dir) throws Exception {
        byte[] b = small(dir, "f.db", 512, "CREATE TABLE t(x)", "INSERT INTO t VALUES(zeroblob(5000))", "DELETE FROM t");
        long trunk = u32(b, 32);
        assertTrue(trunk > 0, "the delete left a freelist");
        put32(b, (int) (trunk - 1) * 512, trunk); // the trunk names itself as the next trunk
        List<String> sqlite = new ArrayList<>();
        IntegrityCheck.Report r = checkFile(dir, b, sqlite);
        assertFalse(r.ok());
        assertFalse(sqlite.equals(List.of("ok")));
        assertTrue(r.problems().stream().anyMatch(p -> p.structure().equals("Freelist")
                && p.message().equals("2nd reference to page " + trunk)), r.problems().toString());
    }

    @Test
    void childPointerToAnAncestorIsReported(@TempDir Path dir) throws Exception {
        byte[] b = small(dir, "c.db", 512, "CREATE TABLE t(x)",
                "INSERT INTO t SELECT hex(randomblob(100)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<200) SELECT i FROM n)");
        assertEquals(5, b[512] & 0xFF, "page 2 is a table interior root");
        put32(b, 512 + 8, 2); // right child = the root itself
        List<String> sqlite = new ArrayList<>();
        IntegrityCheck.Report r = checkFile(dir, b, sqlite);
        assertFalse(r.ok());
        assertFalse(sqlite.equals(List.of("ok")));
        assertTrue(r.problems().stream().anyMatch(p -> p.message().equals("2nd reference to page 2")), r.problems().toString());
        try (FilePageSource src = FilePageSource.of(b, "c.db"); Database db = Database.open(src)) {
            assertThrows(CorruptFileException.class, () -> db.scanTable(2, (id, rec) -> true));
        }
    }

    @Test
    void pageClaiming65535CellsIsRejected(@TempDir Path dir) throws Exception {
        byte[] b = small(dir, "k.db", 4096, "CREATE TABLE t(x)", "INSERT INTO t VALUES(1)");
        b[4096 + 3] = (byte) 0xFF;
        b[4096 + 4] = (byte) 0xFF;
        List<String> sqlite = new ArrayList<>();
        IntegrityCheck.Report r = checkFile(dir, b, sqlite);
        assertFalse(sqlite.equals(List.of("ok")));
        assertTrue(r.problems().stream().anyMatch(p -> p.position().pageNumber() == 2 && p.message().startsWith("btreeInitPage() returns error code")),
                r.problems().toString());
    }

    @Test
    void headerWithPageSizeOneAndTwoToTheThirtyOnePagesIsCorrupt(@TempDir Path dir) throws Exception {
        byte[] b = small(dir, "h.db", 65536, "CREATE TABLE t(x)");
        assertEquals(1, u16(b, 16), "64 KiB pages are stored as 1");
        put32(b, 28, 1L << 31);
        System.arraycopy(b, 24, b, 92, 4); // make the size field trusted
        List<String> sqlite = new ArrayList<>();
        IntegrityCheck.Report r = checkFile(dir, b, sqlite);
        assertFalse(sqlite.equals(List.of("ok")));
        assertFalse(r.ok());
        assertTrue(r.problems().get(0).message().contains("database size"), r.problems().toString());
        try (FilePageSource src = FilePageSource.of(b, "h.db")) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> Database.open(src));
            assertEquals(28, e.offset());
        }
    }

    /** Every single-byte change (each byte XOR a seeded non-zero mask) of small generated databases. */
    @Test
    void everySingleByteFlipIsHandled(@TempDir Path dir) throws Exception {
        long[] seeds = DifferentialReadTest.seeds(2);
        int compared = 0;
        List<String> mismatches = new ArrayList<>();
        for (long seed : seeds) {
            byte[] image = small(dir, "m" + seed + ".db", 512,
                    "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL)", "CREATE INDEX tb ON t(b)",
                    "INSERT INTO t(b, c) SELECT hex(randomblob(" + (20 + seed % 50) + ")), 1.5 FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<12) SELECT i FROM n)",
                    "INSERT INTO t(b) VALUES(hex(randomblob(700)))", "DELETE FROM t WHERE a % 5 = 0");
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int off = 0; off < image.length; off++) {
                byte[] m = image.clone();
                int mask = 1 + rnd.nextInt(255);
                m[off] ^= (byte) mask;
                IntegrityCheck.Report r;
                try {
                    r = exercise(m);
                } catch (RuntimeException | StackOverflowError e) {
                    fail("seed " + seed + ": byte " + off + " ^ 0x" + Integer.toHexString(mask) + " raised " + e, e);
                    return;
                }
                if (off % 16 == (int) (seed % 16)) {
                    Path f = dir.resolve("flip.db");
                    Files.write(f, m);
                    boolean sqliteOk = Sqlite.integrityOk(f);
                    compared++;
                    if (sqliteOk != r.ok()) {
                        mismatches.add("seed " + seed + " byte " + off + " ^ 0x" + Integer.toHexString(mask) + ": sqlite "
                                + Sqlite.integrityCheck(f) + " walkit " + r.problems());
                    }
                }
            }
        }
        System.out.println("single-byte flips: verdict compared with SQLite on " + compared + ", mismatches " + mismatches.size());
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    @Test
    void truncationsAndSplicesAreHandled(@TempDir Path dir) throws Exception {
        for (long seed : DifferentialReadTest.seeds(3)) {
            Path f = dir.resolve("s" + seed + ".db");
            new DbGen(seed).build(f, 40);
            byte[] image = Files.readAllBytes(f);
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int k = 0; k < 60; k++) {
                byte[] m;
                String what;
                if (k % 2 == 0) {
                    int len = rnd.nextInt(image.length + 1);
                    m = java.util.Arrays.copyOf(image, len);
                    what = "truncate to " + len;
                } else {
                    // Splice: copy a random run of the file over another place.
                    m = image.clone();
                    int len = 1 + rnd.nextInt(Math.min(4096, image.length));
                    int from = rnd.nextInt(image.length - len + 1);
                    int to = rnd.nextInt(image.length - len + 1);
                    System.arraycopy(image, from, m, to, len);
                    what = "splice " + len + " bytes from " + from + " to " + to;
                }
                try {
                    exercise(m);
                } catch (RuntimeException | StackOverflowError e) {
                    fail("seed " + seed + ": " + what + " raised " + e, e);
                }
            }
        }
    }

    /** About every fourth byte of testdata/wal/sample.db-wal flipped (seeded): reading through the damaged WAL as of every commit. */
    @Test
    void everyWalByteFlipIsHandled() throws Exception {
        Path dir = WalViewTest.projectRoot().resolve("testdata/wal");
        byte[] db = Files.readAllBytes(dir.resolve("sample.db"));
        byte[] wal = Files.readAllBytes(dir.resolve("sample.db-wal"));
        SplittableRandom rnd = new SplittableRandom(11);
        for (int off = 0; off < wal.length; off += 1 + rnd.nextInt(7)) {
            byte[] m = wal.clone();
            m[off] ^= (byte) (1 + rnd.nextInt(255));
            var scan = io.walkit.wal.WalScanner.scan(io.walkit.io.ByteSource.of(m, "sample.db-wal"));
            for (int commit = 0; commit <= scan.commitCount(); commit++) {
                try (FilePageSource file = FilePageSource.of(db, "sample.db")) {
                    WalPageSource view = new WalPageSource(file, scan, commit);
                    IntegrityCheck.check(view, 100);
                    try (Database d = Database.open(view)) {
                        for (SchemaEntry e : d.schema().tables()) {
                            new TableReader(d, e, d.schema().table(e)).scan((id, v) -> true);
                        }
                    } catch (CorruptFileException expected) {
                        // allowed
                    }
                } catch (CorruptFileException expected) {
                    // allowed
                } catch (RuntimeException e) {
                    fail("WAL byte " + off + " flipped, commit " + commit + ": " + e, e);
                }
            }
        }
    }
}
