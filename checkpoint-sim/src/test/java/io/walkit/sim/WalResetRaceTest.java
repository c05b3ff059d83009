package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint's sub-steps and the two {@link CheckpointRule}s: an interleaving-free run is the
 * atomic checkpoint byte for byte; the WAL-reset race corrupts the database under pre-fix (walkit's
 * and SQLite's integrity checks agree) and is harmless under post-fix; the -shm check names it.
 */
class WalResetRaceTest {

    @TempDir
    Path dir;

    /** The same scenario with every atomic checkpoint replaced by its four sub-steps in a row. */
    private static Scenario split(Scenario s) {
        List<Step> out = new ArrayList<>();
        for (Step st : s.steps()) {
            if (st instanceof Step.Checkpoint k) {
                out.add(new Step.CkptBegin(k.conn(), k.mode(), k.waitSucceeds()));
                out.add(new Step.CkptMarks(k.conn()));
                out.add(new Step.CkptCopy(k.conn()));
                out.add(new Step.CkptEnd(k.conn()));
            } else {
                out.add(st);
            }
        }
        return s.withSteps(out);
    }

    @Test
    void subStepsInARowAreTheAtomicCheckpointByteForByte() {
        for (long seed = 1; seed <= 300; seed++) {
            Scenario atomic = ScenarioGenerator.generate(new SplittableRandom(seed), 40, true);
            for (CheckpointRule rule : CheckpointRule.values()) {
                Scenario a = new Scenario(atomic.config().withRule(rule), atomic.dbPages(), null, atomic.steps());
                Scenario b = split(a);
                List<String> ra = new ArrayList<>();
                WalSim sa = new ScenarioRunner(false, false).run(a, o -> ra.add(o.result().text()));
                List<String> rb = new ArrayList<>();
                WalSim sb = new ScenarioRunner(false, false).run(b, o -> {
                    StepResult r = o.result();
                    boolean keep = switch (o.step()) {
                        case Step.CkptBegin x -> r instanceof StepResult.Checkpointed; // else the row comes from ckpt-end
                        case Step.CkptMarks x -> r instanceof StepResult.Stopped;
                        case Step.CkptCopy x -> r instanceof StepResult.Stopped;
                        case Step.CkptEnd x -> !(r instanceof StepResult.Rejected); // it ended early or at a crash point
                        default -> true;
                    };
                    if (keep) {
                        rb.add(r.text());
                    }
                });
                String ctx = "seed " + seed + " " + rule + "\n" + a.script();
                // Each atomic checkpoint's row is the row of its ckpt-end (or of a ckpt-begin that ended it).
                assertEquals(ra, rb, ctx);
                assertArrayEquals(sa.dbFile().bytes(), sb.dbFile().bytes(), ctx);
                assertEquals(sa.walFile().exists(), sb.walFile().exists(), ctx);
                if (sa.walFile().exists()) {
                    assertArrayEquals(sa.walFile().bytes(), sb.walFile().bytes(), ctx);
                }
                assertArrayEquals(sa.shmImage(), sb.shmImage(), ctx);
            }
        }
    }

    @Test
    void aSecondCheckpointIsBusyWhileTheFirstHoldsCkpt() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(512), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3);
        assertNull(sim.checkpointBegin("C1", CheckpointMode.PASSIVE, false));
        assertEquals("(1,-1,-1)", sim.checkpoint("C2", CheckpointMode.FULL).toString());
        assertEquals("(1,-1,-1)", sim.checkpointBegin("C2", CheckpointMode.PASSIVE, false).toString());
        assertEquals("(0,1,1)", sim.checkpointEnd("C1").toString());
        assertEquals("(0,1,1)", sim.checkpoint("C2", CheckpointMode.PASSIVE).toString());
    }

    @Test
    void aFullCheckpointHoldsTheWriteLockAcrossItsSubSteps() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(512), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3);
        assertNull(sim.checkpointBegin("C", CheckpointMode.FULL, false));
        assertEquals(ResultCode.SQLITE_BUSY, sim.commit("W", List.of(new WalSim.PageWrite(3, null)), 3).status());
        assertEquals("(0,1,1)", sim.checkpointEnd("C").toString());
        assertTrue(sim.commit("W", List.of(new WalSim.PageWrite(3, null)), 3).ok());
    }

    @Test
    void aConnectionInsideACheckpointCanDoNothingElse() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(512), 3);
        assertNull(sim.checkpointBegin("C", CheckpointMode.PASSIVE, false));
        StepRejectedException e = assertThrows(StepRejectedException.class, () -> sim.beginRead("C"));
        assertTrue(e.getMessage().contains("C is inside a checkpoint"), e.getMessage());
        assertThrows(StepRejectedException.class, () -> sim.checkpointBegin("C", CheckpointMode.PASSIVE, false));
        assertThrows(StepRejectedException.class, () -> sim.close("C"));
        // Another connection is free to act.
        assertEquals(ResultCode.SQLITE_OK, sim.beginRead("R"));
        sim.checkpointEnd("C");
        assertEquals(ResultCode.SQLITE_OK, sim.beginRead("C"));
    }

    @Test
    void aCrashEndsTheCheckpointInProgress() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(512), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3);
        assertNull(sim.checkpointBegin("C", CheckpointMode.PASSIVE, false));
        sim.checkpointMarks("C");
        sim.crash(CrashPolicy.keepAll());
        assertFalse(sim.inCheckpoint("C"));
        assertEquals("(0,1,1)", sim.checkpoint("C", CheckpointMode.PASSIVE).toString());
    }

    @Test
    void theRestartSubStepLetsTheWriterRestartBeforeWritingFrames() {
        Scenario s = ScenarioParser.parse("""
                set page-size 512
                commit W pages 1,2 size 3
                checkpoint C PASSIVE
                write-lock W
                restart-log W
                ckpt-begin C2 PASSIVE
                commit W pages 3 size 3
                ckpt-end C2
                """);
        List<ScenarioRunner.Outcome> o = new ScenarioRunner(false, true).runAll(s);
        assertTrue(o.get(3).result() instanceof StepResult.LogRestarted l && l.restarted(), o.get(3).describe());
        assertEquals("frames 1..1", o.get(5).result().text());
        // C2 read the header after the restart (mxFrame 0): nothing to copy, nothing stale.
        assertEquals("(0,0,0)", o.get(6).result().text());
        o.forEach(x -> assertEquals(List.of(), x.violations(), x.describe()));
    }

    @Test
    void scriptsCarryTheRuleAndTheSubSteps() {
        String script = """
                set page-size 512
                set rule pre-fix
                set db-pages 3
                ckpt-begin C FULL wait
                ckpt-marks C
                ckpt-copy C
                ckpt-end C
                write-lock W
                restart-log W
                """;
        Scenario s = ScenarioParser.parse(script);
        assertEquals(CheckpointRule.PRE_FIX, s.config().rule());
        assertEquals(script, s.script());
        assertEquals(CheckpointRule.POST_FIX, ScenarioParser.parse("commit W pages 1 size 3").config().rule());
        assertFalse(ScenarioParser.parse("commit W pages 1 size 3").script().contains("set rule"));
    }

    @Test
    void preFixCorruptsTheDatabaseAndSqliteAgrees() throws Exception {
        WalResetRace.Result r = WalResetRace.run(CheckpointRule.PRE_FIX);
        assertTrue(r.nBackfillWrong());
        assertTrue(r.corrupt(), r.integrity().summary(5));
        assertTrue(r.finalImage().startsWith("equals no committed image"), r.finalImage());
        assertFalse(RealSqliteDifferentialTest.agreedIntegrityOk(dir.resolve("pre.db"), r.files().get("final.db"), null));
        List<String> codes = r.shmFindings().stream().map(p -> p.code().id()).toList();
        assertTrue(codes.contains("nbackfill-exceeds-mxframe"), codes.toString());
        assertTrue(codes.contains("backfilled-page-differs"), codes.toString());
        assertTrue(codes.contains("wal-reset-race"), codes.toString());
    }

    @Test
    void postFixLeavesTheLastCommitAndSqliteAgrees() throws Exception {
        WalResetRace.Result r = WalResetRace.run(CheckpointRule.POST_FIX);
        assertFalse(r.nBackfillWrong());
        assertFalse(r.corrupt(), r.integrity().summary(5));
        assertEquals("equals commit 5", r.finalImage());
        assertTrue(RealSqliteDifferentialTest.agreedIntegrityOk(dir.resolve("post.db"), r.files().get("final.db"), null));
        assertTrue(r.shmFindings().stream().noneMatch(f -> f.severity() == io.walkit.io.Problem.Severity.ERROR), r.shmFindings().toString());
        for (ScenarioRunner.Outcome o : r.outcomes()) {
            assertEquals(List.of(), o.violations(), o.describe());
        }
    }

    @Test
    void theTestdataScheduleReplaysTheRace() throws Exception {
        Path scn = RealPagesScenarioTest.testdata().resolve("wal-reset-race.scn");
        Scenario s = ScenarioParser.parse(Files.readString(scn), scn.getParent());
        assertEquals(CheckpointRule.PRE_FIX, s.config().rule());
        assertEquals(WalResetRace.scenario(CheckpointRule.PRE_FIX).steps().stream().map(Step::script).toList(),
                s.steps().stream().map(Step::script).toList());
        WalSim sim = new ScenarioRunner(false, true).run(s, o -> { });
        assertTrue(CopyIntegrity.check(sim.copies().get("final.db"), null).report().problems().size() > 0);
    }

    @Test
    void narrationNamesBothRules() {
        Narration n = WalResetRace.narrate();
        assertEquals(true, n.facts().get("preFixCorrupt"));
        assertEquals(false, n.facts().get("postFixCorrupt"));
        assertTrue(n.text().contains("== rule pre-fix ==") && n.text().contains("== rule post-fix =="));
        assertTrue(n.files().containsKey("pre-fix-raced.db-shm"));
    }
}
