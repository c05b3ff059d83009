package io.walkit.wal;

import java.lang.foreign.MemorySegment;

/**
 * Walks a WAL's checksum chain frame by frame with {@link WalFrame#decode}, the one chain rule:
 * from a starting point (after frame {@code n}, with frame {@code n}'s running checksum, or the
 * header's for {@code n = 0}), each {@link #next()} decodes the following whole frame and advances
 * when it is valid. It stops for good at the first frame that is not, or at the end of the whole
 * frames.
 *
 * <p>This is the simple per-frame path. {@link WalScanner} applies the same rule through a bulk
 * path (two frames in flight, several threads) and uses this walker's verdict to classify where it
 * stopped; a property test pins that both find the same valid prefix.
 *
 * <p>Bounded: at most {@code (size - 32) / (24 + pageSize)} steps, each reading one frame; no
 * allocation per step beyond the decoded record. Not thread-safe (one walker per thread); the
 * segment is the caller's and must stay open while walking.
 */
public final class WalChain {

    private final MemorySegment segment;
    private final int pageSize;
    private final int salt1;
    private final int salt2;
    private final boolean bigEndianWords;
    private final long lastFrame;

    private int frame;
    private long checksum;
    private int lastCommitFrame;
    private int lastCommitSize;
    private long lastCommitChecksum;
    private StopReason stop;
    private WalFrame.Decoded last;

    private WalChain(MemorySegment segment, long size, int pageSize, int salt1, int salt2, boolean bigEndianWords,
                     int afterFrame, long checksum) {
        if (!WalFormat.isValidPageSize(pageSize)) {
            throw new IllegalArgumentException("page size must be a power of two in 512..65536: " + pageSize);
        }
        if (afterFrame < 0) {
            throw new IllegalArgumentException("afterFrame must be >= 0: " + afterFrame);
        }
        if (size > segment.byteSize()) {
            throw new IllegalArgumentException("size " + size + " exceeds the segment's " + segment.byteSize());
        }
        this.segment = segment;
        this.pageSize = pageSize;
        this.salt1 = salt1;
        this.salt2 = salt2;
        this.bigEndianWords = bigEndianWords;
        this.lastFrame = Math.min(WalFormat.wholeFrames(size, pageSize), 0xFFFF_FFFFL);
        this.frame = afterFrame;
        this.checksum = checksum;
        this.lastCommitFrame = afterFrame;
        this.lastCommitChecksum = checksum;
    }

    /**
     * A walker over the first {@code size} bytes of {@code segment} continuing a chain after frame
     * {@code afterFrame} (0 = right after the header) whose running checksum there is
     * {@code checksum}.
     *
     * @param segment        the WAL image
     * @param size           bytes of {@code segment} that belong to the file
     * @param pageSize       page size in bytes
     * @param salt1          the generation's salt-1 (the WAL header's)
     * @param salt2          the generation's salt-2
     * @param bigEndianWords checksum word order (the WAL magic's bit 0)
     * @param afterFrame     the frame the chain continues after (0: the header)
     * @param checksum       the running checksum of {@code afterFrame} (the header's stored checksum for 0)
     * @return a walker positioned at {@code afterFrame}
     */
    public static WalChain after(MemorySegment segment, long size, int pageSize, int salt1, int salt2,
                                 boolean bigEndianWords, int afterFrame, long checksum) {
        return new WalChain(segment, size, pageSize, salt1, salt2, bigEndianWords, afterFrame, checksum);
    }

    /**
     * A walker from frame 1 of a WAL whose header is {@code header} (not checked here).
     *
     * @param segment the WAL image
     * @param size    bytes of {@code segment} that belong to the file
     * @param header  the WAL header
     * @return a walker positioned at frame 0
     */
    public static WalChain fromHeader(MemorySegment segment, long size, WalHeader header) {
        return new WalChain(segment, size, header.pageSize(), header.salt1(), header.salt2(),
                header.bigEndianChecksum(), 0, header.storedChecksum());
    }

    /**
     * Decodes the next whole frame; when it continues the chain, advances to it and returns true.
     * Once it returns false (an invalid frame, or no whole frame left) it keeps returning false and
     * {@link #stop()} says why.
     *
     * @return whether a frame was accepted
     */
    public boolean next() {
        if (stop != null) {
            return false;
        }
        if (frame >= lastFrame) {
            stop = StopReason.END_OF_FILE;
            return false;
        }
        long offset = WalFormat.frameOffset(frame + 1L, pageSize);
        WalFrame.Decoded d = WalFrame.decode(segment, offset, pageSize, salt1, salt2, bigEndianWords, checksum);
        if (!d.valid()) {
            stop = d.verdict().stopReason();
            return false;
        }
        frame++;
        checksum = d.checksum();
        last = d;
        if (d.isCommit()) {
            lastCommitFrame = frame;
            lastCommitSize = d.header().commitSize();
            lastCommitChecksum = checksum;
        }
        return true;
    }

    /**
     * Walks while frames are valid.
     *
     * @return the last valid frame
     */
    public int walk() {
        while (next()) {
            // advance
        }
        return frame;
    }

    /**
     * The last frame accepted.
     *
     * @return its frame number (the starting {@code afterFrame} when none was accepted)
     */
    public int frame() {
        return frame;
    }

    /**
     * The running checksum after {@link #frame()}.
     *
     * @return the packed checksum
     */
    public long checksum() {
        return checksum;
    }

    /**
     * The decoded header of {@link #frame()}.
     *
     * @return the header; null before the first accepted frame
     */
    public WalFrameHeader header() {
        return last == null ? null : last.header();
    }

    /**
     * Byte offset of frame {@link #frame()}.
     *
     * @return the offset; 0 (the header) when the frame is 0
     */
    public long frameOffset() {
        return frame == 0 ? 0 : WalFormat.frameOffset(frame, pageSize);
    }

    /**
     * The last accepted commit frame.
     *
     * @return its frame number (the starting {@code afterFrame} when none was accepted)
     */
    public int lastCommitFrame() {
        return lastCommitFrame;
    }

    /**
     * The commit size of {@link #lastCommitFrame()} (SQLite: nTruncate).
     *
     * @return the database size in pages; 0 when no commit frame was accepted
     */
    public int lastCommitSize() {
        return lastCommitSize;
    }

    /**
     * The running checksum after {@link #lastCommitFrame()}.
     *
     * @return the packed checksum
     */
    public long lastCommitChecksum() {
        return lastCommitChecksum;
    }

    /**
     * Why walking stopped: {@link StopReason#END_OF_FILE} when no whole frame is left (a partial
     * frame may follow), else the failed frame's reason.
     *
     * @return the reason; null while walking can continue
     */
    public StopReason stop() {
        return stop;
    }
}
