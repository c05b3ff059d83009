package io.walkit.forensics;

/**
 * Where a recovered record was found. Immutable and thread-safe.
 *
 * @param file       the file the bytes were read from (as given)
 * @param kind       the structure
 * @param pageNumber the database page number (1-based) the bytes belong to
 * @param frame      the WAL frame number (1-based) for WAL sources, else null
 * @param offset     byte offset of the cell (or of the first byte the decode used) in {@code file}
 * @param generation for {@code wal-stale} sources, how many WAL restarts ago the frame was written (the
 *                   WAL header's salt-1 minus the frame's: SQLite adds one to salt-1 at each restart), else null
 */
public record RecordSource(String file, SourceKind kind, long pageNumber, Long frame, long offset, Integer generation) {

    /**
     * A source that is not a stale WAL frame.
     *
     * @param file the file
     * @param frame the WAL frame number, or null
     * @param kind the structure
     * @param offset the byte offset in file
     * @param pageNumber the page number (1-based)
     */
    public RecordSource(String file, SourceKind kind, long pageNumber, Long frame, long offset) {
        this(file, kind, pageNumber, frame, offset, null);
    }
}
