package io.walkit.examples.toyreplicator;

import io.walkit.sim.GeneratorOptions;
import io.walkit.sim.ReplicationOracle;

/**
 * Runs the replication oracle on the toy replicator: the correct one passes, the buggy one fails
 * and is shrunk to a short script. Exit status 0 when both happen as expected, 1 otherwise.
 */
public final class Main {

    private Main() {}

    /** Prints both oracle reports; exit 0 when the correct toy passes and the bug is found and shrunk to at most 4 steps. */
    public static void main(String[] args) {
        System.exit(run() ? 0 : 1);
    }

    /** What {@link #main} checks, without exiting. */
    public static boolean run() {
        ReplicationOracle.Options options = ReplicationOracle.Options.defaults()
                .withSeed(1)
                .withScenarios(100)
                .withGenerator(GeneratorOptions.defaults().withDowntime(5));
        ReplicationOracle.Result correct = ReplicationOracle.check(() -> new ToyReplicator(false), options);
        System.out.println("correct toy: " + correct.report());
        ReplicationOracle.Result buggy = ReplicationOracle.check(() -> new ToyReplicator(true), options);
        System.out.println("buggy toy: " + buggy.report());
        return correct.passed() && !buggy.passed()
                && buggy.shrunk().orElseThrow().scenario().steps().size() <= 4
                && buggy.shrunk().orElseThrow().kind() == buggy.original().orElseThrow().kind();
    }
}
