package io.walkit.replica;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@link ReplicaVerifier#verify}: the layout, one summary per generation (v0.3,
 * v0.4, meta) or per LTX level, and every problem found. Immutable.
 *
 * @param root        the replica root as given
 * @param layout      the detected layout
 * @param generations generation summaries (empty for LTX)
 * @param levels      LTX level summaries (empty unless LTX)
 * @param problems    errors and warnings, in discovery order, in walkit's one problem type (codes are
 *                    {@link ReplicaProblem.Code}s)
 * @param restorableTxid for LTX: the highest TXID a restore reaches safely through a contiguous,
 *                    checksum-chained sequence of valid files, or {@code null} when nothing is
 *                    restorable or the layout is not LTX (other layouts give it per generation,
 *                    {@link GenerationSummary#restorableTo()})
 */
public record ReplicaReport(Path root, ReplicaLayout layout, List<GenerationSummary> generations,
        List<LevelSummary> levels, List<io.walkit.io.Problem> problems, Long restorableTxid) {

    /**
     * Copies the lists.
     */
    public ReplicaReport {
        generations = List.copyOf(generations);
        levels = List.copyOf(levels);
        problems = List.copyOf(problems);
    }

    /**
     * True when no problem is an error.
     *
     * @return true when no problem has {@link io.walkit.io.Problem.Severity#ERROR}
     */
    public boolean ok() {
        return problems.stream().noneMatch(p -> p.severity() == io.walkit.io.Problem.Severity.ERROR);
    }

    /**
     * One generation as verified.
     *
     * @param name           the generation name
     * @param current        true for the meta directory's current generation
     * @param snapshots      snapshot files
     * @param firstIndex     the lowest WAL index with segments, or -1
     * @param lastIndex      the highest index of any file, or -1
     * @param segments       segment files
     * @param frames         valid WAL frames across all indexes
     * @param restorableTo   the last position a restore reaches safely ({@code generation/index:offset} as
     *                       Litestream prints a position), or {@code null} when none
     * @param createdAt      the earliest file time
     * @param updatedAt      the latest file time
     */
    public record GenerationSummary(String name, boolean current, int snapshots, long firstIndex, long lastIndex,
            int segments, long frames, String restorableTo, Instant createdAt, Instant updatedAt) {}

    /**
     * One LTX level as verified.
     *
     * @param level    the level (9 = snapshots)
     * @param files    LTX files at this level
     * @param minTxid  the lowest TXID, or 0
     * @param maxTxid  the highest TXID, or 0
     */
    public record LevelSummary(int level, int files, long minTxid, long maxTxid) {}
}
