package io.walkit.sim;

/** Checkpoint modes of {@code sqlite3_wal_checkpoint_v2} / {@code PRAGMA wal_checkpoint(MODE)}. */
public enum CheckpointMode {
    /** SQLITE_CHECKPOINT_PASSIVE (0): never waits; copies what readers allow. */
    PASSIVE,
    /** SQLITE_CHECKPOINT_FULL (1): takes the writer lock; busy unless everything was copied. */
    FULL,
    /** SQLITE_CHECKPOINT_RESTART (2): as FULL, then makes sure no reader uses the WAL. */
    RESTART,
    /** SQLITE_CHECKPOINT_TRUNCATE (3): as RESTART, then restarts the header and truncates the WAL to 0. */
    TRUNCATE
}
