package io.walkit.cli;

import io.walkit.sim.Properties;
import io.walkit.sim.Scenario;
import io.walkit.sim.ScenarioGenerator;
import io.walkit.sim.Shrinker;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim generate}: random scenarios from the property-test generator, checked by the oracle. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Prints a random scenario script from the seeded property-test generator, or with --check",
                "runs COUNT of them through the property oracle (checkpoint invariants and durability) and prints",
                "the first failure's seed and shrunk script."})
final class SimGenerateCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--seed", defaultValue = "1", description = "generator seed (default 1)")
    long seed;

    @CommandLine.Option(names = "--steps", defaultValue = "40", description = "size bound (default 40)")
    int steps;

    @CommandLine.Option(names = "--no-crashes", description = "generate no crashes or crash points")
    boolean noCrashes;

    @CommandLine.Option(names = "--check", paramLabel = "COUNT",
            description = "check COUNT scenarios (seeds SEED, SEED+1, ...) instead of printing one")
    Integer check;

    @CommandLine.Option(names = "--json", description = {"print one JSON object: {\"seed\", \"script\"}; with --check:",
            "{\"checked\", \"passed\", \"seed\", \"step\", \"message\", \"script\", \"transcript\"} (the last five for a failure)"})
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var pw = spec.commandLine().getOut();
        if (steps < 1) {
            throw new Errors.UsageException("--steps must be at least 1");
        }
        if (check == null) {
            String script = ScenarioGenerator.generate(new SplittableRandom(seed), steps, !noCrashes).script();
            pw.print(json ? new Json().beginObject().field("seed", seed).field("script", script).endObject() + "\n" : script);
            return Walkit.EXIT_OK;
        }
        for (long s = seed; s < seed + check; s++) {
            Scenario sc = ScenarioGenerator.generate(new SplittableRandom(s), steps, !noCrashes);
            var f = Properties.check(sc);
            if (f.isPresent()) {
                Scenario shrunk = Shrinker.shrink(sc, c -> Properties.check(c).isPresent());
                var sf = Properties.check(shrunk).orElseThrow();
                if (json) {
                    pw.println(new Json().beginObject().field("checked", s - seed + 1).field("passed", false).field("seed", s)
                            .field("step", sf.step()).field("message", sf.message()).field("script", shrunk.script())
                            .field("transcript", sf.transcript()).endObject());
                } else {
                    pw.println("seed " + s + ": " + sf.message());
                    pw.print(sf.transcript());
                }
                return Walkit.EXIT_PROBLEMS;
            }
        }
        pw.println(json ? new Json().beginObject().field("checked", check).field("passed", true).endObject()
                : check + " scenarios from seed " + seed + ": all properties hold");
        return Walkit.EXIT_OK;
    }
}
