package io.walkit.wal;

/**
 * One committed transaction in a WAL's valid prefix.
 *
 * @param ordinal      1-based position among the commits of the scan
 * @param firstFrame   first frame of the transaction (1-based)
 * @param lastFrame    the commit frame (1-based)
 * @param databaseSize database size in pages after the commit (SQLite: nTruncate), unsigned
 */
public record Commit(int ordinal, int firstFrame, int lastFrame, int databaseSize) {

    /** {@return the number of frames in the transaction} */
    public int frameCount() {
        return lastFrame - firstFrame + 1;
    }
}
