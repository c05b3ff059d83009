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
 *
 * <p>Stateless; thread-safe (a {@link RandomGenerator} instance is used by one call at a time).
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
     * @return the scenario
     */
    public static Scenario generate(RandomGenerator random, int maxSteps, boolean allowCrashes) {
        // The fixed mix the property tests were written with: without crashes their share goes to copies.
        GeneratorOptions.Weights weights = allowCrashes ? GeneratorOptions.Weights.defaults()
                : new GeneratorOptions.Weights(35, 25, 22, 5, 0, 13);
        return generate(random, new GeneratorOptions(Math.max(1, maxSteps), weights, true, true, true, allowCrashes, 0));
    }

    /**
     * A scenario drawn with {@code options}: step kinds by weight, spills, a big-endian second
     * writer, sector padding and crashes only when enabled, and {@code replicator down}/{@code up}
     * steps (downtime of the replicator under test) with the given chance per step. The same
     * random sequence gives the same scenario.
     *
     * @param random  the source of randomness (its seed identifies the scenario)
     * @param options what the scenario may contain
     * @return the scenario
     */
    public static Scenario generate(RandomGenerator random, GeneratorOptions options) {
        GeneratorOptions.Weights w = options.weights();
        WalSim.Config config = WalSim.Config.defaults()
                .withPageSize(512)
                .withSaltSeed(random.nextLong())
                .withAutocheckpoint(random.nextInt(4) == 0 ? 4 + random.nextInt(12) : 0)
                .withPersistentWal(random.nextInt(4) == 0)
                .withJournalSizeLimit(random.nextInt(5) == 0 ? 0 : -1)
                .withSectorSize(options.sectorPadding() && random.nextInt(6) == 0 ? 4096 : 0);
        int dbPages = 1 + random.nextInt(5);
        int size = dbPages;
        int steps = 1 + random.nextInt(options.maxSteps());
        List<Step> out = new ArrayList<>();
        List<String> reading = new ArrayList<>();
        int copies = 0;
        boolean replicatorUp = true;
        if (options.bigEndian() && random.nextInt(4) == 0) {
            out.add(new Step.NativeOrder("W2", true)); // W2 runs on a big-endian host
        }
        int crashWeight = options.crashes() ? w.crash() : 0;
        int total = w.commit() + w.read() + w.checkpoint() + w.close() + crashWeight + w.copy();
        if (total == 0) {
            throw new IllegalArgumentException("every enabled step kind has weight 0");
        }
        while (out.size() < steps) {
            if (options.downtime() > 0 && random.nextInt(100) < options.downtime()) {
                replicatorUp = !replicatorUp;
                out.add(new Step.Replication(replicatorUp));
                continue;
            }
            int op = random.nextInt(total);
            if ((op -= w.commit()) < 0) {
                int grow = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
                int n = 1 + random.nextInt(Math.min(4, size));
                int[] pages = java.util.stream.IntStream.concat(random.ints(n, 1, size + 1),
                        java.util.stream.IntStream.rangeClosed(size + 1, size + grow)).distinct().sorted().toArray();
                int newSize = size + grow;
                if (random.nextInt(10) == 0 && newSize > 1) {
                    newSize--; // a commit that shrinks the database
                }
                size = newSize;
                String writer = WRITERS[random.nextInt(random.nextInt(3) == 0 ? 2 : 1)];
                if (options.spills() && random.nextInt(4) == 0) {
                    int limit = size;
                    int[] within = java.util.Arrays.stream(pages).filter(p -> p <= limit).toArray();
                    if (within.length > 0) {
                        int again = within[random.nextInt(within.length)];
                        List<Integer> spilled = new ArrayList<>(java.util.Arrays.stream(within).boxed().toList());
                        spilled.add(again);
                        out.add(new Step.Spill(writer, spilled));
                    }
                }
                out.add(new Step.Commit(writer, java.util.Arrays.stream(pages).boxed().toList(), size));
            } else if ((op -= w.read()) < 0) {
                String r = READERS[random.nextInt(READERS.length)];
                if (reading.remove(r)) {
                    out.add(new Step.End(r));
                } else {
                    reading.add(r);
                    out.add(new Step.Begin(r));
                }
            } else if ((op -= w.checkpoint()) < 0) {
                CheckpointMode mode = CheckpointMode.values()[random.nextInt(4)];
                boolean wait = random.nextInt(5) == 0;
                out.add(new Step.Checkpoint("C", mode, wait));
                if (wait) {
                    reading.clear(); // a waiting checkpoint may have let any reader finish
                }
            } else if ((op -= w.close()) < 0) {
                String c = random.nextBoolean() && !reading.isEmpty() ? reading.remove(random.nextInt(reading.size()))
                        : WRITERS[0];
                out.add(new Step.Close(c));
            } else if ((op -= crashWeight) < 0) {
                if (random.nextBoolean()) {
                    CrashPoint point = CrashPoint.values()[random.nextInt(CrashPoint.values().length)];
                    out.add(new Step.CrashAt(point, 1));
                    out.add(random.nextBoolean() ? new Step.Checkpoint("C", CheckpointMode.values()[random.nextInt(4)])
                            : new Step.Commit("W", List.of(1 + random.nextInt(size)), size));
                }
                CrashPolicy.FileFate[] fates = CrashPolicy.FileFate.values();
                out.add(new Step.Crash(new CrashPolicy(fates[random.nextInt(fates.length)], fates[random.nextInt(fates.length)],
                        random.nextLong())));
                reading.clear();
            } else {
                copies++;
                out.add(new Step.Copy(SimFileKind.DB, "c" + copies + ".db"));
                out.add(new Step.Copy(SimFileKind.WAL, "c" + copies + ".db-wal"));
                out.add(new Step.Check("c" + copies + ".db", "c" + copies + ".db-wal"));
            }
        }
        return new Scenario(config, dbPages, null, out);
    }
}
