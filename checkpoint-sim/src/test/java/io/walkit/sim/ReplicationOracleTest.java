package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The replication oracle finds a toy replicator's deliberate bug, shrinks it, and passes the correct toy. */
class ReplicationOracleTest {

    private static final long SEED = Long.getLong("walkit.sim.oracleSeed", 1L);

    @Test
    void passesTheCorrectToyReplicatorWithDowntimeSpillsPaddingAndBigEndianWriters() {
        var options = ReplicationOracle.Options.defaults().withSeed(SEED).withScenarios(150);
        var result = ReplicationOracle.check(() -> new ToyReplicator(false), options);
        assertTrue(result.passed(), result.report());
        assertEquals(150, result.scenariosRun());
    }

    @Test
    void passesTheCorrectToyReplicatorThroughCrashes() {
        var options = ReplicationOracle.Options.defaults().withSeed(SEED + 1000).withScenarios(100)
                .withGenerator(GeneratorOptions.defaults().withCrashes(true));
        var result = ReplicationOracle.check(() -> new ToyReplicator(false), options);
        assertTrue(result.passed(), result.report());
    }

    @Test
    void findsTheToyReplicatorsBugAndShrinksItToFourStepsOrFewer() {
        var result = ReplicationOracle.check(() -> new ToyReplicator(true),
                ReplicationOracle.Options.defaults().withSeed(SEED));
        assertFalse(result.passed(), "the oracle missed the deliberate bug");
        var original = result.original().orElseThrow();
        var shrunk = result.shrunk().orElseThrow();
        System.out.println(result.report());
        assertEquals(original.kind(), shrunk.kind(), "the shrunk scenario fails the same way");
        assertTrue(shrunk.scenario().steps().size() <= 4, shrunk.report());
        assertTrue(shrunk.scenario().steps().size() <= original.scenario().steps().size());
        // The shrunk script replays: parsed back, it is the same scenario and fails the same way.
        Scenario replayed = ScenarioParser.parse(shrunk.scenario().script());
        assertEquals(shrunk.scenario(), replayed);
        assertEquals(shrunk.kind(), ReplicationOracle.run(replayed, () -> new ToyReplicator(true)).orElseThrow().kind());
        // And the correct replicator passes the same script.
        assertTrue(ReplicationOracle.run(replayed, () -> new ToyReplicator(false)).isEmpty());
    }

    @Test
    void aRestartTheReplicatorMissesIsAnUnsafeDecision() {
        Scenario s = ScenarioParser.parse("""
                set page-size 512
                commit W pages 1 size 3
                checkpoint C PASSIVE
                commit W pages 2 size 3
                """);
        var f = ReplicationOracle.run(s, () -> new ToyReplicator(true)).orElseThrow();
        assertEquals(ReplicationOracle.FailureKind.UNSAFE_DECISION, f.kind(), f.report());
        assertEquals(3, f.step());
        assertTrue(f.message().contains("position-lost"), f.message());
    }

    @Test
    void keepsTheOriginalFailureKindWhileShrinking() {
        // A replicator that is stale after any restart and throws once the database has grown to 5
        // pages: the shrinker must not trade a REPLICA_STALE for the (easier) REPLICATOR_ERROR.
        Scenario s = ScenarioParser.parse("""
                set page-size 512
                commit W pages 1 size 3
                checkpoint C PASSIVE
                commit W pages 2 size 3
                commit W pages 4,5 size 5
                """);
        class Stale implements ReplicatorUnderTest {
            private final ToyReplicator inner = new ToyReplicator(false);
            private byte[] first;
            @Override public SyncDecision sync(Step step, StepResult result, LiveFiles files) {
                if (files.impliedDatabase().length >= 5 * 512) {
                    throw new IllegalStateException("boom");
                }
                SyncDecision d = inner.sync(step, result, files);
                if (first == null) {
                    first = inner.restore();
                }
                return d;
            }
            @Override public byte[] restore() {
                return first; // never moves past its first snapshot
            }
        }
        var first = ReplicationOracle.run(s, Stale::new).orElseThrow();
        assertEquals(ReplicationOracle.FailureKind.REPLICA_STALE, first.kind());
        var shrunk = ReplicationOracle.shrink(first, Stale::new, 500);
        assertEquals(ReplicationOracle.FailureKind.REPLICA_STALE, shrunk.kind(), shrunk.report());
        assertTrue(shrunk.scenario().steps().size() <= 2, shrunk.report());
    }

    @Test
    void aThrowingReplicatorIsReportedNotPropagated() {
        Scenario s = ScenarioParser.parse("commit W pages 1 size 3\nreplicator down\ncommit W pages 2 size 3\nreplicator up\n");
        class Throws implements ReplicatorUnderTest {
            private final ToyReplicator inner = new ToyReplicator(false);
            private int syncs;
            @Override public SyncDecision sync(Step step, StepResult result, LiveFiles files) {
                if (++syncs == 2) {
                    throw new IllegalStateException("second sync");
                }
                return inner.sync(step, result, files);
            }
            @Override public byte[] restore() {
                return inner.restore();
            }
        }
        var f = ReplicationOracle.run(s, Throws::new).orElseThrow();
        assertEquals(ReplicationOracle.FailureKind.REPLICATOR_ERROR, f.kind(), f.report());
        assertEquals(4, f.step(), "no sync while the replicator is down");
    }

    @Test
    void refusedStepsInShrinkCandidatesAreRecordedNotFatal() {
        // Dropping the first commit makes the second one grow the database without writing page 4.
        Scenario s = ScenarioParser.parse("commit W pages 4 size 4\ncommit W pages 1 size 4\n");
        var shorter = s.withSteps(List.of(s.steps().get(1)));
        assertTrue(ReplicationOracle.run(shorter, () -> new ToyReplicator(false)).isEmpty());
        var outcome = new ScenarioRunner(false, false).runAll(shorter).getFirst();
        assertTrue(outcome.result() instanceof StepResult.Rejected, outcome.describe());
    }
}
