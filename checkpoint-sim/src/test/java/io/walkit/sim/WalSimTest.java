package io.walkit.sim;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalSimTest {

    private static List<ScenarioRunner.Outcome> run(String script) {
        List<ScenarioRunner.Outcome> out = new ScenarioRunner(false, true).runAll(ScenarioParser.parse(script));
        for (ScenarioRunner.Outcome o : out) {
            assertEquals(List.of(), o.violations(), o.describe());
        }
        return out;
    }

    @Test
    void partialCheckpointSkipsPagesWithNewerFramesBeyondTheSafeFrame() {
        var out = run("""
                set db-pages 3
                commit W pages 2,3 size 3
                begin R
                commit W pages 3 size 3
                checkpoint C PASSIVE
                copy db as backup.db
                copy wal as backup.db-wal
                check backup.db
                check backup.db backup.db-wal
                """);
        assertEquals("slot 1, snapshot mxFrame 2", out.get(1).result().text());
        assertEquals("(0,3,2)", out.get(3).result().text());
        // Page 2 (newest frame 1 <= S=2) was copied; page 3 (newest frame 3 > S) was not, though frame 2 holds it.
        assertTrue(out.get(6).result().text().startsWith("equals no committed image"), out.get(6).result().text());
        assertTrue(out.get(6).result().text().contains("page 3 as in initial"), out.get(6).result().text());
        assertEquals("equals commit 2", out.get(7).result().text());
    }

    @Test
    void dbOnlyReaderBlocksAllBackfillAndFullReportsBusy() {
        var out = run("""
                commit W pages 1 size 3
                checkpoint C PASSIVE
                begin R
                commit W pages 2 size 3
                checkpoint C PASSIVE
                checkpoint C FULL
                end R
                checkpoint C FULL
                """);
        assertEquals("(0,1,1)", out.get(1).result().text());
        assertEquals("slot 0, snapshot mxFrame 1 (reads the db file only)", out.get(2).result().text());
        // The writer found nBackfill == mxFrame but R holds only READ0, so the WAL restarts.
        assertTrue(out.get(3).result().text().contains("new WAL generation"), out.get(3).result().text());
        assertEquals("(0,1,0)", out.get(4).result().text());
        assertEquals("(1,1,0)", out.get(5).result().text());
        assertEquals("(0,1,1)", out.get(7).result().text());
    }

    @Test
    void walReaderPreventsRestartAndWriterAppends() {
        var out = run("""
                commit W pages 1,2 size 3
                begin R
                checkpoint C PASSIVE
                commit W pages 3 size 3
                checkpoint C RESTART
                end R
                checkpoint C RESTART
                commit W pages 1 size 3
                """);
        assertEquals("(0,2,2)", out.get(2).result().text());
        assertEquals("frames 3..3", out.get(3).result().text());
        assertEquals("(1,3,2)", out.get(4).result().text()); // R's mark 2 bounds the backfill: busy
        assertEquals("(0,3,3)", out.get(6).result().text());
        assertEquals("frames 1..1 (new WAL generation)", out.get(7).result().text());
    }

    @Test
    void truncateCheckpointEmptiesTheWalAndTheNextHeaderGetsSaltPlusOne() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 2);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 2);
        WalScan before = WalScanner.scan(ByteSource.of(sim.walFile().bytes(), "wal"));
        assertEquals("(0,0,0)", sim.checkpoint("C", CheckpointMode.TRUNCATE).toString());
        assertEquals(0, sim.walFile().size());
        // C restarted (nCkpt 1) but W writes the next header with its own nCkpt 0: random salts.
        sim.commit("C", List.of(new WalSim.PageWrite(1, null)), 2);
        WalScan after = WalScanner.scan(ByteSource.of(sim.walFile().bytes(), "wal"));
        assertEquals(before.header().salt1() + 1, after.header().salt1());
        assertNotEquals(before.header().salt2(), after.header().salt2());
        assertEquals(1, after.header().checkpointSequence());
        assertEquals(1, after.mxFrame());
    }

    @Test
    void lastCloseCheckpointsAndDeletesTheWal() {
        var out = run("""
                commit W pages 1,2,3,4 size 4
                close W
                begin R
                """);
        assertEquals("last connection: checkpoint (0,4,4)", out.get(1).result().text());
        assertEquals("slot 0, snapshot mxFrame 0 (reads the db file only)", out.get(2).result().text());
    }

    @Test
    void writerWithStaleSnapshotGetsBusySnapshot() {
        var out = run("""
                begin A
                commit W pages 2 size 3
                commit A pages 3 size 3
                """);
        assertEquals("SQLITE_BUSY_SNAPSHOT", out.get(2).result().text());
    }

    @Test
    void recoveryAfterProcessCrashKeepsEveryCommit() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(3, null), new WalSim.PageWrite(4, null)), 4);
        DbImage rec = sim.crash(CrashPolicy.keepAll());
        assertEquals("recovered = commit 2", rec.label());
        assertEquals(ResultCode.SQLITE_OK, sim.beginRead("R"));
        assertEquals(3, sim.walIndex().mxFrame());
        assertEquals(0, sim.walIndex().nBackfill());
        assertEquals(3, sim.walIndex().nBackfillAttempted());
        assertEquals(3, sim.walIndex().readMark(1));
    }

    @Test
    void invariantsCatchABrokenModel() {
        // A WAL whose committed frames are overwritten behind the model's back breaks property 2.
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 2);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 2);
        Invariants inv = new Invariants();
        assertEquals(List.of(), inv.check(sim));
        sim.walFile().write(32 + 24 + 100, new byte[] {1, 2, 3});
        assertFalse(inv.check(sim).isEmpty());
    }

    @Test
    void persistentWalSurvivesTheLastCloseOrIsTruncatedWithALimit() {
        var kept = run("""
                set persistent-wal on
                commit W pages 2 size 3
                close W
                """);
        assertEquals("last connection: checkpoint (0,1,1)", kept.get(1).result().text());
        WalSim sim = new ScenarioRunner(false, true).run(ScenarioParser.parse("""
                set persistent-wal on
                commit W pages 2 size 3
                close W
                """), o -> { });
        assertEquals(32 + 24 + 4096, sim.walFile().size());
        // Reopening recovers the old, fully backfilled frames with nBackfill 0 (spec §5.7).
        sim.beginRead("R");
        assertEquals(1, sim.walIndex().mxFrame());
        assertEquals(0, sim.walIndex().nBackfill());
        WalSim truncated = new ScenarioRunner(false, true).run(ScenarioParser.parse("""
                set persistent-wal on
                set journal-size-limit 0
                commit W pages 2 size 3
                close W
                """), o -> { });
        assertTrue(truncated.walFile().exists());
        assertEquals(0, truncated.walFile().size());
        WalSim deleted = new ScenarioRunner(false, true).run(ScenarioParser.parse("""
                commit W pages 2 size 3
                close W
                """), o -> { });
        assertFalse(deleted.walFile().exists());
    }

    @Test
    void synchronousNormalMayLoseTheLastCommitsButNeverMixes() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withSynchronous(WalSim.Synchronous.NORMAL), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(3, null)), 3);
        // The header was synced, the frames were not: a power loss keeps the empty WAL header only.
        DbImage rec = sim.crash(CrashPolicy.loseUnsynced());
        assertEquals("recovered = initial", rec.label());
        WalSim full = WalSim.withSyntheticDb(WalSim.Config.defaults(), 3);
        full.commit("W", List.of(new WalSim.PageWrite(2, null)), 3);
        full.commit("W", List.of(new WalSim.PageWrite(3, null)), 3);
        assertEquals("recovered = commit 2", full.crash(CrashPolicy.loseUnsynced()).label());
    }

    @Test
    void tornWalWriteEndsTheValidPrefixAtTheTornFrame() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withSynchronous(WalSim.Synchronous.OFF), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(1, null), new WalSim.PageWrite(2, null)), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(3, null)), 3);
        for (long seed = 0; seed < 50; seed++) {
            WalSim copy = WalSim.withSyntheticDb(WalSim.Config.defaults().withSynchronous(WalSim.Synchronous.OFF), 3);
            copy.commit("W", List.of(new WalSim.PageWrite(1, null), new WalSim.PageWrite(2, null)), 3);
            copy.commit("W", List.of(new WalSim.PageWrite(3, null)), 3);
            DbImage rec = copy.crash(new CrashPolicy(CrashPolicy.FileFate.KEEP, CrashPolicy.FileFate.TORN, seed));
            // Whatever sectors survive, recovery yields a committed image (checksums reject torn frames).
            assertTrue(rec.label().startsWith("recovered = "), rec.label());
        }
    }

    @Test
    void waitingCheckpointLetsReadersAndTheWriterFinish() {
        var out = run("""
                commit W pages 1,2 size 3
                begin R1
                commit W pages 3 size 3
                begin R2
                write-lock X
                checkpoint C FULL
                checkpoint C RESTART wait
                begin R3
                commit W pages 2 size 3
                """);
        // Without waiting: WRITE is held (FULL degrades to PASSIVE, busy), R1's mark 2 bounds the copy.
        assertEquals("(1,3,2)", out.get(5).result().text());
        // Waiting: X rolls back, R1 and R2 finish, everything is copied, RESTART completes.
        assertEquals("(0,3,3)", out.get(6).result().text());
        assertTrue(out.get(6).notes().stream().anyMatch(n -> n.contains("R1 finished")), out.get(6).notes().toString());
        assertTrue(out.get(6).notes().stream().anyMatch(n -> n.contains("X finished")), out.get(6).notes().toString());
        // The next reader reads the db only and the next writer restarts the WAL.
        assertEquals("slot 0, snapshot mxFrame 3 (reads the db file only)", out.get(7).result().text());
        assertEquals("frames 1..1 (new WAL generation)", out.get(8).result().text());
        assertEquals("checkpoint C RESTART wait", ScenarioParser.parse("checkpoint C RESTART wait").steps().get(0).script());
    }

    @Test
    void aRejectedCommitLeavesNoTrace() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3);
        sim.checkpoint("C", CheckpointMode.PASSIVE); // fully backfilled: the next writer would restart
        byte[] wal = sim.walFile().bytes();
        String shm = sim.walIndex().toString();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sim.commit("W", List.of(new WalSim.PageWrite(5, null)), 5)); // grows without page 4
        assertEquals(0, sim.restarts());
        org.junit.jupiter.api.Assertions.assertArrayEquals(wal, sim.walFile().bytes());
        assertEquals(shm, sim.walIndex().toString());
        assertFalse(sim.connection("W").reading());
        assertFalse(sim.connection("W").holdsWriteLock());
        assertTrue(sim.commit("W", List.of(new WalSim.PageWrite(3, null)), 3).ok());
    }

    @Test
    void spillOverwriteLeavesZeroSaltFramesUntilTheCommitRewritesThem() throws Exception {
        var out = run("""
                set db-pages 3
                commit W pages 2 size 3
                spill W pages 2,3
                spill W pages 2
                spill W pages 4
                copy wal as mid.db-wal
                copy db as mid.db
                check mid.db mid.db-wal
                commit W pages 3,5 size 5
                begin R
                spill W pages 2
                rollback W
                commit W pages 4 size 5
                """);
        assertEquals("uncommitted frames up to 3", out.get(1).result().text());
        assertEquals("uncommitted frames up to 3, overwritten in place from frame 2 (later frames have zero salts)",
                out.get(2).result().text());
        assertEquals("uncommitted frames up to 4, overwritten in place from frame 2 (later frames have zero salts)",
                out.get(3).result().text());
        assertEquals("equals commit 1", out.get(6).result().text());
        assertEquals("frames 2..5", out.get(7).result().text());
        assertEquals("frames 6..6", out.get(11).result().text(), "the rolled-back spill's frame is overwritten");
    }

    @Test
    void aCrashMidTransactionLeavesTheSpillFootprintAndRecoversTheLastCommit() throws Exception {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(512), 3);
        assertTrue(sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3).ok());
        assertEquals(ResultCode.SQLITE_OK, sim.spill("W", List.of(new WalSim.PageWrite(2, null), new WalSim.PageWrite(3, null))));
        assertEquals(ResultCode.SQLITE_OK, sim.spill("W", List.of(new WalSim.PageWrite(2, null), new WalSim.PageWrite(4, null),
                new WalSim.PageWrite(5, null))));
        byte[] wal = sim.walFile().bytes();
        io.walkit.wal.WalScan scan = io.walkit.wal.WalScanner.scan(io.walkit.io.ByteSource.of(wal, "mid"));
        assertEquals(1, scan.mxFrame());
        assertEquals(5, scan.frameCount());
        var groups = io.walkit.wal.StaleFrames.find(scan).groups();
        var zero = groups.stream().filter(g -> g.kind() == io.walkit.wal.StaleGroup.Kind.ZERO_SALTS).toList();
        assertEquals(1, zero.size(), groups.toString());
        assertEquals(4, zero.getFirst().firstFrame());
        assertEquals(5, zero.getFirst().lastFrame());
        // Frame 2 was overwritten in place: its data is the newest page 2, its checksum stale.
        long off2 = io.walkit.wal.WalFormat.frameOffset(2, 512);
        assertArrayEquals(PageContent.synthetic(512, 2, 2), Arrays.copyOfRange(wal, (int) off2 + 24, (int) off2 + 24 + 512));
        DbImage recovered = sim.crash(CrashPolicy.keepAll());
        assertTrue(recovered.toString().startsWith("recovered = commit 1 "), recovered.toString());
    }

    @Test
    void aCrashAtTheInPlaceOverwriteRecoversTheLastCommit() {
        var out = run("""
                set db-pages 3
                commit W pages 2 size 3
                spill W pages 2,3
                crash-at wal-frame-overwritten 1
                spill W pages 2
                crash db=keep wal=keep
                begin R
                """);
        assertTrue(out.get(3).result().text().contains("wal-frame-overwritten"), out.get(3).result().text());
        assertEquals("recovered = commit 1", out.get(4).result().text());
        assertEquals("slot 1, snapshot mxFrame 1", out.get(5).result().text());
    }
}
