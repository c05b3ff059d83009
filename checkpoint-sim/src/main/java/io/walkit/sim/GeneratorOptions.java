package io.walkit.sim;

/**
 * What {@link ScenarioGenerator#generate(java.util.random.RandomGenerator, GeneratorOptions)}
 * generates: step kinds and their weights, and which model features appear. Immutable; thread-safe.
 *
 * @param maxSteps       upper bound on a scenario's steps (at least 1)
 * @param weights        relative frequency of each step kind
 * @param spills         whether write transactions may spill pages before commit (in-place overwrites)
 * @param bigEndian      whether a second writer may run on a big-endian host
 * @param sectorPadding  whether scenarios may pad commits to 4096-byte sectors (no powersafe overwrite)
 * @param crashes        whether crashes and crash points appear (weight {@code crash})
 * @param downtime       percent chance, per step, that a replicator down/up step is inserted (0..100)
 */
public record GeneratorOptions(int maxSteps, Weights weights, boolean spills, boolean bigEndian, boolean sectorPadding,
                               boolean crashes, int downtime) {

    /**
     * Relative weights of the step kinds (0 disables a kind).
     *
     * @param commit     a commit by one of two writers
     * @param read       a reader begins or ends a read transaction
     * @param checkpoint a checkpoint of any mode
     * @param close      a connection closes (the last close checkpoints and deletes the WAL)
     * @param crash      a crash, possibly at a crash point (only with {@code crashes})
     * @param copy       a database + WAL copy and its check
     */
    public record Weights(int commit, int read, int checkpoint, int close, int crash, int copy) {
        /** Checks that no weight is negative and at least one is positive. */
        public Weights {
            if (commit < 0 || read < 0 || checkpoint < 0 || close < 0 || crash < 0 || copy < 0
                    || commit + read + checkpoint + close + crash + copy == 0) {
                throw new IllegalArgumentException("weights must be >= 0 and not all 0");
            }
        }

        /** Commits 35, reads 25, checkpoints 22, closes 5, crashes 6, copies 7. */
        public static Weights defaults() {
            return new Weights(35, 25, 22, 5, 6, 7);
        }
    }

    /** Checks the bounds. */
    public GeneratorOptions {
        java.util.Objects.requireNonNull(weights);
        if (maxSteps < 1 || downtime < 0 || downtime > 100) {
            throw new IllegalArgumentException("maxSteps must be >= 1 and downtime in 0..100");
        }
    }

    /** Up to 30 steps, default weights, spills, big-endian writers and sector padding on, no crashes, 5% downtime. */
    public static GeneratorOptions defaults() {
        return new GeneratorOptions(30, Weights.defaults(), true, true, true, false, 5);
    }

    /** The same with another step bound. */
    public GeneratorOptions withMaxSteps(int v) { return new GeneratorOptions(v, weights, spills, bigEndian, sectorPadding, crashes, downtime); }
    /** The same with other weights. */
    public GeneratorOptions withWeights(Weights v) { return new GeneratorOptions(maxSteps, v, spills, bigEndian, sectorPadding, crashes, downtime); }
    /** The same with spills on or off. */
    public GeneratorOptions withSpills(boolean v) { return new GeneratorOptions(maxSteps, weights, v, bigEndian, sectorPadding, crashes, downtime); }
    /** The same with big-endian writers on or off. */
    public GeneratorOptions withBigEndian(boolean v) { return new GeneratorOptions(maxSteps, weights, spills, v, sectorPadding, crashes, downtime); }
    /** The same with sector padding on or off. */
    public GeneratorOptions withSectorPadding(boolean v) { return new GeneratorOptions(maxSteps, weights, spills, bigEndian, v, crashes, downtime); }
    /** The same with crashes on or off. */
    public GeneratorOptions withCrashes(boolean v) { return new GeneratorOptions(maxSteps, weights, spills, bigEndian, sectorPadding, v, downtime); }
    /** The same with another downtime percentage. */
    public GeneratorOptions withDowntime(int v) { return new GeneratorOptions(maxSteps, weights, spills, bigEndian, sectorPadding, crashes, v); }
}
