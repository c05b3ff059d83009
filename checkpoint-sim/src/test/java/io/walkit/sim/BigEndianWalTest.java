package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checksum word order (spec §1, walcksum.test): a new WAL header takes the writer's native order,
 * appending keeps the order of the header already there. The model writes a big-endian WAL (magic
 * 0x377f0683) that real SQLite (a little-endian host) must read in full; SQLite then appends to it
 * in big-endian order, and the model's little-endian writer appending the same pages must produce
 * the same bytes; after a RESTART both write a little-endian header.
 */
class BigEndianWalTest {

    private static final int MAGIC_BE = 0x377f0683;
    private static final int MAGIC_LE = 0x377f0682;

    @TempDir
    Path tmp;

    private static int magic(byte[] wal) {
        return ByteBuffer.wrap(wal, 0, 4).getInt();
    }

    private static List<WalSim.PageWrite> frames(WalScan scan, int from) {
        List<WalSim.PageWrite> pages = new ArrayList<>();
        for (int f = from; f <= scan.mxFrame(); f++) {
            pages.add(new WalSim.PageWrite(scan.frameHeader(f).pageNumber(),
                    scan.pageImage(f).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        }
        return pages;
    }

    @Test
    void aBigEndianWalIsKeptOnAppendAndARestartWritesTheWritersOrder() throws Exception {
        CommitSource src = CommitSource.bundled();
        int ps = src.pageSize();
        WalSim sim = new WalSim(WalSim.Config.defaults().withPageSize(ps), src.db());
        sim.setNativeBigEndian("BE", true);
        ScenarioRunner.apply(sim, src.replay("BE", 1));
        ScenarioRunner.apply(sim, src.replay("BE", 2));
        byte[] modelWal = sim.walFile().bytes();
        assertEquals(MAGIC_BE, magic(modelWal));
        assertTrue(sim.walIndex().bigEndCksum());
        WalScan scan = WalScanner.scan(ByteSource.of(modelWal, "model"));
        assertTrue(scan.header().bigEndianChecksum());
        assertEquals(sim.walIndex().mxFrame(), scan.mxFrame(), "walkit's scanner accepts every big-endian frame");

        Path db = tmp.resolve("be.db");
        Files.write(db, sim.dbFile().bytes());
        Files.write(tmp.resolve("be.db-wal"), modelWal);
        int before = scan.mxFrame();
        byte[] restartedReal;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                assertEquals("ok", r.getString(1));
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
                assertTrue(r.getInt(1) > 0);
            }
            // SQLite's recovery records the order in the -shm header (bigEndCksum, byte 13), as the model does.
            assertEquals(1, Files.readAllBytes(tmp.resolve("be.db-shm"))[13]);
            assertEquals(1, sim.shmImage()[13]);
            // A little-endian host appends to a big-endian WAL: the header's order is kept.
            s.execute("CREATE TABLE z(a)");
            byte[] realWal = Files.readAllBytes(tmp.resolve("be.db-wal"));
            assertEquals(MAGIC_BE, magic(realWal), "SQLite keeps the existing header's order");
            assertArrayEquals(modelWal, Arrays.copyOf(realWal, modelWal.length), "SQLite appends, it does not rewrite");
            WalScan realScan = WalScanner.scan(ByteSource.of(realWal, "real"));
            assertTrue(realScan.mxFrame() > before, "SQLite's appended big-endian frames are valid");

            // The model's little-endian writer appends the same pages: identical bytes.
            List<WalSim.PageWrite> pages = frames(realScan, before + 1);
            assertFalse(sim.connection("LE").nativeBigEndian());
            assertEquals(ResultCode.SQLITE_OK, sim.commit("LE", pages, realScan.databaseSize()).status());
            assertArrayEquals(realWal, sim.walFile().bytes(), "the model appends in the header's order too");
            assertTrue(sim.walIndex().bigEndCksum());

            // RESTART, then a write: the new header has the writer's native (little-endian) order.
            try (ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
                assertEquals(0, r.getInt(1));
            }
            s.execute("CREATE TABLE y(a)");
            restartedReal = Files.readAllBytes(tmp.resolve("be.db-wal"));
        }
        WalScan rs = WalScanner.scan(ByteSource.of(restartedReal, "restarted"));
        assertEquals(MAGIC_LE, magic(restartedReal));
        assertEquals("(0," + sim.walIndex().mxFrame() + "," + sim.walIndex().mxFrame() + ")",
                sim.checkpoint("LE", CheckpointMode.RESTART).toString());
        List<WalSim.PageWrite> pages = frames(rs, 1);
        assertEquals(ResultCode.SQLITE_OK, sim.commit("LE", pages, rs.databaseSize()).status());
        byte[] m = sim.walFile().bytes();
        assertEquals(MAGIC_LE, magic(m));
        assertFalse(sim.walIndex().bigEndCksum());
        WalScan ms = WalScanner.scan(ByteSource.of(m, "model restarted"));
        assertEquals(rs.mxFrame(), ms.mxFrame());
        assertEquals(rs.header().checkpointSequence(), ms.header().checkpointSequence());
        for (int f = 1; f <= rs.mxFrame(); f++) {
            long off = WalFormat.frameOffset(f, ps);
            // Same page numbers, commit sizes and images; salts and checksums follow random salts.
            assertArrayEquals(Arrays.copyOfRange(restartedReal, (int) off, (int) off + 8), Arrays.copyOfRange(m, (int) off, (int) off + 8));
            assertArrayEquals(Arrays.copyOfRange(restartedReal, (int) off + 24, (int) off + 24 + ps),
                    Arrays.copyOfRange(m, (int) off + 24, (int) off + 24 + ps));
        }

        // And a big-endian writer's restart writes big-endian again.
        sim.setNativeBigEndian("BE", true);
        assertEquals("(0," + ms.mxFrame() + "," + ms.mxFrame() + ")", sim.checkpoint("BE", CheckpointMode.RESTART).toString());
        assertEquals(ResultCode.SQLITE_OK, sim.commit("BE", pages, rs.databaseSize()).status());
        assertEquals(MAGIC_BE, magic(sim.walFile().bytes()));
        assertEquals(ms.mxFrame(), WalScanner.scan(ByteSource.of(sim.walFile().bytes(), "be again")).mxFrame());
        assertEquals(List.of(), new Invariants().check(sim));
    }
}
