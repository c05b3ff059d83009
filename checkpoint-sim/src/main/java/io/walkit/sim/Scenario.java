package io.walkit.sim;

import java.util.List;

/**
 * A scenario: model settings, the initial database, and the steps to run. An immutable value: the
 * byte arrays are copied on the way in and out, {@code equals}/{@code hashCode} compare content,
 * and {@code toString()} is the script ({@link #script()}). Thread-safe.
 *
 * @param config    model settings
 * @param dbPages   pages of the initial database when {@code initialDb} is null (synthetic pages, version 0)
 * @param initialDb initial database file bytes, or null
 * @param steps     the steps
 * @param source    the {@code set source DB WAL} or {@code set start DB WAL} line's arguments, or null
 * @param initialWal initial WAL file bytes ({@code set start}), or null
 */
public record Scenario(WalSim.Config config, int dbPages, byte[] initialDb, List<Step> steps, String source,
                       byte[] initialWal) {

    /** Copies the steps and byte arrays. */
    public Scenario {
        java.util.Objects.requireNonNull(config);
        steps = List.copyOf(steps);
        initialDb = initialDb == null ? null : initialDb.clone();
        initialWal = initialWal == null ? null : initialWal.clone();
    }

    /**
     * A copy of the initial database file's bytes, or null for synthetic pages.
     *
     * @return a fresh array, or null
     */
    @Override
    public byte[] initialDb() {
        return initialDb == null ? null : initialDb.clone();
    }

    /**
     * A copy of the initial WAL file's bytes, or null.
     *
     * @return a fresh array, or null when the scenario starts without a WAL file
     */
    @Override
    public byte[] initialWal() {
        return initialWal == null ? null : initialWal.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scenario x && config.equals(x.config) && dbPages == x.dbPages
                && java.util.Arrays.equals(initialDb, x.initialDb) && steps.equals(x.steps)
                && java.util.Objects.equals(source, x.source) && java.util.Arrays.equals(initialWal, x.initialWal);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(config, dbPages, java.util.Arrays.hashCode(initialDb), steps, source,
                java.util.Arrays.hashCode(initialWal));
    }

    /** The script ({@link #script()}). */
    @Override
    public String toString() {
        return script();
    }

    /**
     * A scenario without a source of real pages.
     *
     * @param config    model settings
     * @param dbPages   pages of the initial database when {@code initialDb} is null
     * @param initialDb initial database file bytes (copied), or null for synthetic pages
     * @param steps     the steps (copied)
     */
    public Scenario(WalSim.Config config, int dbPages, byte[] initialDb, List<Step> steps) {
        this(config, dbPages, initialDb, steps, null, null);
    }

    /**
     * A scenario whose initial state has no WAL file.
     *
     * @param config    model settings
     * @param dbPages   pages of the initial database when {@code initialDb} is null
     * @param initialDb initial database file bytes (copied), or null for synthetic pages
     * @param steps     the steps (copied)
     * @param source    the {@code set source DB WAL} line's arguments, or null
     */
    public Scenario(WalSim.Config config, int dbPages, byte[] initialDb, List<Step> steps, String source) {
        this(config, dbPages, initialDb, steps, source, null);
    }

    /**
     * A new model in this scenario's initial state.
     *
     * @return a fresh model: from the initial files, or with {@code dbPages} synthetic pages
     */
    public WalSim newModel() {
        if (initialWal != null) {
            return WalSim.fromFiles(config, initialDb, initialWal);
        }
        return initialDb != null ? new WalSim(config, initialDb) : WalSim.withSyntheticDb(config, dbPages);
    }

    /**
     * The same settings with other steps.
     *
     * @param newSteps the steps (copied)
     * @return a new scenario
     */
    public Scenario withSteps(List<Step> newSteps) {
        return new Scenario(config, dbPages, initialDb, newSteps, source, initialWal);
    }

    /**
     * The scenario as a script: settings, then one step per line.
     *
     * @return the script, each line ending in a newline; {@link ScenarioParser} reads it back
     *         (given the files a {@code set source} or {@code set start} line names)
     */
    public String script() {
        StringBuilder sb = new StringBuilder();
        WalSim.Config d = WalSim.Config.defaults();
        if (config.pageSize() != d.pageSize() && source == null) sb.append("set page-size ").append(config.pageSize()).append('\n');
        if (config.fsync() != d.fsync()) sb.append("set fsync ").append(config.fsync().name().toLowerCase()).append('\n');
        if (config.synchronous() != d.synchronous()) sb.append("set synchronous ").append(config.synchronous().name().toLowerCase()).append('\n');
        if (config.persistentWal()) sb.append("set persistent-wal on\n");
        if (config.journalSizeLimit() != d.journalSizeLimit()) sb.append("set journal-size-limit ").append(config.journalSizeLimit()).append('\n');
        if (config.autocheckpoint() != d.autocheckpoint()) sb.append("set autocheckpoint ").append(config.autocheckpoint()).append('\n');
        if (config.saltSeed() != d.saltSeed()) sb.append("set salt-seed ").append(config.saltSeed()).append('\n');
        if (config.sectorSize() != d.sectorSize()) sb.append("set sector-size ").append(config.sectorSize()).append('\n');
        if (config.rule() != d.rule()) sb.append("set rule ").append(config.rule().scriptName()).append('\n');
        if (source != null) sb.append(initialWal != null ? "set start " : "set source ").append(source).append('\n');
        else if (initialDb == null) sb.append("set db-pages ").append(dbPages).append('\n');
        for (Step s : steps) {
            sb.append(s.script()).append('\n');
        }
        return sb.toString();
    }
}
