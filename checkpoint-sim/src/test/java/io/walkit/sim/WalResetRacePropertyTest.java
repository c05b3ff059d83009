package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Explores interleavings of checkpoint sub-steps with commits, reads and other checkpoints
 * (bounded, seeded, shrinking) and checks the §5.8 invariants after every step. Under the
 * {@code pre-fix} rule it must find the WAL-reset race from scratch (no hint in the generator
 * beyond "checkpoints may be split into sub-steps"); under {@code post-fix} the same schedules
 * must be clean. Seeds: {@code -Dwalkit.sim.raceSeed=N}, {@code -Dwalkit.sim.raceCount=N}.
 */
class WalResetRacePropertyTest {

    private static final long BASE_SEED = Long.getLong("walkit.sim.raceSeed", 20261123L);
    private static final int COUNT = Integer.getInteger("walkit.sim.raceCount", 3000);
    private static final int MAX_STEPS = 30;

    /**
     * A random schedule: writer W commits (sometimes taking the WRITE lock and restarting the log
     * as a step of its own), reader R begins and ends, checkpointers C1 and C2 run atomic
     * checkpoints or start one whose later sub-steps are scattered among the following steps.
     */
    static Scenario schedule(RandomGenerator random, CheckpointRule rule) {
        WalSim.Config config = WalSim.Config.defaults().withPageSize(512).withSaltSeed(random.nextLong()).withRule(rule);
        int size = 3 + random.nextInt(3);
        List<Step> out = new ArrayList<>();
        // Pending sub-steps per checkpointer, in order.
        Map<String, List<Step>> pending = new LinkedHashMap<>();
        boolean reading = false;
        boolean writeLocked = false;
        int steps = 8 + random.nextInt(MAX_STEPS - 8);
        while (out.size() < steps) {
            // Continue a split checkpoint now and then.
            if (!pending.isEmpty() && random.nextInt(3) == 0) {
                String c = new ArrayList<>(pending.keySet()).get(random.nextInt(pending.size()));
                List<Step> rest = pending.get(c);
                out.add(rest.removeFirst());
                if (rest.isEmpty()) {
                    pending.remove(c);
                }
                continue;
            }
            int op = random.nextInt(100);
            if (op < 40) {
                int n = 1 + random.nextInt(3);
                List<Integer> pages = random.ints(n, 1, size + 1).distinct().sorted().boxed().toList();
                if (!writeLocked && random.nextInt(8) == 0) {
                    out.add(new Step.WriteLock("W"));
                    out.add(new Step.RestartLog("W"));
                }
                writeLocked = false;
                out.add(new Step.Commit("W", pages, size));
            } else if (op < 52) {
                out.add(reading ? new Step.End("R") : new Step.Begin("R"));
                reading = !reading;
            } else if (op < 75) {
                String c = random.nextBoolean() ? "C1" : "C2";
                out.add(new Step.Checkpoint(c, mode(random)));
            } else {
                String c = random.nextBoolean() ? "C1" : "C2";
                if (pending.containsKey(c)) {
                    continue;
                }
                out.add(new Step.CkptBegin(c, mode(random), false));
                pending.put(c, new ArrayList<>(List.of(new Step.CkptMarks(c), new Step.CkptCopy(c), new Step.CkptEnd(c))));
            }
        }
        for (List<Step> rest : pending.values()) {
            out.addAll(rest);
        }
        return new Scenario(config, size, null, List.copyOf(out));
    }

    private static CheckpointMode mode(RandomGenerator random) {
        return random.nextInt(3) == 0 ? CheckpointMode.values()[1 + random.nextInt(3)] : CheckpointMode.PASSIVE;
    }

    /** The first invariant violation of a run, as "step N (script): violation", or empty. */
    static Optional<String> violation(Scenario s) {
        List<String> found = new ArrayList<>();
        new ScenarioRunner(false, true).run(s, o -> {
            if (found.isEmpty() && !o.violations().isEmpty()) {
                found.add("step " + o.index() + " (" + o.step().script() + "): " + o.violations().getFirst());
            }
        });
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** The shrunk schedule's script, with each step's outcome as a comment. */
    private static String transcript(Scenario s) {
        StringBuilder sb = new StringBuilder();
        for (String line : s.script().split("\n")) {
            if (line.startsWith("set ")) {
                sb.append(line).append('\n');
            }
        }
        for (ScenarioRunner.Outcome o : new ScenarioRunner(false, true).runAll(s)) {
            sb.append(o.describe()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void findsTheRaceFromScratchUnderThePreFixRuleAndShrinksIt() {
        long started = System.nanoTime();
        for (int k = 0; k < COUNT; k++) {
            long seed = BASE_SEED + k;
            Scenario s = schedule(new SplittableRandom(seed), CheckpointRule.PRE_FIX);
            Optional<String> v = violation(s);
            if (v.isEmpty()) {
                continue;
            }
            Scenario shrunk = Shrinker.shrink(s, c -> violation(c).isPresent());
            String script = shrunk.script();
            System.out.println("WAL-reset race found under pre-fix after " + (k + 1) + " schedules (seed " + seed + ", "
                    + (System.nanoTime() - started) / 1_000_000 + " ms): " + violation(shrunk).orElseThrow()
                    + "\nshrunk schedule (replays with walkit sim run):\n" + transcript(shrunk));
            // The shrunk schedule is the race: a checkpoint split around a restarting commit.
            assertTrue(shrunk.steps().stream().anyMatch(x -> x instanceof Step.CkptBegin), script);
            assertTrue(script.contains("set rule pre-fix"), script);
            // It replays from its script, and the same schedule is harmless under the post-fix rule.
            Scenario replayed = ScenarioParser.parse(script);
            assertEquals(script, replayed.script());
            assertTrue(violation(replayed).isPresent(), script);
            Scenario fixed = new Scenario(shrunk.config().withRule(CheckpointRule.POST_FIX), shrunk.dbPages(), null,
                    shrunk.steps());
            assertEquals(Optional.empty(), violation(fixed), fixed.script());
            return;
        }
        fail("no interleaving of " + COUNT + " schedules (seeds " + BASE_SEED + "..) broke an invariant under pre-fix");
    }

    @Test
    void findsNothingUnderThePostFixRule() {
        for (int k = 0; k < COUNT; k++) {
            long seed = BASE_SEED + k;
            Scenario s = schedule(new SplittableRandom(seed), CheckpointRule.POST_FIX);
            Optional<String> v = violation(s);
            if (v.isPresent()) {
                Scenario shrunk = Shrinker.shrink(s, c -> violation(c).isPresent());
                fail("invariant violated under post-fix for seed " + seed + " (rerun: -Dwalkit.sim.raceSeed=" + seed
                        + " -Dwalkit.sim.raceCount=1): " + violation(shrunk).orElseThrow() + "\nshrunk schedule:\n"
                        + transcript(shrunk));
            }
        }
    }
}
