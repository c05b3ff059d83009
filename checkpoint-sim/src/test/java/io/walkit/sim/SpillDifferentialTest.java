package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.wal.StaleFrames;
import io.walkit.wal.StaleGroup;
import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spill before commit against real SQLite: a transaction larger than a tiny page cache spills
 * non-commit frames, rewrites pages it spilled (in-place overwrite) and appends more frames with
 * zero salts and checksums; COMMIT rewrites their checksums (walRewriteChecksums). The spill
 * sequence is read off the real WAL captured mid-transaction (the "crash"), fed to the model, and
 * the model's WAL must equal the real one: mid-transaction in every byte SQLite's footprint
 * determines, and after COMMIT byte for byte.
 */
class SpillDifferentialTest {

    private static final int PAGE = 512;

    @TempDir
    Path tmp;

    @Test
    void spillOverwriteAndCommitMatchRealSqlite() throws Exception {
        Path db = tmp.resolve("s.db");
        byte[] startDb;
        byte[] startWal;
        byte[] midWal;
        byte[] postWal;
        byte[] startShm;
        byte[] midShm;
        byte[] postShm;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + PAGE);
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
            s.execute("INSERT INTO t(v) VALUES(randomblob(100))");
            startDb = Files.readAllBytes(db);
            startWal = Files.readAllBytes(tmp.resolve("s.db-wal"));
            startShm = Files.readAllBytes(tmp.resolve("s.db-shm"));
            s.execute("PRAGMA cache_size=2");
            s.execute("BEGIN");
            s.execute("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<200) "
                    + "INSERT INTO t(v) SELECT randomblob(100) FROM c");
            s.execute("UPDATE t SET v=randomblob(100)");
            s.execute("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<100) "
                    + "INSERT INTO t(v) SELECT randomblob(100) FROM c");
            midWal = Files.readAllBytes(tmp.resolve("s.db-wal"));
            midShm = Files.readAllBytes(tmp.resolve("s.db-shm"));
            s.execute("COMMIT");
            postWal = Files.readAllBytes(tmp.resolve("s.db-wal"));
            postShm = Files.readAllBytes(tmp.resolve("s.db-shm"));
        }
        int fs = WalFormat.frameSize(PAGE);
        int startFrames = (startWal.length - WalFormat.HEADER_SIZE) / fs;
        int midFrames = (midWal.length - WalFormat.HEADER_SIZE) / fs;
        WalScan startScan = WalScanner.scan(ByteSource.of(startWal, "start"));
        assertEquals(startFrames, startScan.mxFrame());
        int iFirst = startFrames + 1;

        // The footprint: r = the first frame whose stored checksum no longer chains (overwritten
        // in place), z = the first zero-salt frame (appended after the overwrite).
        long ck = startScan.lastCommitChecksum();
        int r = 0;
        int z = 0;
        for (int f = iFirst; f <= midFrames; f++) {
            int off = (int) WalFormat.frameOffset(f, PAGE);
            if (Arrays.equals(midWal, off + 8, off + 24, new byte[16], 0, 16)) {
                if (z == 0) {
                    z = f;
                }
                continue;
            }
            ck = WalChecksum.frame(MemorySegment.ofArray(midWal), off, PAGE, false, ck);
            ByteBuffer b = ByteBuffer.wrap(midWal, off + 16, 8);
            if (r == 0 && WalChecksum.pack(b.getInt(), b.getInt()) != ck) {
                r = f;
            }
        }
        assertTrue(r >= iFirst && z > r, "real SQLite left the overwrite footprint: r=" + r + " z=" + z);

        WalSim sim = WalSim.fromFiles(WalSim.Config.defaults().withPageSize(PAGE), startDb, startWal);
        WalIndex shm0 = WalIndex.read(ByteSource.of(startShm, "start.db-shm"));
        sim.adoptWalIndex(shm0.copyA(), shm0.checkpointInfo());
        assertEquals(ResultCode.SQLITE_OK, sim.beginWrite("W"));
        for (int f = iFirst; f <= midFrames; f++) {
            if (f == z) {
                spill(sim, r, midWal); // the overwrite that zeroed every later frame's salts
            }
            spill(sim, f, midWal);
        }
        assertEquals(r, sim.connection("W").pendingOverwrite());
        byte[] model = sim.walFile().bytes();
        assertEquals(midWal.length, model.length);
        assertArrayEquals(Arrays.copyOf(midWal, WalFormat.HEADER_SIZE), Arrays.copyOf(model, WalFormat.HEADER_SIZE));
        for (int f = 1; f <= midFrames; f++) {
            int off = (int) WalFormat.frameOffset(f, PAGE);
            // Frames r..z-1 carry checksums over page images the transaction later replaced:
            // SQLite's earlier data is gone, so only their salts are compared.
            int cmpEnd = f >= r && f < z ? off + 16 : off + 24;
            assertArrayEquals(Arrays.copyOfRange(midWal, off, cmpEnd), Arrays.copyOfRange(model, off, cmpEnd), "frame " + f + " header");
            assertArrayEquals(Arrays.copyOfRange(midWal, off + 24, off + fs), Arrays.copyOfRange(model, off + 24, off + fs),
                    "frame " + f + " data");
        }
        // The -shm mid-transaction: header unchanged, the spilled frames already indexed (walIndexAppend).
        byte[] modelShm = sim.shmImage();
        assertArrayEquals(Arrays.copyOf(midShm, modelShm.length), modelShm, "-shm mid-transaction");
        StaleGroup realZero = zeroGroup(midWal);
        StaleGroup modelZero = zeroGroup(model);
        assertEquals(realZero.frameCount(), modelZero.frameCount());
        assertEquals(z, modelZero.firstFrame());
        assertEquals(midFrames, modelZero.lastFrame());
        assertEquals(startFrames, WalScanner.scan(ByteSource.of(model, "model")).mxFrame(), "nothing committed yet");
        // A crash now: real SQLite recovers the model's files to the state before the transaction.
        Path crashed = tmp.resolve("crashed.db");
        Files.write(crashed, sim.dbFile().bytes());
        Files.write(tmp.resolve("crashed.db-wal"), model);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + crashed); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            assertEquals(1, rs.getInt(1), "only the row committed before the spilled transaction");
        }

        // COMMIT: frames whose data changed since the capture were overwritten at commit; the rest appended.
        int commitFrame = WalScanner.scan(ByteSource.of(postWal, "post")).mxFrame();
        TreeMap<Integer, byte[]> dirty = new TreeMap<>();
        for (int f = iFirst; f <= commitFrame; f++) {
            int off = (int) WalFormat.frameOffset(f, PAGE);
            if (f > midFrames || !Arrays.equals(midWal, off + 24, off + fs, postWal, off + 24, off + fs)) {
                dirty.put(ByteBuffer.wrap(postWal, off, 4).getInt(), Arrays.copyOfRange(postWal, off + 24, off + fs));
            }
        }
        int size = ByteBuffer.wrap(postWal, (int) WalFormat.frameOffset(commitFrame, PAGE) + 4, 4).getInt();
        List<WalSim.PageWrite> pages = new ArrayList<>();
        dirty.forEach((p, img) -> pages.add(new WalSim.PageWrite(p, img)));
        WalSim.CommitResult res = sim.commit("W", pages, size);
        assertEquals(ResultCode.SQLITE_OK, res.status());
        assertEquals(commitFrame, res.lastFrame());
        assertArrayEquals(postWal, sim.walFile().bytes(), "the committed WAL, checksums rewritten");
        byte[] modelPostShm = sim.shmImage();
        assertArrayEquals(Arrays.copyOf(postShm, modelPostShm.length), modelPostShm, "-shm after the commit");
        assertEquals(List.of(), new Invariants().check(sim));
    }

    private static void spill(WalSim sim, int frame, byte[] wal) {
        int off = (int) WalFormat.frameOffset(frame, PAGE);
        int page = ByteBuffer.wrap(wal, off, 4).getInt();
        assertEquals(ResultCode.SQLITE_OK, sim.spill("W", List.of(new WalSim.PageWrite(page, Arrays.copyOfRange(wal, off + 24, off + 24 + PAGE)))));
    }

    private static StaleGroup zeroGroup(byte[] wal) {
        List<StaleGroup> zero = StaleFrames.find(WalScanner.scan(ByteSource.of(wal, "w"))).groups().stream()
                .filter(g -> g.kind() == StaleGroup.Kind.ZERO_SALTS).toList();
        assertEquals(1, zero.size());
        assertEquals(zero.getFirst().frameCount(), zero.getFirst().count(StaleFrames.ChainStatus.NOT_CHECKSUMMED));
        return zero.getFirst();
    }
}
