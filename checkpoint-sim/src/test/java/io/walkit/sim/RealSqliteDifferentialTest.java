package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test: random schedules (a writer, three readers holding read transactions, a
 * checkpointer running every mode with busy_timeout=0) run on real SQLite through sqlite-jdbc and,
 * with the page images of the real commits, on the model. After every step the database file bytes,
 * the WAL frames (page numbers, commit sizes, images, header sequence and salt changes), the
 * wal-index fields read from the real {@code -shm} (mxFrame, nPage, nBackfill, nBackfillAttempted,
 * read marks) and the (busy, log, checkpointed) triple must agree.
 *
 * <p>It doubles as the backup-race oracle: whenever a checkpoint leaves nBackfill &lt; mxFrame, the
 * database file alone is copied and checked with real SQLite's {@code PRAGMA integrity_check}
 * (corruption must show up for some schedules), and database + WAL copied at one instant must
 * always pass and read as the latest commit.
 *
 * <p>Seeds: {@code -Dwalkit.sim.seeds=1,2,3} overrides the default set.
 */
class RealSqliteDifferentialTest {

    private static final int STEPS = 70;
    private static final String[] READERS = {"R1", "R2", "R3"};

    static long[] seeds() {
        String p = System.getProperty("walkit.sim.seeds");
        if (p != null && !p.isBlank()) {
            return Arrays.stream(p.split(",")).mapToLong(s -> Long.parseLong(s.strip())).toArray();
        }
        return new long[] {1, 2, 3, 4, 5, 6, 7, 8};
    }

    @Test
    void modelMatchesRealSqliteStepByStep(@TempDir Path dir) throws Exception {
        int disagreementsBefore = DISAGREEMENTS.size();
        int judgedBefore = JUDGED.get();
        int judgedCorruptBefore = JUDGED_CORRUPT.get();
        int withPagesBefore = JUDGED_WITH_PAGES.get();
        int sameTextBefore = JUDGED_SAME_TEXT.get();
        int corruptDbAlone = 0;
        int partialStates = 0;
        int mixturesDbAlone = 0;
        int autocheckpoints = 0;
        int blockedByWriter = 0;
        int sizeLimitTruncations = 0;
        int stalePairs = 0;
        int stalePairsCorrupt = 0;
        for (long seed : seeds()) {
            int[] r = runSeed(seed, dir.resolve("seed-" + seed));
            partialStates += r[0];
            corruptDbAlone += r[1];
            mixturesDbAlone += r[2];
            autocheckpoints += r[3];
            blockedByWriter += r[4];
            sizeLimitTruncations += r[5];
            stalePairs += r[6];
            stalePairsCorrupt += r[7];
        }
        System.out.printf("differential: %d partial-checkpoint states, %d db-alone copies equal no commit,"
                + " %d of them fail PRAGMA integrity_check; %d automatic checkpoints;"
                + " %d FULL/RESTART/TRUNCATE while another connection held WRITE; %d journal_size_limit truncations%n",
                partialStates, mixturesDbAlone, corruptDbAlone, autocheckpoints, blockedByWriter, sizeLimitTruncations);
        assertTrue(blockedByWriter > 0, "no checkpoint met a held WRITE lock");
        assertTrue(sizeLimitTruncations > 0 || seeds().length < 8, "journal_size_limit never truncated the WAL");
        assertTrue(partialStates > 0, "the schedules never produced a partial checkpoint");
        assertTrue(corruptDbAlone > 0, "no schedule made the db file alone fail integrity_check");
        System.out.printf("differential: %d stale database copies paired with a later WAL, %d of them fail PRAGMA integrity_check%n",
                stalePairs, stalePairsCorrupt);
        assertTrue(stalePairs > 0, "no stale database + later WAL pair was judged");
        assertTrue(stalePairsCorrupt > 0 || seeds().length < 8, "no stale database + later WAL pair failed integrity_check");
        System.out.printf("differential: walkit's integrity check judged %d copies (%d corrupt for SQLite, %d of them naming pages,"
                + " %d with walkit's problem lines equal to SQLite's rows); %d disagreements%n",
                JUDGED.get() - judgedBefore, JUDGED_CORRUPT.get() - judgedCorruptBefore, JUDGED_WITH_PAGES.get() - withPagesBefore,
                JUDGED_SAME_TEXT.get() - sameTextBefore, DISAGREEMENTS.size() - disagreementsBefore);
        List<String> mine = List.copyOf(DISAGREEMENTS.subList(disagreementsBefore, DISAGREEMENTS.size()));
        assertEquals(List.of(), mine, "walkit's integrity check disagrees with SQLite's:\n" + String.join("\n", mine));
    }

    /**
     * Returns {partial states, db-alone copies failing integrity_check, db-alone copies equal to no commit,
     * automatic checkpoints, checkpoints meeting a held WRITE lock, journal_size_limit truncations,
     * stale db + later WAL pairs, those failing integrity_check}.
     */
    private int[] runSeed(long seed, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path db = dir.resolve("real.db");
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> script = new ArrayList<>();
        Map<String, Connection> real = new LinkedHashMap<>();
        int[] counts = new int[8];
        try {
            try (Connection s = open(db)) {
                exec(s, "PRAGMA journal_mode=WAL");
                exec(s, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
                exec(s, "CREATE INDEX t_v ON t(v)");
                for (String n : new String[] {"W", "W2", "C", "R1", "R2", "R3"}) {
                    real.put(n, open(db));
                }
                assertEquals("(0,0,0)", checkpointReal(s, CheckpointMode.TRUNCATE).toString());
            }
            // journal_size_limit on two seeds in three: the first commit after a new header truncates the WAL.
            long limit = seed % 3 != 2 ? 2 * (24 + 4096) + 32 : -1;
            if (limit >= 0) {
                for (Connection c : real.values()) {
                    exec(c, "PRAGMA journal_size_limit=" + limit);
                }
                script.add("# every connection: PRAGMA journal_size_limit=" + limit);
            }
            WalSim sim = new WalSim(WalSim.Config.defaults().withJournalSizeLimit(limit), Files.readAllBytes(db));
            WalIndex shm0 = WalIndex.read(
                    ByteSource.of(Files.readAllBytes(dir.resolve("real.db-shm")), "real.db-shm"));
            sim.adoptWalIndex(shm0.copyA(), shm0.checkpointInfo());
            for (String n : real.keySet()) {
                sim.connection(n);
            }
            if (seed % 2 == 0) {
                // The writer's automatic checkpoint (a PASSIVE checkpoint after a commit that leaves >= N frames).
                int n = 8 + (int) (seed % 5) * 4;
                exec(real.get("W"), "PRAGMA wal_autocheckpoint=" + n);
                sim.setAutocheckpoint("W", n);
                script.add("# W: PRAGMA wal_autocheckpoint=" + n);
            }
            Invariants inv = new Invariants();
            int nextId = 1;
            WalScan before = scanReal(db);
            byte[] staleDb = null;
            for (int step = 1; step <= STEPS; step++) {
                int op = rnd.nextInt(100);
                String line;
                if (op >= 96 || (op < 38 && sim.connection("W2").holdsWriteLock())) {
                    // A second writer takes and later releases the WRITE lock (BEGIN IMMEDIATE ... ROLLBACK):
                    // FULL and up degrade to PASSIVE and report busy while it holds it.
                    if (sim.connection("W2").holdsWriteLock()) {
                        exec(real.get("W2"), "ROLLBACK");
                        sim.rollback("W2");
                        line = "rollback W2  # -> ok";
                    } else {
                        exec(real.get("W2"), "BEGIN IMMEDIATE");
                        line = "write-lock W2  # -> " + ScenarioRunner.apply(sim, new Step.WriteLock("W2")).text();
                    }
                } else if (op < 38) {
                    // Writer: a transaction of inserts, updates and deletes.
                    Connection w = real.get("W");
                    exec(w, "BEGIN");
                    int n = 1 + rnd.nextInt(6);
                    for (int k = 0; k < n; k++) {
                        int kind = rnd.nextInt(10);
                        if (kind < 6 || nextId < 5) {
                            exec(w, "INSERT INTO t(id, v) VALUES (" + nextId++ + ", '" + text(rnd) + "')");
                        } else if (kind < 9) {
                            exec(w, "UPDATE t SET v = '" + text(rnd) + "' WHERE id = " + (1 + rnd.nextInt(nextId - 1)));
                        } else {
                            exec(w, "DELETE FROM t WHERE id = " + (1 + rnd.nextInt(nextId - 1)));
                        }
                    }
                    exec(w, "COMMIT");
                    WalScan after = scanReal(db);
                    boolean newHeader = before.header() == null || after.header().salt2() != before.header().salt2()
                            || after.header().salt1() != before.header().salt1();
                    // A restart by this commit (walRestartLog) rewrites an existing header; after a
                    // TRUNCATE the WAL is empty and the first header is no restart of this commit.
                    boolean restarted = newHeader && before.header() != null && before.frameCount() > 0;
                    int from = newHeader ? 1 : before.mxFrame() + 1;
                    int to = after.mxFrame();
                    if (to < from) {
                        // The statements changed nothing (e.g. deleting a missing row): SQLite writes no frames.
                        assertTrue(!newHeader, "a restart without frames");
                        // Its read transaction still chose (and maybe raised) a read mark.
                        sim.beginRead("W");
                        sim.endRead("W");
                        script.add("begin W  # writer transaction without changes: no frames");
                        script.add("end W");
                        before = scanReal(db);
                        compare(seed, script, sim, db, dir);
                        continue;
                    }
                    int[] pages = new int[to - from + 1];
                    byte[][] images = new byte[pages.length][];
                    for (int f = from; f <= to; f++) {
                        pages[f - from] = after.frameHeader(f).pageNumber();
                        images[f - from] = after.source().bytes(after.frameOffset(f) + WalFormat.FRAME_HEADER_SIZE, after.pageSize());
                    }
                    int size = after.frameHeader(to).commitSize();
                    Step.Commit c = new Step.Commit("W", java.util.Arrays.stream(pages).boxed().toList(), size, java.util.Arrays.asList(images));
                    WalScan modelBefore = WalScanner.scan(ByteSource.of(sim.walFile().bytes(), "model-wal"));
                    Integer[] modelSaltBefore = modelBefore.header() == null ? new Integer[] {null, null}
                            : new Integer[] {modelBefore.header().salt1(), modelBefore.header().salt2()};
                    String res = ScenarioRunner.apply(sim, c).text();
                    line = c.script() + "  # -> " + res;
                    if (res.contains("autocheckpoint")) {
                        counts[3]++;
                    }
                    assertEquals(restarted, res.contains("new WAL generation"), "restart disagreement\n" + history(seed, script, line));
                    if (restarted) {
                        // SQLite's salts are random: compare how they changed (salt-1 + 1 when the writer's nCkpt != 0).
                        WalScan model = WalScanner.scan(ByteSource.of(sim.walFile().bytes(), "model-wal"));
                        boolean realPlusOne = after.header().salt1() == before.header().salt1() + 1;
                        assertTrue(modelSaltBefore[0] != null, "model salts before");
                        boolean modelPlusOne = model.header().salt1() == modelSaltBefore[0] + 1;
                        assertEquals(realPlusOne, modelPlusOne, "salt-1 + 1 on restart\n" + history(seed, script, line));
                        assertTrue(model.header().salt2() != modelSaltBefore[1], "salt-2 changed");
                    }
                    assertTrue(res.startsWith("frames " + from + ".." + to), "frames disagree\n" + history(seed, script, line));
                } else if (op < 56) {
                    String r = READERS[rnd.nextInt(READERS.length)];
                    if (sim.connection(r).reading()) {
                        exec(real.get(r), "COMMIT");
                        line = new Step.End(r).script() + "  # -> " + ScenarioRunner.apply(sim, new Step.End(r)).text();
                    } else {
                        exec(real.get(r), "BEGIN");
                        try (Statement st = real.get(r).createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                            rs.next();
                        }
                        line = new Step.Begin(r).script() + "  # -> " + ScenarioRunner.apply(sim, new Step.Begin(r)).text();
                    }
                } else {
                    CheckpointMode mode = CheckpointMode.values()[rnd.nextInt(4)];
                    if (mode != CheckpointMode.PASSIVE && sim.connection("W2").holdsWriteLock()) {
                        counts[4]++;
                    }
                    CheckpointResult realResult = checkpointReal(real.get("C"), mode);
                    CheckpointResult modelResult = sim.checkpoint("C", mode);
                    line = new Step.Checkpoint("C", mode).script() + "  # -> " + modelResult + " (real " + realResult + ")";
                    assertEquals(realResult.toString(), modelResult.toString(), "checkpoint result\n" + history(seed, script, line));
                    WalIndexState s = sim.walIndex();
                    if (s.nBackfill() < s.mxFrame() && s.nBackfill() > 0) {
                        counts[0]++;
                        byte[] dbAlone = sim.dbFile().bytes();
                        DbImage img = DbImage.ofFile("copy", dbAlone, sim.pageSize());
                        if (sim.findCommitted(img) < 0) {
                            counts[2]++;
                        }
                        if (!integrityOk(dir.resolve("alone-" + step + ".db"), dbAlone, null)) {
                            counts[1]++;
                        }
                    }
                }
                script.add(line);
                counts[5] += (int) sim.drainNotes().stream().filter(x -> x.startsWith("journal_size_limit")).count();
                before = scanReal(db);
                compare(seed, script, sim, db, dir);
                List<String> violations = inv.check(sim);
                if (!violations.isEmpty()) {
                    fail("invariants " + violations + "\n" + history(seed, script, ""));
                }
                if (step % 10 == 0) {
                    // Database and WAL copied at one instant: always a consistent database.
                    byte[] wal = sim.walFile().exists() ? sim.walFile().bytes() : null;
                    if (staleDb != null && wal != null) {
                        // The race the other way round: a database file copied ten steps ago with today's WAL.
                        // Only the two integrity oracles are compared (SQLite may or may not find it corrupt).
                        counts[6]++;
                        if (!integrityOk(dir.resolve("stale-" + step + ".db"), staleDb, wal)) {
                            counts[7]++;
                        }
                    }
                    staleDb = sim.dbFile().bytes();
                    assertTrue(integrityOk(dir.resolve("pair-" + step + ".db"), sim.dbFile().bytes(), wal),
                            "db + WAL copied together failed integrity_check\n" + history(seed, script, ""));
                    assertTrue(LogicalImage.of(sim.dbFile().bytes(), wal, sim.pageSize()).samePages(sim.latestImage()));
                    // Recovery from that pair: the model's wal-index after recovery and a first read equals the
                    // real -shm after real SQLite opened a copy and began a read.
                    Path rec = dir.resolve("rec-" + step + ".db");
                    Files.write(rec, sim.dbFile().bytes());
                    if (wal != null) {
                        Files.write(Path.of(rec + "-wal"), wal);
                    }
                    WalSim recovered = WalSim.fromFiles(sim.config(), sim.dbFile().bytes(), wal);
                    recovered.beginRead("X");
                    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + rec)) {
                        exec(c, "BEGIN");
                        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                            rs.next();
                        }
                        Shm rs = Shm.read(Path.of(rec + "-shm"));
                        WalIndexState ws = recovered.walIndex();
                        assertEquals(rs.mxFrame + "/" + rs.nPage + "/" + rs.nBackfill + "/" + rs.nBackfillAttempted + " " + marksText(rs.marks),
                                ws.mxFrame() + "/" + ws.nPage() + "/" + ws.nBackfill() + "/" + ws.nBackfillAttempted() + " " + ws.marksText(),
                                "wal-index after recovery\n" + history(seed, script, ""));
                        // Same WAL, same salts: the whole -shm image equals SQLite's byte for byte
                        // (both header copies, checkpoint info, aPgno and hash tables).
                        byte[] realShm = Files.readAllBytes(Path.of(rec + "-shm"));
                        byte[] modelShm = recovered.shmImage();
                        assertArrayEquals(Arrays.copyOf(realShm, modelShm.length), modelShm,
                                "-shm after recovery\n" + history(seed, script, ""));
                        exec(c, "COMMIT");
                    }
                    // Real SQLite's recovery of that pair, checkpointed into the db file, gives the model's latest image.
                    Path pair = dir.resolve("pair-" + step + ".db");
                    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + pair)) {
                        assertEquals("(0,0,0)", checkpointReal(c, CheckpointMode.TRUNCATE).toString());
                    }
                    assertArrayEquals(sim.latestImage().toFileBytes(sim.pageSize()), Files.readAllBytes(pair),
                            "real recovery + TRUNCATE of a db + WAL pair vs the model's latest image\n" + history(seed, script, ""));
                }
            }
            // Close everything; the last close checkpoints and deletes the WAL.
            if (sim.connection("W2").holdsWriteLock()) {
                exec(real.get("W2"), "ROLLBACK");
                sim.rollback("W2");
            }
            for (String n : List.of("R1", "R2", "R3", "W2", "C", "W")) {
                real.remove(n).close();
                CheckpointResult r = sim.close(n);
                script.add("close " + n + "  # -> " + (r == null ? "closed" : r));
            }
            assertArrayEquals(Files.readAllBytes(db), sim.dbFile().bytes(), "db after last close\n" + history(seed, script, ""));
            assertEquals(Files.exists(dir.resolve("real.db-wal")), sim.walFile().exists(), "WAL deleted on last close");
            return counts;
        } finally {
            for (Connection c : real.values()) {
                c.close();
            }
        }
    }

    private static void compare(long seed, List<String> script, WalSim sim, Path db, Path dir) throws Exception {
        String where = history(seed, script, "");
        assertArrayEquals(Files.readAllBytes(db), sim.dbFile().bytes(), "database file bytes\n" + where);
        Path walPath = dir.resolve("real.db-wal");
        long realWalSize = Files.exists(walPath) ? Files.size(walPath) : 0;
        assertEquals(realWalSize, sim.walFile().size(), "WAL file size\n" + where);
        WalScan r = scanReal(db);
        WalScan m = WalScanner.scan(ByteSource.of(sim.walFile().bytes(), "model-wal"));
        assertEquals(r.mxFrame(), m.mxFrame(), "mxFrame of the WAL files\n" + where);
        if (r.header() != null && m.header() != null && r.mxFrame() > 0) {
            assertEquals(r.header().checkpointSequence(), m.header().checkpointSequence(), "nCkpt in the header\n" + where);
        }
        for (int f = 1; f <= r.mxFrame(); f++) {
            assertEquals(r.frameHeader(f).pageNumber(), m.frameHeader(f).pageNumber(), "page of frame " + f + "\n" + where);
            assertEquals(r.frameHeader(f).commitSize(), m.frameHeader(f).commitSize(), "commit size of frame " + f + "\n" + where);
            assertArrayEquals(r.source().bytes(r.frameOffset(f) + 24, r.pageSize()),
                    m.source().bytes(m.frameOffset(f) + 24, m.pageSize()), "image of frame " + f + "\n" + where);
        }
        Shm shm = Shm.read(dir.resolve("real.db-shm"));
        WalIndexState s = sim.walIndex();
        String got = s.mxFrame() + "/" + s.nPage() + "/" + s.nBackfill() + "/" + s.nBackfillAttempted() + " " + s.marksText();
        String want = shm.mxFrame + "/" + shm.nPage + "/" + shm.nBackfill + "/" + shm.nBackfillAttempted + " " + marksText(shm.marks);
        assertEquals(want, got, "wal-index mxFrame/nPage/nBackfill/nBackfillAttempted marks (real -shm vs model)\n" + where);
        // The -shm bytes: both header copies and the checkpoint info equal, byte for byte, and the
        // aPgno entries of frames 1..mxFrame (SQLite may keep entries beyond mxFrame; the model does not).
        byte[] realShm = Files.readAllBytes(dir.resolve("real.db-shm"));
        byte[] modelShm = sim.shmImage();
        // Salts differ (SQLite draws random ones), so aFrameCksum, aSalt and aCksum (header bytes
        // 24..47) are compared through their meaning: each copy's aFrameCksum is its own WAL's last
        // commit checksum and its aCksum is valid; every other byte is compared as is.
        int hs = WalFormat.SHM_HEADER_SIZE;
        for (int copy = 0; copy < 2; copy++) {
            assertArrayEquals(Arrays.copyOfRange(realShm, copy * hs, copy * hs + 24),
                    Arrays.copyOfRange(modelShm, copy * hs, copy * hs + 24), "-shm header copy " + copy + " bytes 0..23\n" + where);
        }
        assertArrayEquals(Arrays.copyOfRange(realShm, WalFormat.SHM_CKPT_INFO_OFFSET, WalFormat.SHM_TOTAL_HEADER_SIZE),
                Arrays.copyOfRange(modelShm, WalFormat.SHM_CKPT_INFO_OFFSET, WalFormat.SHM_TOTAL_HEADER_SIZE),
                "-shm checkpoint info\n" + where);
        WalIndex realIdx = WalIndex.read(ByteSource.of(realShm, "real.db-shm"));
        WalIndex modelIdx = WalIndex.read(ByteSource.of(modelShm, "model.db-shm"));
        assertTrue(modelIdx.copiesIdentical() && modelIdx.copyA().checksumValid(), "model -shm header\n" + where);
        assertEquals(realIdx.copiesIdentical(), modelIdx.copiesIdentical());
        if (m.commitCount() > 0 && s.mxFrame() == m.mxFrame()) {
            assertEquals(m.lastCommitChecksum(), modelIdx.copyA().frameChecksum(), "model aFrameCksum\n" + where);
            assertEquals(r.lastCommitChecksum(), realIdx.copyA().frameChecksum(), "real aFrameCksum\n" + where);
        }
        for (int f = 1; f <= s.mxFrame(); f++) {
            assertEquals(realIdx.pageOfFrame(f), modelIdx.pageOfFrame(f), "aPgno of frame " + f + "\n" + where);
        }
        assertEquals(List.of(), modelIdx.checkHashTables(s.mxFrame()).stream()
                .filter(x -> x.severity() == io.walkit.io.Problem.Severity.ERROR).toList(), "model -shm hash tables\n" + where);
    }

    private static String history(long seed, List<String> script, String last) {
        StringBuilder sb = new StringBuilder("seed " + seed + " (rerun with -Dwalkit.sim.seeds=" + seed + "):\n");
        for (String s : script) {
            sb.append("  ").append(s).append('\n');
        }
        if (!last.isEmpty()) {
            sb.append("  ").append(last).append("   <-- here\n");
        }
        return sb.toString();
    }

    private static String text(SplittableRandom rnd) {
        int len = 20 + rnd.nextInt(rnd.nextInt(4) == 0 ? 1500 : 200);
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            c[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }

    static Connection open(Path db) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        exec(c, "PRAGMA busy_timeout=0");
        exec(c, "PRAGMA wal_autocheckpoint=0");
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_schema")) {
            rs.next(); // opens the database (and its WAL) now, so this connection keeps it open
        }
        return c;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static CheckpointResult checkpointReal(Connection c, CheckpointMode mode) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            rs.next();
            return CheckpointResult.of(rs.getInt(1), rs.getInt(2), rs.getInt(3));
        }
    }

    private static WalScan scanReal(Path db) throws Exception {
        Path wal = Path.of(db + "-wal");
        return WalScanner.scan(ByteSource.of(Files.exists(wal) ? Files.readAllBytes(wal) : new byte[0], "real-wal"));
    }

    /** Disagreements between walkit's and SQLite's integrity check met by {@link #integrityOk} in this JVM. */
    static final List<String> DISAGREEMENTS = java.util.Collections.synchronizedList(new ArrayList<>());
    /** How many copies {@link #integrityOk} judged with both oracles, and how many of them SQLite found corrupt. */
    static final java.util.concurrent.atomic.AtomicInteger JUDGED = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger JUDGED_CORRUPT = new java.util.concurrent.atomic.AtomicInteger();
    /** Copies on which SQLite named pages, and on which walkit's problem lines equal SQLite's rows exactly. */
    static final java.util.concurrent.atomic.AtomicInteger JUDGED_WITH_PAGES = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger JUDGED_SAME_TEXT = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Writes the copy (and its WAL) and runs PRAGMA integrity_check on it with real SQLite; returns
     * SQLite's verdict. walkit's own integrity check judges the same bytes; a disagreement (verdict,
     * or a page SQLite names that walkit does not) is recorded in {@link #DISAGREEMENTS} and its files
     * kept under target/integrity-disagreements/.
     */
    static boolean integrityOk(Path copy, byte[] db, byte[] wal) throws Exception {
        return judge(copy, db, wal).sqlite().ok();
    }

    /** {@link #integrityOk}, asserting that walkit's integrity check agrees with SQLite's on the copy. */
    static boolean agreedIntegrityOk(Path copy, byte[] db, byte[] wal) throws Exception {
        IntegrityOracle.Judgement j = judge(copy, db, wal);
        assertTrue(j.agree(), j.describe());
        return j.sqlite().ok();
    }

    private static IntegrityOracle.Judgement judge(Path copy, byte[] db, byte[] wal) throws Exception {
        IntegrityOracle.Judgement j = IntegrityOracle.judge(copy, db, wal);
        JUDGED.incrementAndGet();
        if (!j.sqlite().ok()) {
            JUDGED_CORRUPT.incrementAndGet();
            if (!j.sqlite().pages().isEmpty()) {
                JUDGED_WITH_PAGES.incrementAndGet();
            }
            if (j.sameText()) {
                JUDGED_SAME_TEXT.incrementAndGet();
            }
            if (System.getProperty("walkit.sim.showIntegrity") != null) {
                // -Dwalkit.sim.showIntegrity: print both oracles' full output and keep the files.
                System.out.println(j.describe());
                IntegrityOracle.keep(j, db, wal, "integrity-shown");
            }
        }
        if (!j.agree()) {
            Path kept = IntegrityOracle.keep(j, db, wal);
            DISAGREEMENTS.add(j.describe() + "\n  kept: " + kept);
        }
        return j;
    }

    private static String marksText(int[] marks) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            sb.append(i == 0 ? "" : ", ").append(marks[i] == -1 ? "-" : Integer.toUnsignedString(marks[i]));
        }
        return sb.append(']').toString();
    }

    /** The fields of a live -shm this test compares (native byte order: little-endian hosts). */
    record Shm(int mxFrame, int nPage, int nBackfill, int nBackfillAttempted, int[] marks, int salt1, int salt2) {
        static Shm read(Path p) throws Exception {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.nativeOrder());
            int[] marks = new int[5];
            for (int i = 0; i < 5; i++) {
                marks[i] = b.getInt(100 + 4 * i);
            }
            return new Shm(b.getInt(16), b.getInt(20), b.getInt(96), b.getInt(128), marks,
                    b.order(ByteOrder.BIG_ENDIAN).getInt(32), b.getInt(36));
        }
    }
}
