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

        /**
         * Commits 35, reads 25, checkpoints 22, closes 5, crashes 6, copies 7.
         *
         * @return the default weights
         */
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

    /**
     * Up to 30 steps, default weights, spills, big-endian writers and sector padding on, no crashes, 5% downtime.
     *
     * @return the default options
     */
    public static GeneratorOptions defaults() {
        return new GeneratorOptions(30, Weights.defaults(), true, true, true, false, 5);
    }

    /**
     * The same with another step bound.
     *
     * @param v upper bound on a scenario's steps (at least 1)
     * @return new options
     * @throws IllegalArgumentException if {@code v} is below 1
     */
    public GeneratorOptions withMaxSteps(int v) { return new GeneratorOptions(v, weights, spills, bigEndian, sectorPadding, crashes, downtime); }
    /**
     * The same with other weights.
     *
     * @param v the step kinds' weights
     * @return new options
     */
    public GeneratorOptions withWeights(Weights v) { return new GeneratorOptions(maxSteps, v, spills, bigEndian, sectorPadding, crashes, downtime); }
    /**
     * The same with spills on or off.
     *
     * @param v whether write transactions may spill pages before commit
     * @return new options
     */
    public GeneratorOptions withSpills(boolean v) { return new GeneratorOptions(maxSteps, weights, v, bigEndian, sectorPadding, crashes, downtime); }
    /**
     * The same with big-endian writers on or off.
     *
     * @param v whether a second writer may run on a big-endian host
     * @return new options
     */
    public GeneratorOptions withBigEndian(boolean v) { return new GeneratorOptions(maxSteps, weights, spills, v, sectorPadding, crashes, downtime); }
    /**
     * The same with sector padding on or off.
     *
     * @param v whether scenarios may pad commits to sectors
     * @return new options
     */
    public GeneratorOptions withSectorPadding(boolean v) { return new GeneratorOptions(maxSteps, weights, spills, bigEndian, v, crashes, downtime); }
    /**
     * The same with crashes on or off.
     *
     * @param v whether crashes and crash points appear
     * @return new options
     */
    public GeneratorOptions withCrashes(boolean v) { return new GeneratorOptions(maxSteps, weights, spills, bigEndian, sectorPadding, v, downtime); }
    /**
     * The same with another downtime percentage.
     *
     * @param v percent chance per step of a replicator down/up step (0..100)
     * @return new options
     * @throws IllegalArgumentException if {@code v} is outside 0..100
     */
    public GeneratorOptions withDowntime(int v) { return new GeneratorOptions(maxSteps, weights, spills, bigEndian, sectorPadding, crashes, v); }
}
