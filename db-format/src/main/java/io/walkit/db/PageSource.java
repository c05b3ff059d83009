package io.walkit.db;

import java.lang.foreign.MemorySegment;

/**
 * The pages of one logical database image: a database file, a heap image, or a database seen
 * through its WAL as of one commit. Page numbers are 1-based; {@link #page} returns exactly
 * {@link #pageSize()} bytes for every page in 1..{@link #pageCount()} (zeros where nothing backs
 * the page, e.g. beyond the end of the database file).
 *
 * <p>Implementations never write to their inputs. Pages are read-only segments valid until
 * {@link #close()}. Whoever opened the source closes it (a {@link Database} closes the source it was
 * opened on). The implementations here may be read from several threads once built; close them
 * only after every reader is done.
 */
public interface PageSource extends AutoCloseable {

    /** {@return the display name for error messages (the database file's path as given)} */
    String name();

    /** {@return the page size in bytes (512..65536, a power of two)} */
    int pageSize();

    /**
     * The database size in pages as the pager sees it (SQLite: {@code nPageFile}): the file size
     * rounded up to whole pages, or the commit frame's database size for a WAL view.
     *
     * @return the number of pages; valid page numbers are 1..this
     */
    long pageCount();

    /**
     * The {@link #pageSize()} bytes of page {@code pageNumber}.
     *
     * @param pageNumber the 1-based page number
     * @return a read-only segment of exactly one page, valid until {@link #close()}
     * @throws IndexOutOfBoundsException if {@code pageNumber} is outside 1..{@link #pageCount()}
     */
    MemorySegment page(long pageNumber);

    /**
     * Where page {@code pageNumber} comes from, for reports ("db offset 0x1000 (4096)" or "WAL frame 7").
     *
     * @param pageNumber the 1-based page number, in 1..{@link #pageCount()}
     * @return a human-readable origin (for display only)
     */
    String origin(long pageNumber);

    /**
     * The byte offset to name in a {@link io.walkit.io.CorruptFileException} for byte {@code inPage} of
     * page {@code pageNumber}: the offset in the database file, or in the WAL when a frame holds it.
     *
     * @param pageNumber the 1-based page number, in 1..{@link #pageCount()}
     * @param inPage     the byte offset within the page
     * @return the byte offset from the start of the file that holds the page
     */
    long fileOffset(long pageNumber, int inPage);

    /**
     * Bytes of page {@code pageNumber} that a direct read from the database file would obtain
     * (SQLite reads large overflow content straight from the file, {@code SQLITE_DIRECT_OVERFLOW_READ},
     * and a short read there is an error); {@link Long#MAX_VALUE} when the page does not come from the
     * database file.
     *
     * @param pageNumber the 1-based page number, in 1..{@link #pageCount()}
     * @return the number of bytes a direct read would get (less than the page size for a page cut
     *         short by the end of the file), or {@link Long#MAX_VALUE}
     */
    default long directReadBytes(long pageNumber) {
        return Long.MAX_VALUE;
    }

    @Override
    void close();
}
