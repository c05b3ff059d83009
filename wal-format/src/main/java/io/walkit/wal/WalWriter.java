package io.walkit.wal;

import io.walkit.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.SortedMap;
import java.util.random.RandomGenerator;

/**
 * Builds a WAL file in memory the way SQLite's writer ({@code walFrames}, {@code walRestartHdr})
 * lays it out, in either checksum word order and any valid page size, and writes it to a new file
 * atomically.
 *
 * <p>Model: the writer keeps SQLite's {@code mxFrame} (the last committed frame), the write position
 * and the running checksum. {@link #commit} appends a transaction whose last frame carries the
 * database size; {@link #appendUncommitted} appends frames without a commit marker (a torn or
 * uncommitted tail); {@link #rollback} forgets such frames the way SQLite does (the bytes stay and
 * are overwritten by the next append); {@link #restart} starts a new generation of the log exactly
 * like {@code walRestartHdr}: checkpoint sequence + 1, salt-1 + 1, a fresh random salt-2, and the
 * following frames overwrite the file from frame 1 on. Frames of the previous generation that are
 * not overwritten stay in the file as stale frames, as in a real WAL.
 *
 * <p>The header is (re)written lazily, when the first frame of a generation is written, as SQLite
 * does. The image never shrinks except through {@link #truncate}.
 *
 * <p>Not thread-safe. Page images are copied.
 */
public final class WalWriter {

    private final int pageSize;
    private final int frameSize;
    private ByteOrder order;
    private int checkpointSequence;
    private int salt1;
    private int salt2;
    private long headerChecksum;
    private boolean headerWritten;

    private byte[] image;
    private long length;
    /** Frames of the current generation written so far (committed or not). */
    private int writtenFrames;
    /** SQLite's mxFrame: last committed frame of the current generation. */
    private int mxFrame;
    private long lastFrameChecksum;
    private long lastCommitChecksum;
    private int databaseSize;

    private WalWriter(int pageSize, ByteOrder order, int checkpointSequence, int salt1, int salt2) {
        if (!WalFormat.isValidPageSize(pageSize)) {
            throw new IllegalArgumentException("page size must be a power of two in 512..65536: " + pageSize);
        }
        this.pageSize = pageSize;
        this.frameSize = WalFormat.frameSize(pageSize);
        this.order = Objects.requireNonNull(order, "order");
        this.checkpointSequence = checkpointSequence;
        this.salt1 = salt1;
        this.salt2 = salt2;
        this.image = new byte[Math.max(WalFormat.HEADER_SIZE, 4 * frameSize)];
        startGeneration();
    }

    /**
     * {@return a new, empty WAL}
     *
     * @param pageSize           512..65536, a power of two
     * @param checksumOrder      the word order of checksums ({@code LITTLE_ENDIAN} writes magic
     *                           0x377F0682, {@code BIG_ENDIAN} writes 0x377F0683)
     * @param checkpointSequence the header's checkpoint sequence (SQLite: {@code nCkpt})
     * @param salt1              salt-1
     * @param salt2              salt-2
     */
    public static WalWriter create(int pageSize, ByteOrder checksumOrder, int checkpointSequence, int salt1, int salt2) {
        return new WalWriter(pageSize, checksumOrder, checkpointSequence, salt1, salt2);
    }

    /**
     * {@return a new, empty WAL with checkpoint sequence 0 and random salts, as SQLite's first header has}
     *
     * @param pageSize the page size, a power of two in 512..65536
     * @param checksumOrder the checksum word order (the writing machine's native order in SQLite)
     * @param random the source of the salts
     */
    public static WalWriter create(int pageSize, ByteOrder checksumOrder, RandomGenerator random) {
        return new WalWriter(pageSize, checksumOrder, 0, random.nextInt(), random.nextInt());
    }

    private void startGeneration() {
        WalHeader h = WalHeader.create(order == ByteOrder.BIG_ENDIAN, pageSize, checkpointSequence, salt1, salt2);
        headerChecksum = h.storedChecksum();
        lastFrameChecksum = headerChecksum;
        lastCommitChecksum = headerChecksum;
        writtenFrames = 0;
        mxFrame = 0;
        headerWritten = false;
    }

    /** {@return the page size} */
    public int pageSize() {
        return pageSize;
    }

    /** {@return the current generation's header (what is or will be at offset 0)} */
    public WalHeader header() {
        return WalHeader.create(order == ByteOrder.BIG_ENDIAN, pageSize, checkpointSequence, salt1, salt2);
    }

    /**
     * SQLite's {@code mxFrame}: the last committed frame of the current generation, 0 if none.
     *
     * @return the frame number
     */
    public int mxFrame() {
        return mxFrame;
    }

    /** {@return the frames written in the current generation, including an uncommitted tail} */
    public int writtenFrames() {
        return writtenFrames;
    }

    /** {@return the database size in pages after the last commit of this generation (0 if none)} */
    public int databaseSize() {
        return databaseSize;
    }

    /** {@return the current length of the file image in bytes (stale frames included)} */
    public long length() {
        return length;
    }

    /**
     * Appends one transaction: the pages in ascending page-number order, the last carrying
     * {@code databaseSize} as its commit marker. As {@code pagerWalFrames} does, pages numbered above
     * {@code databaseSize} are dropped; when nothing remains, page 1 must be supplied.
     * Frames appended by {@link #appendUncommitted} since the last commit belong to this transaction
     * (a cache spill); call {@link #rollback} first to drop them instead.
     *
     * @param pages        page number → page image of exactly {@link #pageSize()} bytes
     * @param databaseSize database size in pages after the commit (SQLite: {@code nTruncate}), &gt; 0
     * @return the commit frame number
     */
    public int commit(SortedMap<Integer, byte[]> pages, int databaseSize) {
        if (databaseSize <= 0) {
            throw new IllegalArgumentException("database size must be positive: " + databaseSize);
        }
        int[] numbers = pages.keySet().stream().mapToInt(Integer::intValue)
                .filter(p -> Integer.compareUnsigned(p, databaseSize) <= 0).toArray();
        if (numbers.length == 0) {
            throw new IllegalArgumentException("a commit needs at least one page ≤ the database size");
        }
        for (int i = 0; i < numbers.length; i++) {
            frame(numbers[i], pages.get(numbers[i]), i == numbers.length - 1 ? databaseSize : 0);
        }
        mxFrame = writtenFrames;
        lastCommitChecksum = lastFrameChecksum;
        this.databaseSize = databaseSize;
        return mxFrame;
    }

    /**
     * Appends frames without a commit marker after the frames written so far, as a cache spill of a
     * transaction that has not committed (or never will: a torn tail).
     *
     * @return the last frame number written
     * @param pages the page images by page number; written in ascending order
     */
    public int appendUncommitted(SortedMap<Integer, byte[]> pages) {
        for (var e : pages.entrySet()) {
            frame(e.getKey(), e.getValue(), 0);
        }
        return writtenFrames;
    }

    /**
     * Appends a single frame with an explicit commit marker (0 for none), for tests that need
     * unusual sequences. A non-zero {@code commitSize} makes it a commit.
     *
     * @param pageNumber the page the frame holds
     * @param page the page image, exactly one page long
     * @param commitSize the database size in pages for a commit frame, else 0
     * @return the frame number written
     */
    public int appendFrame(int pageNumber, byte[] page, int commitSize) {
        frame(pageNumber, page, commitSize);
        if (commitSize != 0) {
            mxFrame = writtenFrames;
            lastCommitChecksum = lastFrameChecksum;
            databaseSize = commitSize;
        }
        return writtenFrames;
    }

    /** Forgets frames after {@code mxFrame} (their bytes stay until overwritten), like a rollback. */
    public void rollback() {
        writtenFrames = mxFrame;
        lastFrameChecksum = lastCommitChecksum;
    }

    /**
     * Restarts the log as {@code walRestartHdr} does after a complete checkpoint: checkpoint
     * sequence + 1, salt-1 + 1, salt-2 from {@code random}; the next frame is frame 1 again and the
     * header is rewritten when it is written.
     *
     * @param random the source of the new salt-2
     */
    public void restart(RandomGenerator random) {
        restart(random, order);
    }

    /**
     * As {@link #restart(RandomGenerator)}, switching the checksum word order (a restarted header
     * takes the writing machine's native order).
     *
     * @param random the source of the new salt-2
     * @param newOrder the checksum word order of the restarted WAL
     */
    public void restart(RandomGenerator random, ByteOrder newOrder) {
        order = Objects.requireNonNull(newOrder, "newOrder");
        checkpointSequence++;
        salt1++;
        salt2 = random.nextInt();
        databaseSize = 0;
        startGeneration();
    }

    /**
     * Cuts the image to {@code newLength} bytes (a crash before the tail reached the disk).
     *
     * @param newLength the new length in bytes, at most the current one
     */
    public void truncate(long newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("length " + newLength + " outside 0.." + length);
        }
        Arrays.fill(image, (int) newLength, (int) length, (byte) 0);
        length = newLength;
    }

    private void frame(int pageNumber, byte[] page, int commitSize) {
        if (page.length != pageSize) {
            throw new IllegalArgumentException("page image must be " + pageSize + " bytes, got " + page.length);
        }
        if (pageNumber == 0) {
            throw new IllegalArgumentException("page number 0");
        }
        if (!headerWritten) {
            ensure(WalFormat.HEADER_SIZE);
            header().encodeTo(java.lang.foreign.MemorySegment.ofArray(image), 0);
            length = Math.max(length, WalFormat.HEADER_SIZE);
            headerWritten = true;
        }
        long offset = WalFormat.frameOffset(writtenFrames + 1L, pageSize);
        if (offset + frameSize > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("in-memory WAL image limited to 2 GiB");
        }
        ensure(offset + frameSize);
        long sum = WalFrame.encode(image, (int) offset, pageNumber, commitSize, salt1, salt2, page,
                order == ByteOrder.BIG_ENDIAN, lastFrameChecksum);
        lastFrameChecksum = sum;
        writtenFrames++;
        length = Math.max(length, offset + frameSize);
    }

    private void ensure(long size) {
        if (size > image.length) {
            image = Arrays.copyOf(image, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size, image.length * 2L)));
        }
    }

    /** {@return a copy of the file image} */
    public byte[] toByteArray() {
        return Arrays.copyOf(image, (int) length);
    }

    /**
     * Writes the image to a new file {@code target}: a temporary file in the same directory is
     * written and fsynced, then atomically renamed to {@code target}, and the directory is fsynced
     * (best effort). An existing {@code target} is never modified.
     *
     * @throws FileAlreadyExistsException if {@code target} exists
     * @param target the file to create
     */
    public void writeTo(Path target) throws IOException {
        writeAtomically(target, toByteArray());
    }

    /**
     * Writes {@code bytes} to the new file {@code target} via temp file + fsync + atomic rename ({@link AtomicFile}).
     *
     * @param target the file to create; must not exist
     * @param bytes the content
     * @throws IOException if the file exists or cannot be written
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        AtomicFile.write(target, false, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        });
    }
}
