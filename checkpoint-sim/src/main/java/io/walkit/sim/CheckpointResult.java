package io.walkit.sim;

/**
 * The row {@code PRAGMA wal_checkpoint} returns: (busy, log, checkpointed), or an error.
 *
 * @param busy         1 if the call returned SQLITE_BUSY, else 0
 * @param log          pnLog: the checkpointer's mxFrame, or -1
 * @param checkpointed pnCkpt: nBackfill after the call, or -1
 * @param error        null, or the SQLite error the statement fails with (e.g. SQLITE_LOCKED)
 */
public record CheckpointResult(int busy, int log, int checkpointed, String error) {

    /** A result row. */
    public static CheckpointResult of(int busy, int log, int checkpointed) {
        return new CheckpointResult(busy, log, checkpointed, null);
    }

    /** {@code (0,14,12)} or the error name. */
    @Override
    public String toString() {
        return error != null ? error : "(" + busy + "," + log + "," + checkpointed + ")";
    }
}
