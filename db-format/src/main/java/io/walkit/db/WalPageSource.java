package io.walkit.db;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.Commit;
import io.walkit.wal.PageIndex;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import java.lang.foreign.MemorySegment;

/**
 * A database seen through its WAL as of one commit, as a fresh SQLite reader after recovery
 * would see it (docs/format-notes.md, "Which database a reader sees"): page {@code p} is the newest valid frame ≤ the commit frame holding
 * {@code p}, else the database file's page {@code p} (zeros beyond its end); the database size
 * is the commit frame's size (SQLite: {@code nTruncate}); frames after the commit and pages above
 * the size are never consulted. Commit ordinal 0 is the database file alone.
 *
 * <p>Memory: one page-number → frame map of the distinct pages up to the commit.
 *
 * <p>Thread-safe for concurrent reads once built; close it after every reader is done. It owns the database file's pages and the WAL scan's
 * byte source: {@link #close()} closes both.
 */
public final class WalPageSource implements PageSource {

    private final FilePageSource db;
    private final WalScan wal;
    private final int commit;
    private final PageIndex index;
    private final long pageCount;
    private final int pageSize;
    private boolean closed;

    /**
     * A view of {@code db} through {@code wal} as of commit ordinal {@code commit}; takes ownership
     * of {@code db} and of the WAL's byte source.
     *
     * @param db     the database file's pages (its page size must equal the WAL's when it has pages)
     * @param wal    a scan of the WAL (its source must stay open)
     * @param commit the commit ordinal, 0..{@link WalScan#commitCount()}
     * @throws CorruptFileException     when the database file's page size differs from the WAL's
     * @throws IllegalArgumentException if {@code commit} is outside 0..{@link WalScan#commitCount()}
     */
    public WalPageSource(FilePageSource db, WalScan wal, int commit) throws CorruptFileException {
        if (commit < 0 || commit > wal.commitCount()) {
            throw new IllegalArgumentException("commit " + commit + " of " + wal.commitCount());
        }
        this.db = db;
        this.wal = wal;
        this.commit = commit;
        if (commit == 0) {
            this.index = null;
            this.pageCount = db.pageCount();
            this.pageSize = db.pageSize();
        } else {
            Commit c = wal.commit(commit);
            this.index = wal.pageIndexAsOf(c.lastFrame());
            this.pageCount = Integer.toUnsignedLong(c.databaseSize());
            this.pageSize = wal.pageSize();
            if (db.file().size() > 0 && db.pageSize() != pageSize) {
                throw new CorruptFileException(db.name(), DbFormat.OFF_PAGE_SIZE, "database header", "page size",
                        "the WAL's page size " + pageSize, db.pageSize() + ": the WAL " + wal.source().name()
                        + " does not belong to this database (use --no-wal to read the file alone)");
            }
        }
    }

    /** {@return the commit ordinal this view shows (0 = the database file alone)} */
    public int commit() {
        return commit;
    }

    /** {@return the WAL scan} */
    public WalScan wal() {
        return wal;
    }

    @Override
    public String name() {
        return db.name();
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public long pageCount() {
        return pageCount;
    }

    /**
     * The frame holding {@code pageNumber} as of this commit, or 0 when it comes from the database file.
     *
     * @param pageNumber the 1-based page number
     * @return the 1-based frame number, or 0
     */
    public int frameOf(long pageNumber) {
        if (index == null || pageNumber > 0xFFFF_FFFFL) {
            return 0;
        }
        return index.newestFrame((int) pageNumber);
    }

    @Override
    public MemorySegment page(long pageNumber) {
        if (pageNumber < 1 || pageNumber > pageCount) {
            throw new IndexOutOfBoundsException("page " + pageNumber + " of " + pageCount);
        }
        int frame = frameOf(pageNumber);
        if (frame != 0) {
            return wal.pageImage(frame);
        }
        return db.pageOrZeros(pageNumber);
    }

    @Override
    public long directReadBytes(long pageNumber) {
        return frameOf(pageNumber) != 0 ? Long.MAX_VALUE : db.directReadBytes(pageNumber);
    }

    @Override
    public String origin(long pageNumber) {
        int frame = frameOf(pageNumber);
        return frame != 0 ? "WAL frame " + frame : db.origin(pageNumber);
    }

    @Override
    public long fileOffset(long pageNumber, int inPage) {
        int frame = frameOf(pageNumber);
        return frame != 0 ? wal.frameOffset(frame) + WalFormat.FRAME_HEADER_SIZE + inPage : db.fileOffset(pageNumber, inPage);
    }

    /** Closes the database file source and the WAL's byte source; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        db.close();
        ByteSource s = wal.source();
        s.close();
    }
}
