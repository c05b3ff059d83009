package io.walkit.sim;

/**
 * The row {@code PRAGMA wal_checkpoint} returns: (busy, log, checkpointed), or an error. Immutable;
 * thread-safe.
 *
 * @param busy         1 if the call returned SQLITE_BUSY, else 0
 * @param log          pnLog: the checkpointer's mxFrame, or -1 with an error
 * @param checkpointed pnCkpt: nBackfill after the call, or -1 with an error
 * @param error        null when the statement returned its row, else the error it fails with
 *                     ({@link ResultCode#SQLITE_LOCKED})
 */
public record CheckpointResult(int busy, int log, int checkpointed, ResultCode error) {

    /**
     * A result row.
     *
     * @param busy         1 if the call returned SQLITE_BUSY, else 0
     * @param log          pnLog: the checkpointer's mxFrame
     * @param checkpointed pnCkpt: nBackfill after the call
     * @return a result without error
     */
    public static CheckpointResult of(int busy, int log, int checkpointed) {
        return new CheckpointResult(busy, log, checkpointed, null);
    }

    /**
     * Whether the statement returned its row (it may still report busy = 1).
     *
     * @return true when {@code error} is null
     */
    public boolean returnedRow() {
        return error == null;
    }

    /** {@code (0,14,12)} or the error name. */
    @Override
    public String toString() {
        return error != null ? error.name() : "(" + busy + "," + log + "," + checkpointed + ")";
    }
}
