package io.walkit.db;

import io.walkit.io.AtomicFile;
import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.Commit;
import io.walkit.wal.PageIndex;
import io.walkit.wal.WalScan;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * Applies page images to a database image up to a point: the one place that turns "a database
 * file plus later page images" into the database as of that point. The simulator's checkpoint,
 * Litestream restore, {@code db export --at-commit N} and rollback-journal playback all use it.
 *
 * <p>Model (SQLite's checkpoint, {@code walCheckpoint}, and journal playback,
 * {@code pager_playback}): start from a base image (a database file, or nothing); apply page
 * images in order, a later image of a page replacing an earlier one; the result has exactly
 * {@link #nPage()} pages of {@code pageSize} bytes: base pages beyond {@code nPage} are cut off
 * (the checkpoint's {@code sqlite3OsTruncate}), pages below it that neither the base nor an image
 * supplies are zero (the same call extends the file), and images of pages above {@code nPage} are
 * ignored (the checkpoint skips {@code iDbpage > nPage}) and counted in {@link #ignoredImages()}.
 * Setting {@code nPage} truncates for good: what lay above it (base pages, images) does not come
 * back when a later call raises it again, so a sequence of WALs or journals applies as a sequence
 * of checkpoints.
 * By default {@code nPage} is the base's size in whole pages (rounded up; zero-padded, as SQLite
 * reads a short last page); {@link #applyWal} sets it from the commit frame, a journal caller sets
 * it with {@link #nPage(long)}.
 *
 * <p>Nothing is copied while applying: the applier keeps a reference to each image (a slice of a
 * mapped WAL, or the caller's bytes), so the base and every applied image's memory must stay
 * valid (their sources open) until the output is produced. Heap use is one map entry per distinct
 * page applied, whatever {@code nPage} says. Output is streamed page by page: {@link #writeTo}
 * handles images of any size (pages nothing supplies are left as holes in a sparse file);
 * {@link #toByteArray()} is limited to 2 GiB.
 *
 * <p>{@link #writeThrough} gives the same model over a file instead of memory ({@link WriteThrough}):
 * each image is written as it is applied, for restores of any size in bounded memory.
 *
 * <p>Not thread-safe. The applier never closes the base or the images' sources; the caller does,
 * after producing the output.
 */
public final class PageApplier {

    /** SQLite's largest page count ({@code SQLITE_MAX_PAGE_COUNT}'s default, 2^32 − 2). */
    public static final long MAX_PAGE_COUNT = 0xFFFF_FFFEL;

    /**
     * One page image to apply.
     *
     * @param pageNumber the database page it replaces (1-based)
     * @param bytes      exactly {@code pageSize} bytes (not copied)
     * @param file       the file the image was read from, for error messages
     * @param offset     the image's byte offset in {@code file} (e.g. the WAL frame's offset)
     */
    public record PageImage(long pageNumber, MemorySegment bytes, String file, long offset) {}

    private final int pageSize;
    private final ByteSource base;
    /** Base pages still visible: lowered for good when {@link #nPage} truncates. */
    private long basePages;
    /** Images dropped by a truncation. */
    private long droppedImages;
    /** Size in bytes of the database file the next checkpoint step starts from (SQLite: the db file size). */
    private long fileSize;
    private final Long2ObjectOpenHashMap<MemorySegment> applied = new Long2ObjectOpenHashMap<>();
    private long nPage;

    private PageApplier(ByteSource base, int pageSize) {
        if (!DbFormat.isValidPageSize(pageSize)) {
            throw new IllegalArgumentException("page size must be a power of two in 512..65536: " + pageSize);
        }
        this.pageSize = pageSize;
        this.base = base;
        this.basePages = base == null ? 0 : (base.size() + pageSize - 1) / pageSize;
        this.nPage = basePages;
        this.fileSize = base == null ? 0 : base.size();
    }

    /**
     * An applier starting from the database file {@code base}, read as pages of {@code pageSize}
     * bytes (page {@code p} is bytes {@code [(p−1)·P, p·P)}; a partial last page is zero-padded).
     * The page size is the caller's choice (normally the WAL's, or {@link FilePageSource#pageSizeOf});
     * the base's header is not read.
     *
     * @param base     the database file (not closed by the applier)
     * @param pageSize page size in bytes
     * @return the applier, with {@code nPage} = the base's size in whole pages (rounded up)
     */
    public static PageApplier onto(ByteSource base, int pageSize) {
        return new PageApplier(java.util.Objects.requireNonNull(base, "base"), pageSize);
    }

    /**
     * An applier starting from an empty database (no pages).
     *
     * @param pageSize page size in bytes
     * @return the applier, with {@code nPage} = 0
     */
    public static PageApplier empty(int pageSize) {
        return new PageApplier(null, pageSize);
    }

    /**
     * The page size.
     *
     * @return bytes per page
     */
    public int pageSize() {
        return pageSize;
    }

    /**
     * The number of pages the output will have (SQLite: {@code nPage}).
     *
     * @return the page count
     */
    public long nPage() {
        return nPage;
    }

    /**
     * Size of the output.
     *
     * @return {@code nPage · pageSize} bytes
     */
    public long imageSize() {
        return nPage * pageSize;
    }

    /**
     * Images left out of the output: those dropped when {@code nPage} was set below their page
     * number, plus those applied since whose page number is above the current {@link #nPage()}.
     *
     * @return the number of images left out
     */
    public long ignoredImages() {
        long n = droppedImages;
        for (long p : applied.keySet()) {
            if (p > nPage) {
                n++;
            }
        }
        return n;
    }

    /** The page count a commit may set: 0..{@link #MAX_PAGE_COUNT}, else the field is named as damaged. */
    private static void checkPageCount(long nPage, String file, long offset) throws CorruptFileException {
        if (nPage < 0 || nPage > MAX_PAGE_COUNT) {
            throw new CorruptFileException(file, offset, "page images", "database size in pages (nPage)",
                    "0.." + MAX_PAGE_COUNT, Long.toString(nPage));
        }
    }

    /**
     * Sets the page count of the output, as the end of a journal playback or a commit frame does
     * (truncating or extending with zero pages).
     *
     * @param nPage  the page count
     * @param file   the file the count was read from, for the error message
     * @param offset the count's byte offset in {@code file}
     * @return this applier
     * @throws CorruptFileException if {@code nPage} is negative or above {@link #MAX_PAGE_COUNT}
     *                              (named as the database size field of {@code file} at {@code offset})
     */
    public PageApplier nPage(long nPage, String file, long offset) throws CorruptFileException {
        checkPageCount(nPage, file, offset);
        return resize(nPage);
    }

    /**
     * As {@link #nPage(long, String, long)} for a count that comes from no file.
     *
     * @param nPage the page count
     * @return this applier
     * @throws IllegalArgumentException if {@code nPage} is negative or above {@link #MAX_PAGE_COUNT}
     */
    public PageApplier nPage(long nPage) {
        if (nPage < 0 || nPage > MAX_PAGE_COUNT) {
            throw new IllegalArgumentException("nPage must be in 0.." + MAX_PAGE_COUNT + ": " + nPage);
        }
        return resize(nPage);
    }

    /**
     * Setting {@code nPage} ends a step (a checkpoint's {@code sqlite3OsTruncate}): base pages and
     * images above it are gone for good, so a later extension brings zeros, not them.
     */
    private PageApplier resize(long newNPage) {
        basePages = Math.min(basePages, newNPage);
        var it = applied.keySet().iterator();
        while (it.hasNext()) {
            if (it.nextLong() > newNPage) {
                it.remove();
                droppedImages++;
            }
        }
        nPage = newNPage;
        fileSize = newNPage * pageSize;
        return this;
    }

    /**
     * Applies one page image: it replaces every earlier image of the same page.
     *
     * @param image the image (referenced, not copied)
     * @return this applier
     * @throws CorruptFileException if the page number is 0 or above 2^32 − 1 (a page number no
     *                              SQLite file can hold), or the image is not {@code pageSize} bytes
     */
    public PageApplier apply(PageImage image) throws CorruptFileException {
        if (image.pageNumber() < 1 || image.pageNumber() > 0xFFFF_FFFFL) {
            throw new CorruptFileException(image.file(), image.offset(), "page image", "page number",
                    "1.." + 0xFFFF_FFFFL, Long.toString(image.pageNumber()));
        }
        if (image.bytes().byteSize() != pageSize) {
            throw new CorruptFileException(image.file(), image.offset(), "page image", "size",
                    pageSize + " bytes (the page size)", image.bytes().byteSize() + " bytes");
        }
        applied.put(image.pageNumber(), image.bytes());
        return this;
    }

    /**
     * Applies {@code images} in order (see {@link #apply(PageImage)}).
     *
     * @param images the images (referenced, not copied)
     * @return this applier
     * @throws CorruptFileException as {@link #apply(PageImage)}
     */
    public PageApplier applyAll(Iterable<PageImage> images) throws CorruptFileException {
        for (PageImage i : images) {
            apply(i);
        }
        return this;
    }

    /**
     * Applies a WAL up to commit frame {@code commitFrame}, as a complete checkpoint of a log whose
     * {@code mxFrame} is {@code commitFrame} does: for each page, the newest frame at or before it
     * (the page index as of {@code commitFrame}), and {@code nPage} = that frame's commit size.
     * {@code commitFrame} 0 applies nothing and leaves {@code nPage} as it is.
     *
     * @param scan        the WAL; its source must stay open until the output is produced
     * @param commitFrame a commit frame of the scan's valid prefix (1..{@link WalScan#mxFrame()}), or 0
     * @return this applier
     * @throws CorruptFileException     if the WAL's page size differs from this applier's, or the
     *                                  commit size would grow the database past what SQLite's
     *                                  checkpoint accepts (current size + 64 KiB + the log's frames:
     *                                  {@code walCheckpoint} returns {@code SQLITE_CORRUPT})
     * @throws IllegalArgumentException if {@code commitFrame} is not a commit frame of the valid prefix
     */
    public PageApplier applyWal(WalScan scan, int commitFrame) throws CorruptFileException {
        if (commitFrame == 0) {
            return this;
        }
        if (commitFrame < 0 || commitFrame > scan.mxFrame() || !scan.frameHeader(commitFrame).isCommit()) {
            throw new IllegalArgumentException("frame " + commitFrame + " is not a commit frame of "
                    + scan.source().name() + " (mxFrame " + scan.mxFrame() + ")");
        }
        if (scan.pageSize() != pageSize) {
            throw new CorruptFileException(scan.source().name(), io.walkit.wal.WalFormat.OFF_PAGE_SIZE, "WAL header",
                    "page size", "the database's page size " + pageSize, Integer.toString(scan.pageSize()));
        }
        long commitSize = Integer.toUnsignedLong(scan.frameHeader(commitFrame).commitSize());
        long commitSizeOffset = scan.frameOffset(commitFrame) + io.walkit.wal.WalFormat.FRAME_OFF_COMMIT_SIZE;
        // walCheckpoint refuses (SQLITE_CORRUPT) a database that would grow past its current size
        // plus every frame of the log plus a 64 KiB lock-byte page: such an nTruncate is damage.
        long limit = fileSize + 65536 + (long) commitFrame * pageSize;
        if (fileSize < commitSize * pageSize && limit < commitSize * pageSize) {
            throw new CorruptFileException(scan.source().name(), commitSizeOffset, "WAL frame header",
                    "commit size (nTruncate) of frame " + commitFrame,
                    "at most " + limit / pageSize + " pages (database size + 64 KiB + the log's frames,"
                            + " as SQLite's checkpoint allows)", Long.toString(commitSize));
        }
        PageIndex index = scan.pageIndexAsOf(commitFrame);
        for (int page : index.pages()) {
            int frame = index.newestFrame(page);
            apply(new PageImage(Integer.toUnsignedLong(page), scan.pageImage(frame), scan.source().name(),
                    scan.frameOffset(frame)));
        }
        return nPage(commitSize, scan.source().name(), commitSizeOffset);
    }

    /**
     * As {@link #applyWal(WalScan, int)} up to {@code commit}'s last frame.
     *
     * @param scan   the WAL; its source must stay open until the output is produced
     * @param commit one of the scan's commits
     * @return this applier
     * @throws CorruptFileException as {@link #applyWal(WalScan, int)}
     */
    public PageApplier applyWal(WalScan scan, Commit commit) throws CorruptFileException {
        return applyWal(scan, commit.lastFrame());
    }

    /**
     * The current image of page {@code pageNumber} (1..{@link #nPage()}): the last image applied,
     * else the base's page, else zeros. Read-only; a slice of the image's or base's memory when
     * possible.
     *
     * @param pageNumber 1..{@link #nPage()}
     * @return the page's {@code pageSize} bytes
     */
    public MemorySegment page(long pageNumber) {
        if (pageNumber < 1 || pageNumber > nPage) {
            throw new IndexOutOfBoundsException("page " + pageNumber + " of " + nPage);
        }
        MemorySegment m = applied.get(pageNumber);
        if (m != null) {
            return m.asReadOnly();
        }
        if (pageNumber <= basePages) {
            long offset = (pageNumber - 1) * pageSize;
            if (offset + pageSize <= base.size()) {
                return base.slice(offset, pageSize);
            }
            byte[] padded = new byte[pageSize];
            base.copy(offset, padded, 0, (int) (base.size() - offset));
            return MemorySegment.ofArray(padded).asReadOnly();
        }
        return MemorySegment.ofArray(new byte[pageSize]).asReadOnly();
    }

    /** Whether page {@code pageNumber} of the output is backed by an image or the base (else it is zeros). */
    private boolean backed(long pageNumber) {
        return applied.containsKey(pageNumber) || pageNumber <= basePages;
    }

    /**
     * The output as one array.
     *
     * @return a new array of {@link #imageSize()} bytes
     * @throws IllegalStateException if the image exceeds 2 GiB (use {@link #writeTo})
     */
    public byte[] toByteArray() {
        long size = imageSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("database image of " + size + " bytes exceeds 2 GiB; write it to a file");
        }
        byte[] out = new byte[(int) size];
        for (long p = 1; p <= nPage; p++) {
            if (backed(p)) {
                MemorySegment.copy(page(p), ValueLayout.JAVA_BYTE, 0, out, (int) ((p - 1) * pageSize), pageSize);
            }
        }
        return out;
    }

    /**
     * Writes the output to {@code target}: a temporary file in the same directory is written and
     * fsynced, then renamed over {@code target} atomically, and the directory is fsynced (best
     * effort). Pages nothing supplies are holes (the file reads as zeros there).
     *
     * @param target    the file to write
     * @param overwrite whether an existing {@code target} may be replaced; when false an existing
     *                  file is never touched
     * @throws IOException                on an I/O error (no partial file is left behind)
     * @throws FileAlreadyExistsException if {@code target} exists and {@code overwrite} is false
     */
    public void writeTo(Path target, boolean overwrite) throws IOException {
        AtomicFile.write(target, overwrite, ch -> {
            for (long p = 1; p <= nPage; p++) {
                // The last page is always written, so the file has its full size even when it ends in a hole.
                if (backed(p) || p == nPage) {
                    ByteBuffer buf = page(p).asByteBuffer();
                    long position = (p - 1) * pageSize;
                    while (buf.hasRemaining()) {
                        position += ch.write(buf, position);
                    }
                }
            }
        });
    }

    /**
     * A write-through applier over {@code channel}: the same model as the in-memory applier (page
     * images applied in order, a later image of a page replacing an earlier one, {@code nPage}
     * truncating for good or extending with zeros), but each image is written to the file as it
     * is applied, so memory stays bounded by one page whatever the image's size. Restore uses it
     * to turn a snapshot plus WAL frames or LTX pages into a database file.
     *
     * @param channel  a file open for writing (and reading), normally empty; not closed by the applier
     * @param pageSize page size in bytes
     * @return the write-through applier, with {@code nPage} = the channel's size in whole pages (rounded up)
     * @throws IOException if the channel's size cannot be read
     */
    public static WriteThrough writeThrough(FileChannel channel, int pageSize) throws IOException {
        return new WriteThrough(java.util.Objects.requireNonNull(channel, "channel"), pageSize);
    }

    /**
     * Applies page images straight to a file (see {@link PageApplier#writeThrough}). Page
     * {@code p} is bytes {@code [(p−1)·P, p·P)}. The file holds the output once {@link #finish()}
     * has set its size to {@code nPage · pageSize}; before that an image of a page above
     * {@code nPage} may lie beyond the end (SQLite's checkpoint never writes such pages; the
     * final size cuts them off, as the in-memory applier ignores them).
     *
     * <p>Not thread-safe. Does not close the channel; the caller closes it (after {@link #finish()}).
     */
    public static final class WriteThrough {
        private final FileChannel channel;
        private final int pageSize;
        private long nPage;
        private long baseBytes;
        private long imagesWritten;
        private boolean imagesStarted;

        private WriteThrough(FileChannel channel, int pageSize) throws IOException {
            if (!DbFormat.isValidPageSize(pageSize)) {
                throw new IllegalArgumentException("page size must be a power of two in 512..65536: " + pageSize);
            }
            this.channel = channel;
            this.pageSize = pageSize;
            this.baseBytes = channel.size();
            this.nPage = (baseBytes + pageSize - 1) / pageSize;
        }

        /**
         * Appends the next bytes of the base image (a database file streamed from its start, e.g.
         * a decompressed snapshot) with one large sequential write; {@code nPage} follows the base
         * size in whole pages (rounded up). Only before the first image.
         *
         * @param bytes  the buffer
         * @param offset start in {@code bytes}
         * @param length number of bytes
         * @return this applier
         * @throws IOException              on a write error
         * @throws IllegalStateException    after an image was applied
         */
        public WriteThrough appendBase(byte[] bytes, int offset, int length) throws IOException {
            if (imagesStarted) {
                throw new IllegalStateException("the base is complete once an image is applied");
            }
            writeFully(ByteBuffer.wrap(bytes, offset, length), baseBytes);
            baseBytes += length;
            nPage = (baseBytes + pageSize - 1) / pageSize;
            return this;
        }

        /**
         * Writes one page image as page {@code pageNumber}.
         *
         * @param pageNumber the page it replaces (1-based)
         * @param bytes      the buffer holding the image
         * @param offset     the image's start in {@code bytes} ({@code pageSize} bytes from there)
         * @param file       the file the image was read from, for error messages
         * @param fileOffset the image's byte offset in {@code file}
         * @return this applier
         * @throws CorruptFileException if the page number is 0 or above 2^32 − 1
         * @throws IOException          on a write error
         */
        public WriteThrough apply(long pageNumber, byte[] bytes, int offset, String file, long fileOffset) throws IOException {
            if (pageNumber < 1 || pageNumber > 0xFFFF_FFFFL) {
                throw new CorruptFileException(file, fileOffset, "page image", "page number",
                        "1.." + 0xFFFF_FFFFL, Long.toString(pageNumber));
            }
            imagesStarted = true;
            writeFully(ByteBuffer.wrap(bytes, offset, pageSize), (pageNumber - 1) * pageSize);
            imagesWritten++;
            return this;
        }

        /**
         * Writes one page image (see {@link PageApplier#apply(PageImage)}).
         *
         * @param image the image
         * @return this applier
         * @throws CorruptFileException as {@link PageApplier#apply(PageImage)}
         * @throws IOException          on a write error
         */
        public WriteThrough apply(PageImage image) throws IOException {
            if (image.bytes().byteSize() != pageSize) {
                throw new CorruptFileException(image.file(), image.offset(), "page image", "size",
                        pageSize + " bytes (the page size)", image.bytes().byteSize() + " bytes");
            }
            if (image.pageNumber() < 1 || image.pageNumber() > 0xFFFF_FFFFL) {
                throw new CorruptFileException(image.file(), image.offset(), "page image", "page number",
                        "1.." + 0xFFFF_FFFFL, Long.toString(image.pageNumber()));
            }
            imagesStarted = true;
            writeFully(image.bytes().asByteBuffer(), (image.pageNumber() - 1) * pageSize);
            imagesWritten++;
            return this;
        }

        /**
         * Sets the page count as a commit frame or an LTX header's commit field does: the file is
         * truncated to (or extended with zeros to) {@code nPage} pages at once, so what lay above
         * it does not come back when a later step raises it.
         *
         * @param newNPage the page count
         * @param file     the file the count was read from, for the error message
         * @param offset   the count's byte offset in {@code file}
         * @return this applier
         * @throws CorruptFileException if {@code newNPage} is negative or above {@link #MAX_PAGE_COUNT}
         * @throws IOException          on a write error
         */
        public WriteThrough nPage(long newNPage, String file, long offset) throws IOException {
            checkPageCount(newNPage, file, offset);
            imagesStarted = true;
            nPage = newNPage;
            setSize(newNPage * pageSize);
            return this;
        }

        /**
         * Sets the file's size to {@code nPage · pageSize} (cutting off images of pages above
         * {@code nPage}, extending with zeros when shorter). Does not fsync.
         *
         * @return the page count of the output
         * @throws IOException on a write error
         */
        public long finish() throws IOException {
            setSize(nPage * pageSize);
            return nPage;
        }

        /**
         * The page count the output will have.
         *
         * @return {@code nPage}
         */
        public long nPage() {
            return nPage;
        }

        /**
         * Page images written so far (base bytes not counted).
         *
         * @return the number of images
         */
        public long imagesWritten() {
            return imagesWritten;
        }

        private void setSize(long size) throws IOException {
            long current = channel.size();
            if (current > size) {
                channel.truncate(size);
            } else if (current < size) {
                writeFully(ByteBuffer.allocate(1), size - 1);
            }
        }

        private void writeFully(ByteBuffer b, long position) throws IOException {
            while (b.hasRemaining()) {
                position += channel.write(b, position);
            }
        }
    }
}
