package io.walkit.cli;

import io.walkit.sim.Narration;
import io.walkit.sim.Scenarios;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim checkpoint-crash}: a crash after each of the six steps of a checkpoint and WAL restart. */
@Command(name = "checkpoint-crash", mixinStandardHelpOptions = true,
        description = {"Crashes the model after each of the six steps of a checkpoint followed by a WAL restart,",
                "with honest and with lying fsync, and tells what recovery finds."})
final class SimCheckpointCrashCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--json", description = "print one JSON object: {\"title\", \"facts\": {\"badOutcomes\", \"badOutcomesHonest\"}, \"files\"}")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Narration n = Scenarios.checkpointRestartCrashes();
        if (json) {
            spec.commandLine().getOut().println(SimNarrationJson.write(new Json(), n));
            return Walkit.EXIT_OK;
        }
        spec.commandLine().getOut().print(n.text());
        return Walkit.EXIT_OK;
    }
}
