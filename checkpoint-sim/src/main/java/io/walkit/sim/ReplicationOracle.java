package io.walkit.sim;

import io.walkit.replica.ShadowVerdict;
import io.walkit.replica.ShadowVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A property-based oracle for replicators (Litestream-style shadow WAL copiers, or anything that
 * reads a database's files and keeps a replica): it runs generated scenarios on the WAL model,
 * drives a {@link ReplicatorUnderTest} through each step, and checks after every sync that
 *
 * <ol>
 * <li>the replica restores to the model's latest committed image (or, while the model is stopped
 * at a crash point, to the commit in flight) — else {@link FailureKind#REPLICA_STALE} (it equals an
 * older commit of the model's history), {@link FailureKind#REPLICA_CORRUPT} (it equals no committed
 * image) or {@link FailureKind#REPLICA_MISSING} (nothing to restore after a sync);</li>
 * <li>the replicator's decision is no less cautious than {@link ShadowVerifier}'s strict verdict on
 * its shadow WAL and the live WAL (only for replicators that expose a shadow) — else
 * {@link FailureKind#UNSAFE_DECISION};</li>
 * <li>the replicator throws nothing — else {@link FailureKind#REPLICATOR_ERROR}.</li>
 * </ol>
 *
 * <p>The first failing scenario is shrunk ({@link Shrinker}) to the smallest scenario that fails
 * with the <em>same kind</em>; candidates the model refuses a step of run like any other (the
 * refused step is recorded and skipped), and a candidate that fails differently is not taken. The
 * result carries the shrunk scenario with its own failure (step, message, transcript) and the seed
 * that reproduces the original. A walkit bug (any exception from the model) propagates.
 *
 * <p>Stateless; thread-safe if the replicator factory is. The oracle closes every replicator it
 * obtains from the factory, after the scenario's last step (or its first failure).
 */
public final class ReplicationOracle {

    private ReplicationOracle() {}

    /** What went wrong, decided on by the shrinker: a candidate must fail with the same kind. */
    public enum FailureKind {
        /** After a sync the replica restores to an older committed image than the latest. */
        REPLICA_STALE,
        /** After a sync the replica restores to an image no commit ever had. */
        REPLICA_CORRUPT,
        /** After a sync the replicator has nothing to restore. */
        REPLICA_MISSING,
        /** The replicator continued where the files do not prove it may (ShadowVerifier's strict verdict). */
        UNSAFE_DECISION,
        /** The replicator threw an exception. */
        REPLICATOR_ERROR
    }

    /**
     * Oracle settings.
     *
     * @param seed         seed of the first scenario (scenario k uses seed + k)
     * @param scenarios    how many scenarios to run at most
     * @param generator    what the scenarios contain
     * @param shrinkBudget scenario runs the shrinker may spend
     */
    public record Options(long seed, int scenarios, GeneratorOptions generator, int shrinkBudget) {
        /** Checks the bounds. */
        public Options {
            Objects.requireNonNull(generator);
            if (scenarios < 1 || shrinkBudget < 0) {
                throw new IllegalArgumentException("scenarios must be >= 1 and shrinkBudget >= 0");
            }
        }

        /**
         * Seed 1, 200 scenarios, {@link GeneratorOptions#defaults()}, {@link Shrinker#DEFAULT_BUDGET}.
         *
         * @return the default settings
         */
        public static Options defaults() {
            return new Options(1, 200, GeneratorOptions.defaults(), Shrinker.DEFAULT_BUDGET);
        }

        /**
         * The same with another seed.
         *
         * @param v seed of the first scenario
         * @return new settings
         */
        public Options withSeed(long v) { return new Options(v, scenarios, generator, shrinkBudget); }
        /**
         * The same with another scenario count.
         *
         * @param v how many scenarios to run at most (at least 1)
         * @return new settings
         * @throws IllegalArgumentException if {@code v} is below 1
         */
        public Options withScenarios(int v) { return new Options(seed, v, generator, shrinkBudget); }
        /**
         * The same with other generator options.
         *
         * @param v what the scenarios contain
         * @return new settings
         */
        public Options withGenerator(GeneratorOptions v) { return new Options(seed, scenarios, v, shrinkBudget); }
        /**
         * The same with another shrink budget.
         *
         * @param v scenario runs the shrinker may spend (0 or more)
         * @return new settings
         * @throws IllegalArgumentException if {@code v} is negative
         */
        public Options withShrinkBudget(int v) { return new Options(seed, scenarios, generator, v); }
    }

    /**
     * A failed run of one scenario.
     *
     * @param kind       what went wrong
     * @param step       the 1-based step after which it was found
     * @param message    what was found, for people
     * @param scenario   the scenario
     * @param transcript the run up to the failing step: the settings, then each step with its result
     */
    public record Failure(FailureKind kind, int step, String message, Scenario scenario, String transcript) {
        /**
         * The failure for people: kind, step, message, then the transcript.
         *
         * @return multi-line text
         */
        public String report() {
            return kind + " after step " + step + ": " + message + "\n" + transcript;
        }
    }

    /**
     * The outcome of {@link #check}.
     *
     * @param scenariosRun scenarios run (all of them when none failed)
     * @param seed         the seed of the failing scenario (rerun it with {@code withSeed(seed).withScenarios(1)}),
     *                     or the first seed when none failed
     * @param original     the first failure found, if any
     * @param shrunk       that failure shrunk: the smallest scenario found failing with the same kind, and its own failure
     */
    public record Result(int scenariosRun, long seed, Optional<Failure> original, Optional<Failure> shrunk) {
        /**
         * Whether no scenario failed.
         *
         * @return true when {@code original} is empty
         */
        public boolean passed() {
            return original.isEmpty();
        }

        /**
         * A report for people: passed, or the seed, the shrunk script with its failure and the original's size.
         *
         * @return one line when passed, else multi-line text
         */
        public String report() {
            if (passed()) {
                return "passed: " + scenariosRun + " scenarios";
            }
            Failure o = original.orElseThrow();
            Failure s = shrunk.orElseThrow();
            return "FAILED (seed " + seed + ", scenario " + scenariosRun + "; shrunk from " + o.scenario().steps().size()
                    + " to " + s.scenario().steps().size() + " steps)\n" + s.report();
        }
    }

    /**
     * Runs {@code options.scenarios()} generated scenarios against fresh replicators from
     * {@code factory}, stopping at the first failing scenario and shrinking it.
     *
     * @param factory makes one fresh replicator per scenario run (the shrinker calls it again)
     * @param options seed, scenario count, generator and shrink budget
     * @return the outcome
     */
    public static Result check(Supplier<? extends ReplicatorUnderTest> factory, Options options) {
        for (int k = 0; k < options.scenarios(); k++) {
            long seed = options.seed() + k;
            Scenario s = ScenarioGenerator.generate(new SplittableRandom(seed), options.generator());
            Optional<Failure> f = run(s, factory);
            if (f.isPresent()) {
                Failure shrunk = shrink(f.get(), factory, options.shrinkBudget());
                return new Result(k + 1, seed, f, Optional.of(shrunk));
            }
        }
        return new Result(options.scenarios(), options.seed(), Optional.empty(), Optional.empty());
    }

    /**
     * The smallest scenario found within {@code budget} runs that fails like {@code failure}, with its
     * own failure. A replicator that does not fail the same way twice on the same scenario (it is
     * not deterministic) gets {@code failure} back unshrunk when the last rerun passes.
     *
     * @param failure the failure to shrink
     * @param factory makes one fresh replicator per candidate run
     * @param budget  scenario runs the shrinker may spend
     * @return the smallest failure of the same kind found
     */
    public static Failure shrink(Failure failure, Supplier<? extends ReplicatorUnderTest> factory, int budget) {
        Scenario smallest = Shrinker.shrink(failure.scenario(),
                c -> run(c, factory).filter(f -> f.kind() == failure.kind()).isPresent(), budget);
        return run(smallest, factory).filter(f -> f.kind() == failure.kind()).orElse(failure);
    }

    /**
     * Runs one scenario against a fresh replicator from {@code factory}; the first failure, if any.
     * Steps the model refuses are recorded in the transcript and skipped.
     *
     * @param scenario the scenario
     * @param factory  makes the replicator (closed at the end of the run)
     * @return the first failure, or empty when the replicator passed every check
     */
    public static Optional<Failure> run(Scenario scenario, Supplier<? extends ReplicatorUnderTest> factory) {
        WalSim sim = scenario.newModel();
        StringBuilder transcript = new StringBuilder();
        for (String line : scenario.script().split("\n")) {
            if (line.startsWith("set ")) {
                transcript.append(line).append('\n');
            }
        }
        ReplicatorUnderTest replicator = factory.get();
        Driver d = new Driver(scenario, replicator, transcript);
        Optional<Failure> failure = d.call(0, "start", () -> replicator.start(LiveFiles.of(sim)));
        int i = 0;
        boolean up = true;
        for (Step step : scenario.steps()) {
            if (failure.isPresent()) {
                break;
            }
            i++;
            StepResult result = ScenarioRunner.applyOrRecord(sim, step);
            sim.drainNotes();
            transcript.append(step.script()).append("  # -> ").append(result.text()).append('\n');
            if (step instanceof Step.Replication r) {
                if (r.up() == up) {
                    continue; // already in that state
                }
                up = r.up();
                failure = up ? d.call(i, "start", () -> replicator.start(LiveFiles.of(sim))) : d.call(i, "stop", replicator::stop);
                if (!up || failure.isPresent()) {
                    continue;
                }
            }
            if (up) {
                failure = d.afterStep(i, sim, step, result);
            }
        }
        Optional<Failure> closing = d.call(i, "close", replicator::close);
        return failure.isPresent() ? failure : closing;
    }

    /** One run's replicator calls and checks. */
    private static final class Driver {
        private final Scenario scenario;
        private final ReplicatorUnderTest replicator;
        private final StringBuilder transcript;

        Driver(Scenario scenario, ReplicatorUnderTest replicator, StringBuilder transcript) {
            this.scenario = scenario;
            this.replicator = replicator;
            this.transcript = transcript;
        }

        interface Call {
            void run() throws Exception;
        }

        Optional<Failure> call(int step, String what, Call c) {
            try {
                c.run();
                return Optional.empty();
            } catch (Exception e) { // the replicator under test's failure, reported, not carried on from
                return fail(FailureKind.REPLICATOR_ERROR, step, "the replicator's " + what + " threw " + e);
            }
        }

        Optional<Failure> afterStep(int i, WalSim sim, Step step, StepResult result) {
            LiveFiles files = LiveFiles.of(sim);
            byte[] shadowBefore;
            SyncDecision decision;
            byte[] restored;
            try {
                shadowBefore = replicator.shadowWal();
                decision = Objects.requireNonNull(replicator.sync(step, result, files), "sync returned null");
                restored = replicator.restore();
            } catch (Exception e) { // the replicator under test's failure, reported, not carried on from
                return fail(FailureKind.REPLICATOR_ERROR, i, "the replicator's sync or restore threw " + e);
            }
            if (shadowBefore != null && decision != SyncDecision.FIRST_SNAPSHOT) {
                ShadowVerdict v = ShadowVerifier.verify(shadowBefore, files.wal());
                if (decision.lessCautiousThan(v.strictVerdict())) {
                    return fail(FailureKind.UNSAFE_DECISION, i, "the replicator decided " + decision + " but the shadow"
                            + " verifier's verdict is " + v.strictVerdict().json() + " (" + v.reason()
                            + (v.findings().isEmpty() ? "" : "; " + v.findings()) + ")");
                }
            }
            if (restored == null) {
                return fail(FailureKind.REPLICA_MISSING, i, "the replicator decided " + decision
                        + " but has nothing to restore");
            }
            DbImage replica = DbImage.ofFile("replica", restored, sim.pageSize());
            DbImage latest = sim.latestImage();
            if (replica.samePages(latest) || sim.halted() && sim.inflight != null && replica.samePages(sim.inflight)) {
                return Optional.empty();
            }
            int match = sim.findCommitted(replica);
            if (match >= 0) {
                return fail(FailureKind.REPLICA_STALE, i, "the replica restores to " + sim.history().get(match).label()
                        + ", not the latest " + latest.label() + " (pages differing: " + replica.differingPages(latest) + ")");
            }
            return fail(FailureKind.REPLICA_CORRUPT, i, "the replica restores to an image no commit had: "
                    + LogicalImage.explain(replica, sim.history()));
        }

        Optional<Failure> fail(FailureKind kind, int step, String message) {
            return Optional.of(new Failure(kind, step, message, scenario, transcript.toString()));
        }
    }
}
