package io.walkit.sim;

/**
 * The SQLite result codes the model's operations return (SQLite: {@code SQLITE_OK},
 * {@code SQLITE_BUSY}, {@code SQLITE_BUSY_SNAPSHOT}, {@code SQLITE_LOCKED}). Decisions are taken on
 * these constants, never on their display names. Immutable; thread-safe.
 */
public enum ResultCode {
    /** The operation succeeded. */
    SQLITE_OK,
    /** A lock another connection holds was needed and the busy handler gave up. */
    SQLITE_BUSY,
    /** A write was refused because the connection's read snapshot is not the latest (wal.c: walBeginWriteTransaction). */
    SQLITE_BUSY_SNAPSHOT,
    /** The connection has an open transaction, so it cannot checkpoint (sqlite3BtreeCheckpoint). */
    SQLITE_LOCKED;

    /**
     * Whether this is {@link #SQLITE_OK}.
     *
     * @return true for SQLITE_OK
     */
    public boolean ok() {
        return this == SQLITE_OK;
    }
}
