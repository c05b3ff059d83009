package io.walkit.wal;

import io.walkit.io.ByteSource;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import java.lang.foreign.MemorySegment;
import java.util.AbstractList;
import java.util.List;

/**
 * The result of scanning a WAL the way SQLite's recovery ({@code walIndexRecover}) does: the
 * header verdict, the valid prefix, its commits, why and where validity stopped, and the
 * page → newest-frame index as of the last commit.
 *
 * <p>Frame numbers are 1-based. {@link #mxFrame()} is SQLite's {@code mxFrame}: the last commit
 * frame inside the maximal prefix of valid frames. Frames after it (an uncommitted tail, an invalid
 * frame, stale frames of older generations, a partial frame) are ignored by every SQLite reader.
 *
 * <p>The scan keeps a reference to its {@link ByteSource} for on-demand access to frame headers and
 * page images; those methods work only while the source is open. Memory held is proportional to the
 * number of commits and distinct pages, not to the file size.
 */
public final class WalScan {

    private final ByteSource source;
    private final WalHeader header;
    private final StopReason stopReason;
    private final long stopOffset;
    private final int stopFrame;
    private final long frameCount;
    private final int lastValidFrame;
    private final int[] commitFrames;
    private final int[] commitSizes;
    private final int commitCount;
    private final long lastCommitChecksum;
    private final long lastValidChecksum;
    private final PageIndex pageIndex;

    WalScan(ByteSource source, WalHeader header, StopReason stopReason, long stopOffset, int stopFrame,
            long frameCount, int lastValidFrame, int[] commitFrames, int[] commitSizes, int commitCount,
            long lastCommitChecksum, long lastValidChecksum, PageIndex pageIndex) {
        this.source = source;
        this.header = header;
        this.stopReason = stopReason;
        this.stopOffset = stopOffset;
        this.stopFrame = stopFrame;
        this.frameCount = frameCount;
        this.lastValidFrame = lastValidFrame;
        this.commitFrames = commitFrames;
        this.commitSizes = commitSizes;
        this.commitCount = commitCount;
        this.lastCommitChecksum = lastCommitChecksum;
        this.lastValidChecksum = lastValidChecksum;
        this.pageIndex = pageIndex;
    }

    /** {@return the scanned source} */
    public ByteSource source() {
        return source;
    }

    /** {@return the file size in bytes} */
    public long fileSize() {
        return source.size();
    }

    /** {@return the decoded header, or {@code null} when the file is shorter than 32 bytes} */
    public WalHeader header() {
        return header;
    }

    /** {@return whether SQLite's header gate accepted the header (frames were read)} */
    public boolean headerAccepted() {
        return !stopReason.isHeaderProblem();
    }

    /** {@return the page size from the header when it is valid, else 0} */
    public int pageSize() {
        return header != null && WalFormat.isValidPageSize(Integer.toUnsignedLong(header.pageSize()))
                ? header.pageSize() : 0;
    }

    /**
     * Why validity ended.
     *
     * @return the reason
     */
    public StopReason stopReason() {
        return stopReason;
    }

    /**
     * Byte offset where validity ended: the header field at fault, the first invalid frame, the
     * partial frame, or the file size at a clean end of file.
     *
     * @return the offset in bytes
     */
    public long stopOffset() {
        return stopOffset;
    }

    /** {@return the first invalid frame (1-based), or 0 when no whole frame was invalid} */
    public int stopFrame() {
        return stopFrame;
    }

    /**
     * Whole frames physically present in the file (valid or not); 0 when the page size is invalid.
     *
     * @return the count
     */
    public long frameCount() {
        return frameCount;
    }

    /**
     * SQLite's {@code mxFrame}: the last commit frame of the valid prefix, 0 if none.
     *
     * @return the frame number
     */
    public int mxFrame() {
        return commitCount == 0 ? 0 : commitFrames[commitCount - 1];
    }

    /** {@return the last frame of the valid prefix, committed or not (≥ {@link #mxFrame()})} */
    public int lastValidFrame() {
        return lastValidFrame;
    }

    /**
     * Valid frames after the last commit: written by a transaction that never committed.
     *
     * @return the number of such frames
     */
    public int uncommittedTail() {
        return lastValidFrame - mxFrame();
    }

    /** {@return the database size in pages after the last commit (SQLite: {@code nPage}), 0 if no commit} */
    public int databaseSize() {
        return commitCount == 0 ? 0 : commitSizes[commitCount - 1];
    }

    /** {@return the checksum of the last commit frame (SQLite: {@code aFrameCksum}), packed; 0 if no commit} */
    public long lastCommitChecksum() {
        return lastCommitChecksum;
    }

    /** {@return the checksum of the last valid frame, packed; the header checksum when no frame is valid} */
    public long lastValidChecksum() {
        return lastValidChecksum;
    }

    /** {@return the number of commits in the valid prefix} */
    public int commitCount() {
        return commitCount;
    }

    /** {@return the commits, oldest first} */
    public List<Commit> commits() {
        return new AbstractList<>() {
            @Override
            public Commit get(int i) {
                return commit(i + 1);
            }

            @Override
            public int size() {
                return commitCount;
            }
        };
    }

    /**
     * Commit {@code ordinal} (1-based).
     *
     * @param ordinal the commit's position in the valid prefix, 1-based
     * @return the commit
     */
    public Commit commit(int ordinal) {
        if (ordinal < 1 || ordinal > commitCount) {
            throw new IndexOutOfBoundsException("commit " + ordinal + " of " + commitCount);
        }
        int first = ordinal == 1 ? 1 : commitFrames[ordinal - 2] + 1;
        return new Commit(ordinal, first, commitFrames[ordinal - 1], commitSizes[ordinal - 1]);
    }

    /** {@return the page → newest frame, over frames 1..{@link #mxFrame()}} */
    public PageIndex pageIndex() {
        return pageIndex;
    }

    /**
     * {@return the page → newest frame over frames 1..{@code maxFrame}, read from the source's frame headers}
     *
     * @param maxFrame a frame in 0..{@link #lastValidFrame()}, normally a commit frame
     */
    public PageIndex pageIndexAsOf(int maxFrame) {
        if (maxFrame < 0 || maxFrame > lastValidFrame) {
            throw new IllegalArgumentException("frame " + maxFrame + " is outside the valid prefix 0.." + lastValidFrame);
        }
        if (maxFrame == mxFrame()) {
            return pageIndex;
        }
        Int2IntOpenHashMap map = new Int2IntOpenHashMap();
        MemorySegment s = source.segment();
        int pageSize = pageSize();
        for (int f = 1; f <= maxFrame; f++) {
            map.put(s.get(ByteSource.INT_BE, WalFormat.frameOffset(f, pageSize)), f);
        }
        return new PageIndex(map, maxFrame);
    }

    /**
     * {@return the byte offset of frame {@code frameNumber}}
     *
     * @param frameNumber the frame, 1-based
     */
    public long frameOffset(long frameNumber) {
        return WalFormat.frameOffset(frameNumber, pageSize());
    }

    /**
     * {@return the header of whole frame {@code frameNumber} (1..{@link #frameCount()}), valid or not}
     *
     * @param frameNumber the frame, 1-based
     */
    public WalFrameHeader frameHeader(long frameNumber) {
        checkFrame(frameNumber);
        return WalFrameHeader.read(source.segment(), frameOffset(frameNumber));
    }

    /**
     * {@return the page image of whole frame {@code frameNumber}, as a read-only slice of the source}
     *
     * @param frameNumber the frame, 1-based
     */
    public MemorySegment pageImage(long frameNumber) {
        checkFrame(frameNumber);
        return source.slice(frameOffset(frameNumber) + WalFormat.FRAME_HEADER_SIZE, pageSize());
    }

    private void checkFrame(long frameNumber) {
        if (frameNumber < 1 || frameNumber > frameCount) {
            throw new IndexOutOfBoundsException("frame " + frameNumber + " of " + frameCount);
        }
    }
}
