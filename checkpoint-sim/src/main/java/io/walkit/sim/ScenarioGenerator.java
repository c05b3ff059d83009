package io.walkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seeded, library-neutral generator of random scenarios over synthetic pages: writers, up to five
 * readers (more than the four WAL read-mark slots, so slot exhaustion happens), checkpoints of
 * every mode, closes, crashes (optionally at a crash point inside a checkpoint or commit) and
 * backup copies. Callable from any test framework: give it a {@link RandomGenerator} and a size
 * bound.
 */
public final class ScenarioGenerator {

    private static final String[] READERS = {"R1", "R2", "R3", "R4", "R5"};
    private static final String[] WRITERS = {"W", "W2"};

    private ScenarioGenerator() {}

    /**
     * A scenario of at most {@code maxSteps} steps.
     *
     * @param random       the source of randomness (its seed identifies the scenario)
     * @param maxSteps     size bound
     * @param allowCrashes whether crashes (and crash points) may appear
     */
    public static Scenario generate(RandomGenerator random, int maxSteps, boolean allowCrashes) {
        WalSim.Config config = WalSim.Config.defaults()
                .withPageSize(512)
                .withSaltSeed(random.nextLong())
                .withAutocheckpoint(random.nextInt(4) == 0 ? 4 + random.nextInt(12) : 0)
                .withPersistentWal(random.nextInt(4) == 0)
                .withJournalSizeLimit(random.nextInt(5) == 0 ? 0 : -1)
                .withSectorSize(random.nextInt(6) == 0 ? 4096 : 0);
        int dbPages = 1 + random.nextInt(5);
        int size = dbPages;
        int steps = 1 + random.nextInt(Math.max(1, maxSteps));
        List<Step> out = new ArrayList<>();
        List<String> reading = new ArrayList<>();
        int copies = 0;
        if (random.nextInt(4) == 0) {
            out.add(new Step.NativeOrder("W2", true)); // W2 runs on a big-endian host
        }
        while (out.size() < steps) {
            int op = random.nextInt(100);
            if (op < 35) {
                int grow = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
                int n = 1 + random.nextInt(Math.min(4, size));
                int[] pages = java.util.stream.IntStream.concat(random.ints(n, 1, size + 1),
                        java.util.stream.IntStream.rangeClosed(size + 1, size + grow)).distinct().sorted().toArray();
                int newSize = size + grow;
                if (random.nextInt(10) == 0 && newSize > 1) {
                    newSize--; // a commit that shrinks the database
                }
                size = newSize;
                String w = WRITERS[random.nextInt(random.nextInt(3) == 0 ? 2 : 1)];
                if (random.nextInt(4) == 0) {
                    // Cache pressure: some of the transaction's pages spill before the commit, one
                    // of them twice (an in-place overwrite when it lands after another spilled page).
                    int limit = size;
                    int[] within = java.util.Arrays.stream(pages).filter(p -> p <= limit).toArray();
                    if (within.length > 0) {
                        int again = within[random.nextInt(within.length)];
                        int[] spilled = java.util.stream.IntStream.concat(java.util.Arrays.stream(within),
                                java.util.stream.IntStream.of(again)).toArray();
                        out.add(new Step.Spill(w, spilled));
                    }
                }
                out.add(new Step.Commit(w, pages, size));
            } else if (op < 60) {
                String r = READERS[random.nextInt(READERS.length)];
                if (reading.remove(r)) {
                    out.add(new Step.End(r));
                } else {
                    reading.add(r);
                    out.add(new Step.Begin(r));
                }
            } else if (op < 82) {
                CheckpointMode mode = CheckpointMode.values()[random.nextInt(4)];
                boolean wait = random.nextInt(5) == 0;
                out.add(new Step.Checkpoint("C", mode, wait));
                if (wait) {
                    reading.clear(); // a waiting checkpoint may have let any reader finish
                }
            } else if (op < 87) {
                String c = random.nextBoolean() && !reading.isEmpty() ? reading.remove(random.nextInt(reading.size()))
                        : WRITERS[0];
                out.add(new Step.Close(c));
            } else if (op < 93 && allowCrashes) {
                if (random.nextBoolean()) {
                    String point = WalSim.CRASH_POINTS.get(random.nextInt(WalSim.CRASH_POINTS.size()));
                    out.add(new Step.CrashAt(point, 1));
                    out.add(random.nextBoolean() ? new Step.Checkpoint("C", CheckpointMode.values()[random.nextInt(4)])
                            : new Step.Commit("W", new int[] {1 + random.nextInt(size)}, size));
                }
                CrashPolicy.FileFate[] fates = CrashPolicy.FileFate.values();
                out.add(new Step.Crash(new CrashPolicy(fates[random.nextInt(fates.length)], fates[random.nextInt(fates.length)],
                        random.nextLong())));
                reading.clear();
            } else {
                copies++;
                out.add(new Step.Copy("db", "c" + copies + ".db"));
                out.add(new Step.Copy("wal", "c" + copies + ".db-wal"));
                out.add(new Step.Check("c" + copies + ".db", "c" + copies + ".db-wal"));
            }
        }
        return new Scenario(config, dbPages, null, List.copyOf(out));
    }
}
