package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Corrupt;
import io.walkit.testkit.Seeds;
import io.walkit.testkit.Sqlite;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * walkit's reading of WALs equals real SQLite's (sqlite-jdbc, bundled SQLite 3.50.x): the valid
 * frame count (SQLite's recovered mxFrame), the commits, the -shm SQLite writes, and the stale
 * frames a restart leaves behind.
 */
class SqliteDifferentialTest {

    @TempDir
    Path tmp;

    private static final int[] PAGE_SIZES = {512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};

    @Test
    void randomWorkloadsRecoverLikeSqliteAtEveryPageSize() throws Exception {
        long[] seeds = Seeds.get(1, 2);
        for (int i = 0; i < PAGE_SIZES.length; i++) {
            for (long seed : seeds) {
                int pageSize = PAGE_SIZES[i];
                boolean restart = (seed + i) % 2 == 0;
                int txns = pageSize >= 32768 ? 6 : 14;
                Path dir = Files.createTempDirectory(tmp, "w" + pageSize);
                Sqlite.Capture cap = Sqlite.workload(dir, pageSize, seed * 31 + i, txns, restart ? txns * 2 / 3 : -1);
                String ctx = cap.script();
                byte[] wal = Files.readAllBytes(cap.wal());
                WalScan scan = WalScanner.scan(ByteSource.of(wal, cap.wal().toString()));
                assertEquals(pageSize, scan.pageSize(), ctx);
                assertEquals(cap.commitsInWal(), scan.commitCount(), ctx);

                Sqlite.Recovered rec = Sqlite.recover(cap.db(), wal, tmp);
                assertEquals(rec.mxFrame(), scan.mxFrame(), ctx);
                assertEquals("ok", rec.integrity(), ctx);

                // The -shm recovery wrote: decoded, consistent, and equal to walkit's own recovery image.
                assertNotNull(rec.shm(), ctx);
                WalIndex idx = WalIndex.read(ByteSource.of(rec.shm(), "recovered-shm"));
                assertEquals(ByteOrder.nativeOrder(), idx.byteOrder());
                assertTrue(idx.headerUsable(), ctx);
                assertEquals(scan.mxFrame(), idx.header().mxFrame(), ctx);
                assertEquals(scan.databaseSize(), idx.header().nPage(), ctx);
                assertEquals(List.of(), errors(idx.checkHashTables(Integer.toUnsignedLong(idx.header().mxFrame()))), ctx);
                assertEquals(List.of(), errors(idx.crossCheck(scan)), ctx);
                byte[] mine = WalIndexBuilder.recover(scan, ByteOrder.nativeOrder());
                assertArrayEquals(Arrays.copyOfRange(mine, 0, 96), Arrays.copyOfRange(rec.shm(), 0, 96), ctx + ": headers");
                assertEquals(mine.length, rec.shm().length, ctx);
                assertArrayEquals(Arrays.copyOfRange(mine, 136, mine.length), Arrays.copyOfRange(rec.shm(), 136, mine.length),
                        ctx + ": aPgno/aHash");
                for (int p : scan.pageIndex().pages()) {
                    assertEquals(scan.pageIndex().newestFrame(p), idx.findFrame(p, 1, scan.mxFrame()).frame(), ctx);
                }

                // The -shm of the live writer agrees with the WAL too.
                WalIndex live = WalIndex.read(ByteSource.of(Files.readAllBytes(cap.shm()), "live-shm"));
                assertTrue(live.headerUsable(), ctx);
                assertEquals(scan.mxFrame(), live.header().mxFrame(), ctx);
                assertEquals(List.of(), errors(live.crossCheck(scan)), ctx);
                assertEquals(List.of(), errors(live.checkHashTables(Integer.toUnsignedLong(live.header().mxFrame()))), ctx);

                StaleFrames stale = StaleFrames.find(scan);
                assertEquals(scan.frameCount() - scan.lastValidFrame(), stale.frameCount(), ctx);
                System.out.printf("page size %d: %d frames, mxFrame %d, %d commits, %d stale; %s%n", pageSize,
                        scan.frameCount(), scan.mxFrame(), scan.commitCount(), stale.frameCount(), ctx);
                if (restart && stale.frameCount() > 0) {
                    StaleGroup g = stale.groups().getFirst();
                    assertEquals(StaleGroup.Kind.OTHER_SALTS, g.kind(), ctx);
                    assertEquals(scan.header().salt1() - 1, g.salt1(), ctx);
                    assertEquals(1, stale.groups().size(), ctx);
                    assertEquals(g.frameCount() - 1, g.count(StaleFrames.ChainStatus.VALID), ctx);
                    if (g.frameCount() > 1) {
                        assertEquals(ByteOrder.LITTLE_ENDIAN, g.wordOrder(), ctx);
                    }
                }
            }
        }
    }

    @Test
    void aTransactionCrashingDuringAnInPlaceOverwriteLeavesZeroSaltFrames() throws Exception {
        Path dir = Files.createTempDirectory(tmp, "spill");
        Path db = dir.resolve("s.db");
        byte[] wal;
        try (java.sql.Connection c = Sqlite.openWal(db, 512, 0); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
            s.execute("INSERT INTO t(v) VALUES(randomblob(100))");
            s.execute("PRAGMA cache_size=2");
            s.execute("BEGIN");
            // Spill many pages, rewrite them (in-place overwrite of spilled frames), then append more:
            // walFrames writes the appended frames with zero salts until the commit would fix them.
            s.execute("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<200) "
                    + "INSERT INTO t(v) SELECT randomblob(100) FROM c");
            s.execute("UPDATE t SET v=randomblob(100)");
            s.execute("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<100) "
                    + "INSERT INTO t(v) SELECT randomblob(100) FROM c");
            wal = Files.readAllBytes(dir.resolve("s.db-wal"));   // the "crash": the file as it is now
            Files.copy(db, dir.resolve("crashed.db"));
            s.execute("ROLLBACK");
        }
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "crashed"));
        assertEquals(Sqlite.recoveredMxFrame(dir.resolve("crashed.db"), wal, tmp), scan.mxFrame());
        StaleFrames stale = StaleFrames.find(scan);
        List<StaleGroup> zero = stale.groups().stream().filter(g -> g.kind() == StaleGroup.Kind.ZERO_SALTS).toList();
        assertEquals(1, zero.size(), "groups: " + stale.groups().stream().map(g -> g.kind() + ":" + g.frameCount()).toList());
        StaleGroup z = zero.getFirst();
        assertTrue(z.frameCount() > 0);
        assertEquals(z.frameCount(), z.count(StaleFrames.ChainStatus.NOT_CHECKSUMMED));
        assertEquals(scan.frameCount(), z.lastFrame(), "the zero-salt frames are the last ones written");
        assertTrue(z.contiguous());
        assertEquals(0, z.commitFrameCount());
    }

    private static List<io.walkit.io.Problem> errors(List<io.walkit.io.Problem> fs) {
        return fs.stream().filter(f -> f.severity() == io.walkit.io.Problem.Severity.ERROR).toList();
    }

    @Test
    void truncationsAndByteFlipsLeaveTheSamePrefixAsSqlite() throws Exception {
        for (long seed : Seeds.get(7)) {
            Path dir = Files.createTempDirectory(tmp, "t");
            Sqlite.Capture cap = Sqlite.workload(dir, 1024, seed, 10, -1);
            byte[] wal = Files.readAllBytes(cap.wal());
            WalScan clean = WalScanner.scan(ByteSource.of(wal, "clean"));
            assertTrue(clean.commitCount() >= 5, cap.script());
            int fs = WalFormat.frameSize(1024);
            SplittableRandom r = new SplittableRandom(seed);
            List<byte[]> mutants = new java.util.ArrayList<>();
            List<String> labels = new java.util.ArrayList<>();
            for (long f = 0; f <= clean.frameCount(); f++) {
                mutants.add(Corrupt.truncate(wal, WalFormat.HEADER_SIZE + f * fs));
                labels.add("truncated after frame " + f);
            }
            for (int i = 0; i < 12; i++) {
                int len = WalFormat.HEADER_SIZE + r.nextInt(wal.length - WalFormat.HEADER_SIZE);
                mutants.add(Corrupt.truncate(wal, len));
                labels.add("truncated to " + len + " bytes");
            }
            for (int i = 0; i < 40; i++) {
                // Half the flips in frame headers and the WAL header, half anywhere.
                int off = i % 2 == 0 ? r.nextInt(wal.length)
                        : (i % 4 == 1 ? r.nextInt(WalFormat.HEADER_SIZE)
                        : (int) WalFormat.frameOffset(1 + r.nextInt((int) clean.frameCount()), 1024) + r.nextInt(24));
                int mask = 1 + r.nextInt(255);
                mutants.add(Corrupt.xor(wal, off, mask));
                labels.add("xor 0x" + Integer.toHexString(mask) + " at " + off);
            }
            List<Integer> sqliteCommitFrames = new java.util.ArrayList<>();
            long previous = 0;
            for (int i = 0; i < mutants.size(); i++) {
                WalScan scan = WalScanner.scan(ByteSource.of(mutants.get(i), "m"));
                long sqlite = Sqlite.recoveredMxFrame(cap.db(), mutants.get(i), tmp);
                assertEquals(sqlite, scan.mxFrame(), "seed " + seed + ", " + labels.get(i) + ": " + cap.script());
                if (i <= clean.frameCount()) {
                    // Truncations after frames 0, 1, 2, ...: SQLite's mxFrame steps up exactly at the commit frames.
                    if (sqlite != previous) {
                        assertEquals(i, sqlite, labels.get(i));
                        sqliteCommitFrames.add((int) sqlite);
                    }
                    previous = sqlite;
                }
            }
            assertEquals(sqliteCommitFrames, clean.commits().stream().map(Commit::lastFrame).toList(),
                    "commit list, seed " + seed + ": " + cap.script());
        }
    }
}
