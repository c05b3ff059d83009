package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sector padding (spec §2.5, walFrames padToSectorBoundary): without powersafe overwrite
 * ({@code psow=0}) a synchronous=FULL commit pads the WAL to the next sector boundary (4096 bytes
 * on unix) with copies of its commit frame. Real SQLite's commits are fed to the model, started from
 * SQLite's own files (same salts); the WALs must be equal byte for byte after every commit.
 */
class SectorPaddingTest {

    private static final int PAGE = 512;

    @TempDir
    Path tmp;

    @Test
    void fullSyncCommitsWithoutPowersafeOverwritePadLikeSqlite() throws Exception {
        Path db = tmp.resolve("p.db");
        Path walPath = tmp.resolve("p.db-wal");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?psow=0");
             Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + PAGE);
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
            byte[] wal0 = Files.readAllBytes(walPath);
            assertTrue(wal0.length >= 4096, "the first commit was padded past the first sector: " + wal0.length);
            WalSim sim = WalSim.fromFiles(WalSim.Config.defaults().withPageSize(PAGE).withSectorSize(4096),
                    Files.readAllBytes(db), wal0);
            WalIndex shm0 = WalIndex.read(ByteSource.of(Files.readAllBytes(tmp.resolve("p.db-shm")), "p.db-shm"));
            sim.adoptWalIndex(shm0.copyA(), shm0.checkpointInfo());
            int padded = 0;
            for (int i = 0; i < 12; i++) {
                int before = WalScanner.scan(ByteSource.of(sim.walFile().bytes(), "model")).mxFrame();
                s.execute("INSERT INTO t(v) VALUES(randomblob(" + (40 + 90 * i) + "))");
                byte[] real = Files.readAllBytes(walPath);
                WalScan rs = WalScanner.scan(ByteSource.of(real, "real"));
                // The commit's own frames end at the first commit frame after `before`; the rest are padding.
                List<WalSim.PageWrite> pages = new ArrayList<>();
                int f = before + 1;
                for (; ; f++) {
                    pages.add(new WalSim.PageWrite(rs.frameHeader(f).pageNumber(), rs.pageImage(f).toArray(ValueLayout.JAVA_BYTE)));
                    if (rs.frameHeader(f).commitSize() != 0) {
                        break;
                    }
                }
                padded += rs.mxFrame() - f;
                WalSim.CommitResult r = sim.commit("W", pages, rs.frameHeader(f).commitSize());
                assertEquals(ResultCode.SQLITE_OK, r.status());
                assertEquals(rs.mxFrame(), r.lastFrame(), "mxFrame includes the padding frames, commit " + i);
                assertArrayEquals(real, sim.walFile().bytes(), "WAL after commit " + i);
                // The -shm too: mxFrame and the hash tables include the padding copies.
                byte[] modelShm = sim.shmImage();
                assertArrayEquals(Arrays.copyOf(Files.readAllBytes(tmp.resolve("p.db-shm")), modelShm.length), modelShm,
                        "-shm after commit " + i);
                assertTrue(real.length / 4096 > (WalFormat.frameOffset(f + 1L, PAGE) - 1) / 4096 || f == rs.mxFrame(),
                        "padding crosses the next sector boundary");
            }
            assertTrue(padded > 0, "some commits were padded");
            assertEquals(List.of(), new Invariants().check(sim));
        }
    }

    @Test
    void withPowersafeOverwriteOrNormalSyncNothingIsPadded() {
        for (WalSim.Config cfg : List.of(WalSim.Config.defaults().withPageSize(PAGE),
                WalSim.Config.defaults().withPageSize(PAGE).withSectorSize(4096).withSynchronous(WalSim.Synchronous.NORMAL))) {
            WalSim sim = WalSim.withSyntheticDb(cfg, 3);
            assertEquals(1, sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3).lastFrame());
        }
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(PAGE).withSectorSize(4096), 3);
        // 32 + 7 * 536 = 3784 < 4096 <= 32 + 8 * 536: the first commit frame is followed by 7 copies.
        assertEquals(8, sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3).lastFrame());
        assertEquals(8, WalScanner.scan(ByteSource.of(sim.walFile().bytes(), "m")).commitCount());
    }
}
