package io.walkit.sim;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A place between two storage operations where {@link WalSim#armCrash} can stop the model, in the
 * order a checkpoint and then a restart and a commit pass them (see docs/sim.md). The script form
 * ({@link #scriptName()}, e.g. {@code ckpt-page-written}) is what {@code crash-at} lines use.
 * Immutable; thread-safe.
 */
public enum CrashPoint {
    /** walCheckpoint: the WAL was synced before any page is copied. */
    CKPT_WAL_SYNCED("ckpt-wal-synced"),
    /** walCheckpoint: one page was written to the database file. */
    CKPT_PAGE_WRITTEN("ckpt-page-written"),
    /** walCheckpoint: the database file was truncated to nPage pages. */
    CKPT_DB_TRUNCATED("ckpt-db-truncated"),
    /** walCheckpoint: the database file was synced. */
    CKPT_DB_SYNCED("ckpt-db-synced"),
    /** walCheckpoint: nBackfill was set in the wal-index. */
    CKPT_BACKFILL_SET("ckpt-backfill-set"),
    /** walRestartHdr: the wal-index header describes a new WAL generation. */
    WAL_RESTARTED("wal-restarted"),
    /** walFrames: a new WAL header was written. */
    WAL_HEADER_WRITTEN("wal-header-written"),
    /** walFrames: the new WAL header was synced. */
    WAL_HEADER_SYNCED("wal-header-synced"),
    /** walFrames: one frame was appended. */
    WAL_FRAME_WRITTEN("wal-frame-written"),
    /** walFrames: a page spilled earlier by the transaction was overwritten in place. */
    WAL_FRAME_OVERWRITTEN("wal-frame-overwritten"),
    /** walFrames: the commit was synced (synchronous=FULL), before the wal-index header is updated. */
    WAL_COMMIT_SYNCED("wal-commit-synced");

    private final String scriptName;

    CrashPoint(String scriptName) {
        this.scriptName = scriptName;
    }

    /**
     * The name scripts use, e.g. {@code ckpt-page-written}.
     *
     * @return the script name
     */
    public String scriptName() {
        return scriptName;
    }

    /**
     * The point named {@code name} in scripts, if any.
     *
     * @param name a script name (exact, lowercase)
     * @return the point, or empty
     */
    public static Optional<CrashPoint> parse(String name) {
        return Arrays.stream(values()).filter(p -> p.scriptName.equals(name)).findFirst();
    }

    /**
     * The script names of every point, in order.
     *
     * @return an immutable list
     */
    public static List<String> scriptNames() {
        return Arrays.stream(values()).map(CrashPoint::scriptName).toList();
    }

    /** The script name. */
    @Override
    public String toString() {
        return scriptName;
    }
}
