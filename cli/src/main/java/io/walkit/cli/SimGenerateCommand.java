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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var pw = spec.commandLine().getOut();
        if (steps < 1) {
            throw new Errors.UsageException("--steps must be at least 1");
        }
        if (check == null) {
            pw.print(ScenarioGenerator.generate(new SplittableRandom(seed), steps, !noCrashes).script());
            return Walkit.EXIT_OK;
        }
        for (long s = seed; s < seed + check; s++) {
            Scenario sc = ScenarioGenerator.generate(new SplittableRandom(s), steps, !noCrashes);
            var f = Properties.check(sc);
            if (f.isPresent()) {
                Scenario shrunk = Shrinker.shrink(sc, c -> Properties.check(c).isPresent());
                var sf = Properties.check(shrunk).orElseThrow();
                pw.println("seed " + s + ": " + sf.message());
                pw.print(sf.transcript());
                return Walkit.EXIT_PROBLEMS;
            }
        }
        pw.println(check + " scenarios from seed " + seed + ": all properties hold");
        return Walkit.EXIT_OK;
    }
}
