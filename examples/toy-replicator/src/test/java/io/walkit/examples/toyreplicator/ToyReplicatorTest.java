package io.walkit.examples.toyreplicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.sim.ReplicationOracle;
import io.walkit.sim.ScenarioParser;
import org.junit.jupiter.api.Test;

/** The oracle finds the toy replicator's deliberate bug and shrinks it to at most four steps. */
class ToyReplicatorTest {

    @Test
    void theOracleFindsTheBugAndShrinksIt() {
        var result = ReplicationOracle.check(() -> new ToyReplicator(true),
                ReplicationOracle.Options.defaults().withSeed(1).withScenarios(100));
        assertFalse(result.passed());
        var shrunk = result.shrunk().orElseThrow();
        System.out.println(result.report());
        assertTrue(shrunk.scenario().steps().size() <= 4, shrunk.report());
        assertEquals(result.original().orElseThrow().kind(), shrunk.kind());
        // The shrunk script replays: parse it back and it fails the same way.
        var replayed = ScenarioParser.parse(shrunk.scenario().script());
        assertEquals(shrunk.kind(), ReplicationOracle.run(replayed, () -> new ToyReplicator(true)).orElseThrow().kind());
    }

    @Test
    void theCorrectToyPasses() {
        var result = ReplicationOracle.check(() -> new ToyReplicator(false),
                ReplicationOracle.Options.defaults().withSeed(1).withScenarios(100));
        assertTrue(result.passed(), result.report());
    }
}
