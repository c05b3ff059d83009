package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the model with our own seeded generator: the §5.8 invariants and
 * durability hold for every generated scenario. Seeds: {@code -Dwalkit.sim.propSeed=N} (base seed)
 * and {@code -Dwalkit.sim.propCount=N} (scenarios) override the CI defaults.
 */
class PropertyTest {

    private static final long BASE_SEED = Long.getLong("walkit.sim.propSeed", 20261121L);
    private static final int COUNT = Integer.getInteger("walkit.sim.propCount", 1000);

    @Test
    void invariantsAndDurabilityHoldForRandomScenarios() {
        for (int k = 0; k < COUNT; k++) {
            long seed = BASE_SEED + k;
            Scenario s = ScenarioGenerator.generate(new SplittableRandom(seed), 40, true);
            Optional<Properties.Failure> f = Properties.check(s);
            if (f.isPresent()) {
                Scenario shrunk = Shrinker.shrink(s, c -> Properties.check(c).isPresent());
                Properties.Failure sf = Properties.check(shrunk).orElseThrow();
                fail("property violated for seed " + seed + " (rerun: -Dwalkit.sim.propSeed=" + seed
                        + " -Dwalkit.sim.propCount=1): " + sf.message() + "\nshrunk scenario:\n" + sf.transcript());
            }
        }
    }

    @Test
    void lyingFsyncScenariosFindDurabilityViolations() {
        // With lying fsync the durability property must fail for some scenario: proves the check has teeth.
        int found = 0;
        for (int k = 0; k < 300 && found == 0; k++) {
            Scenario s = ScenarioGenerator.generate(new SplittableRandom(BASE_SEED + k), 40, true);
            Scenario lying = new Scenario(s.config().withFsync(FsyncMode.LYING), s.dbPages(), null, s.steps());
            Predicate<Scenario> crashRecoversAcknowledged = c -> {
                // Re-check durability as if fsync were honest: the same property, applied to the lying run.
                Scenario asIfHonest = c;
                WalSim sim = asIfHonest.newModel();
                for (Step st : asIfHonest.steps()) {
                    int ack = sim.latestIndex();
                    try {
                        ScenarioRunner.apply(sim, st);
                    } catch (StepRejectedException | WalSim.CrashPointReached e) {
                        return false;
                    }
                    if (st instanceof Step.Crash && !sim.latestImage().origin().inFlight()
                            && !sim.latestImage().samePages(sim.history().get(ack))) {
                        return true;
                    }
                }
                return false;
            };
            if (crashRecoversAcknowledged.test(lying)) {
                found++;
                Scenario shrunk = Shrinker.shrink(lying, crashRecoversAcknowledged);
                assertTrue(shrunk.steps().size() <= lying.steps().size());
                assertTrue(shrunk.steps().stream().anyMatch(x -> x instanceof Step.Crash), shrunk.script());
                // The shrunk script re-parses to the same steps.
                assertEquals(shrunk.script(), ScenarioParser.parse(shrunk.script()).script());
            }
        }
        assertTrue(found > 0, "no lying-fsync scenario lost an acknowledged commit");
    }

    @Test
    void shrinkerReducesAFailureToAShortScript() {
        // A deliberately false property: "a PASSIVE checkpoint never leaves nBackfill < mxFrame".
        Predicate<Scenario> fails = s -> {
            WalSim sim = s.newModel();
            for (Step st : s.steps()) {
                try {
                    ScenarioRunner.apply(sim, st);
                } catch (StepRejectedException | WalSim.CrashPointReached e) {
                    return false;
                }
                if (st instanceof Step.Checkpoint && sim.walIndex() != null
                        && sim.walIndex().nBackfill() < sim.walIndex().mxFrame()) {
                    return true;
                }
            }
            return false;
        };
        for (int k = 0; k < 500; k++) {
            Scenario s = ScenarioGenerator.generate(new SplittableRandom(k), 40, false);
            if (fails.test(s)) {
                Scenario shrunk = Shrinker.shrink(s, fails);
                // Minimal: a commit, a reader, another commit, a checkpoint.
                assertTrue(shrunk.steps().size() <= 4, shrunk.script());
                assertTrue(fails.test(ScenarioParser.parse(shrunk.script())), shrunk.script());
                return;
            }
        }
        fail("the generator never produced a partial checkpoint");
    }

    @Test
    void generatorIsDeterministicPerSeed() {
        Scenario a = ScenarioGenerator.generate(new SplittableRandom(42), 30, true);
        Scenario b = ScenarioGenerator.generate(new SplittableRandom(42), 30, true);
        assertEquals(a.script(), b.script());
        assertEquals(a.script(), ScenarioParser.parse(a.script()).script());
        assertTrue(Arrays.stream(new long[] {1, 2, 3}).mapToObj(x -> ScenarioGenerator.generate(new SplittableRandom(x), 30, true).script())
                .distinct().count() > 1);
    }
}
