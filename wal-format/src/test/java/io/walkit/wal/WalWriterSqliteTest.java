package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Seeds;
import io.walkit.testkit.Sqlite;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WALs written by {@link WalWriter} in both checksum orders, placed next to a real database, are
 * read by SQLite as exactly the committed content; a torn final transaction and the stale frames of
 * an earlier generation are ignored by SQLite and by walkit alike.
 */
class WalWriterSqliteTest {

    @TempDir
    Path tmp;

    /** A base db (everything checkpointed) plus a SQLite-written WAL of later transactions. */
    private record Setup(Path base, byte[] sqliteWal, String script) {}

    private Setup setup(int pageSize, long seed) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "base");
        Path db = dir.resolve("s.db");
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder script = new StringBuilder("pageSize " + pageSize + " seed " + seed + ": ");
        try (Connection c = Sqlite.openWal(db, pageSize, 0)) {
            Sqlite.createSchema(c);
            for (int i = 0; i < 4; i++) {
                script.append(Sqlite.randomTransaction(c, r, pageSize)).append(' ');
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            Path base = dir.resolve("base.db");
            Files.copy(db, base);
            script.append("| checkpoint TRUNCATE, base copied | ");
            for (int i = 0; i < 6; i++) {
                script.append(Sqlite.randomTransaction(c, r, pageSize)).append(' ');
            }
            return new Setup(base, Files.readAllBytes(dir.resolve("s.db-wal")), script.toString());
        }
    }

    /** Re-encodes every committed transaction of {@code scan} with {@code w}. */
    private static void copyCommits(WalScan scan, WalWriter w) {
        for (Commit c : scan.commits()) {
            TreeMap<Integer, byte[]> pages = new TreeMap<>();
            for (int f = c.firstFrame(); f <= c.lastFrame(); f++) {
                byte[] img = new byte[scan.pageSize()];
                java.lang.foreign.MemorySegment.copy(scan.pageImage(f), java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                        img, 0, img.length);
                pages.put(scan.frameHeader(f).pageNumber(), img);
            }
            w.commit(pages, c.databaseSize());
        }
    }

    private static TreeMap<Integer, byte[]> garbage(SplittableRandom r, int pageSize, int... pages) {
        TreeMap<Integer, byte[]> m = new TreeMap<>();
        for (int p : pages) {
            byte[] b = new byte[pageSize];
            r.nextBytes(b);
            m.put(p, b);
        }
        return m;
    }

    @Test
    void sqliteReadsExactlyTheCommittedContentOfWalWriterWals() throws Exception {
        long[] seeds = Seeds.get(5);
        for (int pageSize : new int[] {512, 4096, 65536}) {
            for (long seed : seeds) {
                Setup s = setup(pageSize, seed + pageSize);
                WalScan original = WalScanner.scan(ByteSource.of(s.sqliteWal(), "sqlite-wal"));
                Sqlite.Recovered expected = Sqlite.recover(s.base(), s.sqliteWal(), tmp);
                assertEquals(original.mxFrame(), expected.mxFrame(), s.script());
                Sqlite.Recovered baseOnly = Sqlite.recover(s.base(), new byte[0], tmp);
                assertNotEquals(baseOnly.digest(), expected.digest(), "the WAL must change something: " + s.script());

                for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                    SplittableRandom r = new SplittableRandom(seed);
                    String ctx = order + " " + s.script();
                    // 1. Same transactions, re-encoded, plus a torn final transaction of garbage pages.
                    WalWriter w = WalWriter.create(pageSize, order, r);
                    copyCommits(original, w);
                    w.appendUncommitted(garbage(r, pageSize, 1, 2, 3));
                    Path dir = Files.createTempDirectory(tmp, "ww");
                    Path walFile = dir.resolve("x.db-wal");
                    w.writeTo(walFile);
                    byte[] bytes = Files.readAllBytes(walFile);
                    WalScan scan = WalScanner.scan(ByteSource.of(bytes, "written"));
                    assertEquals(original.commitCount(), scan.commitCount(), ctx);
                    assertEquals(3, scan.uncommittedTail(), ctx);
                    Sqlite.Recovered got = Sqlite.recover(s.base(), bytes, tmp);
                    assertEquals(scan.mxFrame(), got.mxFrame(), ctx);
                    assertEquals(expected.digest(), got.digest(), ctx);
                    assertEquals("ok", got.integrity(), ctx);

                    // 2. An earlier generation of committed garbage, a restart, then the real transactions:
                    //    the old generation's surviving frames are stale and must not be applied.
                    WalWriter g = WalWriter.create(pageSize, order, r);
                    for (int i = 0; i < original.mxFrame() + 4; i++) {
                        g.commit(garbage(r, pageSize, 1 + i % 3), 3);
                    }
                    g.restart(r, order);
                    copyCommits(original, g);
                    byte[] restarted = g.toByteArray();
                    WalScan rs = WalScanner.scan(ByteSource.of(restarted, "restarted"));
                    assertEquals(StopReason.SALT_MISMATCH, rs.stopReason(), ctx);
                    assertEquals(4, StaleFrames.find(rs).frameCount(), ctx);
                    Sqlite.Recovered got2 = Sqlite.recover(s.base(), restarted, tmp);
                    assertEquals(rs.mxFrame(), got2.mxFrame(), ctx);
                    assertEquals(expected.digest(), got2.digest(), ctx);
                }
            }
        }
    }
}
