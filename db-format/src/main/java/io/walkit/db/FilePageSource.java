package io.walkit.db;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The pages of a database file held in a {@link ByteSource}: a read-only memory mapping (any size,
 * including files over 2 GiB) or a heap image. Page {@code p} is file bytes
 * {@code [(p−1)·P, p·P)}; a partial last page is zero-padded; {@link #pageCount()} is the file
 * size rounded up to whole pages (SQLite: {@code pagerPagecount}).
 *
 * <p>Thread-safe for concurrent reads (pages are read-only segments); close it after every reader is done. It closes its {@link ByteSource}
 * only when built as its owner ({@code owned}); the factory methods here always own it.
 */
public final class FilePageSource implements PageSource {

    private final ByteSource file;
    private final int pageSize;
    private final long pageCount;
    private final boolean owned;
    private MemorySegment zeros;
    private boolean closed;

    /**
     * A view of {@code file} with {@code pageSize}-byte pages.
     *
     * @param file     the database file's bytes
     * @param pageSize the page size in bytes
     * @param owned    whether {@link #close()} closes {@code file}
     * @throws IllegalArgumentException if {@code pageSize} is not a legal page size
     */
    public FilePageSource(ByteSource file, int pageSize, boolean owned) {
        if (!DbFormat.isValidPageSize(pageSize)) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        this.file = file;
        this.pageSize = pageSize;
        this.pageCount = (file.size() + pageSize - 1) / pageSize;
        this.owned = owned;
    }

    /**
     * Maps {@code path} read-only; the page size comes from its header.
     *
     * @param path the database file
     * @return the pages, owning the mapping; the caller closes them
     * @throws IOException when the file cannot be mapped, or {@link CorruptFileException} when it is
     *                     not a database or its page size is illegal (see {@link #pageSizeOf})
     */
    public static FilePageSource map(Path path) throws IOException {
        ByteSource source = ByteSource.map(path);
        try {
            return new FilePageSource(source, pageSizeOf(source), true);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * A heap image; the page size comes from its header.
     *
     * @param image the database image (not copied: do not modify it while in use)
     * @param name  the display name for messages
     * @return the pages
     * @throws CorruptFileException when the image is not a database or its page size is illegal
     */
    public static FilePageSource of(byte[] image, String name) throws CorruptFileException {
        ByteSource source = ByteSource.of(image, name);
        return new FilePageSource(source, pageSizeOf(source), true);
    }

    /**
     * The page size in the header of {@code source} (4096 for an empty file, SQLite's default).
     *
     * @param source the database file's bytes
     * @return the page size in bytes
     * @throws CorruptFileException if the file is shorter than a header or the size is illegal
     */
    public static int pageSizeOf(ByteSource source) throws CorruptFileException {
        if (source.size() == 0) {
            return 4096;
        }
        FileKind kind = FileKind.of(source);
        if (kind != FileKind.SQLITE_DATABASE) {
            // The magic first: say what the file is rather than which field of a database it lacks.
            throw new CorruptFileException(source.name(), 0, "database header", "magic", "'SQLite format 3\\0'",
                    "something else: not an SQLite database; the file " + kind.looksLike());
        }
        if (source.size() < DbFormat.HEADER_SIZE) {
            throw new CorruptFileException(source.name(), 0, "database header", "file size", "0 or at least 100 bytes",
                    Long.toString(source.size()));
        }
        int raw = source.u16(DbFormat.OFF_PAGE_SIZE);
        int pageSize = DatabaseHeader.decodePageSize(raw);
        if (!DbFormat.isValidPageSize(pageSize)) {
            throw new CorruptFileException(source.name(), DbFormat.OFF_PAGE_SIZE, "database header", "page size",
                    "a power of two in 512..32768 or 1 (65536)", Integer.toString(raw));
        }
        return pageSize;
    }

    /** {@return the underlying file} */
    public ByteSource file() {
        return file;
    }

    @Override
    public String name() {
        return file.name();
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public long pageCount() {
        return pageCount;
    }

    @Override
    public MemorySegment page(long pageNumber) {
        if (pageNumber < 1 || pageNumber > pageCount) {
            throw new IndexOutOfBoundsException("page " + pageNumber + " of " + pageCount);
        }
        return pageOrZeros(pageNumber);
    }

    /** Page {@code pageNumber}, or zeros when it lies beyond the end of the file. */
    MemorySegment pageOrZeros(long pageNumber) {
        long offset = (pageNumber - 1) * pageSize;
        long size = file.size();
        if (offset + pageSize <= size) {
            return file.slice(offset, pageSize);
        }
        if (offset >= size) {
            if (zeros == null) {
                zeros = MemorySegment.ofArray(new byte[pageSize]).asReadOnly();
            }
            return zeros;
        }
        byte[] padded = new byte[pageSize];
        file.copy(offset, padded, 0, (int) (size - offset));
        return MemorySegment.ofArray(padded).asReadOnly();
    }

    @Override
    public long directReadBytes(long pageNumber) {
        return Math.max(0, file.size() - (pageNumber - 1) * pageSize);
    }

    @Override
    public String origin(long pageNumber) {
        return "db offset " + CorruptFileException.offsetText((pageNumber - 1) * pageSize);
    }

    @Override
    public long fileOffset(long pageNumber, int inPage) {
        return (pageNumber - 1) * pageSize + inPage;
    }

    /** Closes the file if this source owns it; idempotent. */
    @Override
    public void close() {
        if (owned && !closed) {
            closed = true;
            file.close();
        }
    }
}
