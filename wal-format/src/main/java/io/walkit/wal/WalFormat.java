package io.walkit.wal;

/**
 * Constants of SQLite's WAL and wal-index formats, mirroring the offset tables in
 * {@link WalHeader}, {@link WalFrameHeader}, {@link WalIndexHeader} and {@link CheckpointInfo}.
 *
 * <p>Sources: SQLite {@code src/wal.c} (file-format comment, {@code WAL_MAGIC},
 * {@code WAL_MAX_VERSION}, {@code WALINDEX_PGSZ}, {@code HASHTABLE_*}).
 */
public final class WalFormat {

    private WalFormat() {}

    /** Size of the WAL file header. SQLite: {@code WAL_HDRSIZE}. */
    public static final int HEADER_SIZE = 32;
    /** Size of each frame header. SQLite: {@code WAL_FRAME_HDRSIZE}. */
    public static final int FRAME_HEADER_SIZE = 24;

    /** Magic with little-endian checksum words. SQLite: {@code WAL_MAGIC}. */
    public static final int MAGIC_LE = 0x377F0682;
    /** Magic with big-endian checksum words ({@code WAL_MAGIC | 1}). */
    public static final int MAGIC_BE = 0x377F0683;
    /** The only WAL format version mainline SQLite reads. SQLite: {@code WAL_MAX_VERSION}. */
    public static final int FORMAT_VERSION = 3007000;
    /** The wal2 branch's format version, refused by mainline SQLite and by walkit. */
    public static final int FORMAT_VERSION_WAL2 = 3021000;

    /** Smallest page size a WAL header may give (512 bytes). */
    public static final int MIN_PAGE_SIZE = 512;
    /** Largest page size a WAL header may give (65,536 bytes, stored as 65536 in the WAL header). */
    public static final int MAX_PAGE_SIZE = 65536;

    // WAL header field offsets.
    /** WAL header: the magic number (4 bytes, big-endian). */
    public static final int OFF_MAGIC = 0;
    /** WAL header: the format version, {@value #FORMAT_VERSION}. */
    public static final int OFF_FORMAT_VERSION = 4;
    /** WAL header: the database page size. */
    public static final int OFF_PAGE_SIZE = 8;
    /** WAL header: the checkpoint sequence number, incremented at each WAL restart. */
    public static final int OFF_CHECKPOINT_SEQUENCE = 12;
    /** WAL header: salt-1 (incremented at each restart). */
    public static final int OFF_SALT1 = 16;
    /** WAL header: salt-2 (a fresh random value at each restart). */
    public static final int OFF_SALT2 = 20;
    /** WAL header: first checksum word over the header's first 24 bytes. */
    public static final int OFF_CHECKSUM1 = 24;
    /** WAL header: second checksum word over the header's first 24 bytes. */
    public static final int OFF_CHECKSUM2 = 28;

    // Frame header field offsets, relative to the frame start.
    /** Frame header: the database page number the frame holds (1-based). */
    public static final int FRAME_OFF_PAGE_NUMBER = 0;
    /** Frame header: the database size in pages after a commit frame; 0 on other frames. */
    public static final int FRAME_OFF_COMMIT_SIZE = 4;
    /** Frame header: salt-1 copied from the WAL header when the frame was written. */
    public static final int FRAME_OFF_SALT1 = 8;
    /** Frame header: salt-2 copied from the WAL header when the frame was written. */
    public static final int FRAME_OFF_SALT2 = 12;
    /** Frame header: first word of the running checksum through this frame. */
    public static final int FRAME_OFF_CHECKSUM1 = 16;
    /** Frame header: second word of the running checksum through this frame. */
    public static final int FRAME_OFF_CHECKSUM2 = 20;

    // wal-index (-shm) layout.
    /** Size of one wal-index region ("wal-index page"). SQLite: {@code WALINDEX_PGSZ}. */
    public static final int SHM_REGION_SIZE = 32768;
    /** Size of one {@code WalIndexHdr} copy. */
    public static final int SHM_HEADER_SIZE = 48;
    /** Offset of {@code WalCkptInfo}. */
    public static final int SHM_CKPT_INFO_OFFSET = 96;
    /** Total header size of region 0. SQLite: {@code WALINDEX_HDR_SIZE}. */
    public static final int SHM_TOTAL_HEADER_SIZE = 136;
    /** Frames indexed per region. SQLite: {@code HASHTABLE_NPAGE}. */
    public static final int HASHTABLE_NPAGE = 4096;
    /** Frames indexed in region 0. SQLite: {@code HASHTABLE_NPAGE_ONE}. */
    public static final int HASHTABLE_NPAGE_ONE = HASHTABLE_NPAGE - SHM_TOTAL_HEADER_SIZE / 4;
    /** Hash slots per region. SQLite: {@code HASHTABLE_NSLOT}. */
    public static final int HASHTABLE_NSLOT = 2 * HASHTABLE_NPAGE;
    /** Hash multiplier. SQLite: {@code HASHTABLE_HASH_1}. */
    public static final int HASHTABLE_HASH_1 = 383;
    /** Number of read marks. SQLite: {@code WAL_NREADER}. */
    public static final int READ_MARK_COUNT = 5;
    /** An unused read mark. SQLite: {@code READMARK_NOT_USED}. */
    public static final int READMARK_NOT_USED = 0xFFFFFFFF;

    /**
     * Byte offset of a frame's header in a WAL of the given page size.
     *
     * @param frameNumber the frame, 1-based
     * @param pageSize the WAL's page size in bytes
     * @return the offset from the start of the file
     */
    public static long frameOffset(long frameNumber, int pageSize) {
        return HEADER_SIZE + (frameNumber - 1) * (long) (pageSize + FRAME_HEADER_SIZE);
    }

    /**
     * Size in bytes of one frame (header plus page image).
     *
     * @param pageSize the WAL's page size in bytes
     * @return {@code pageSize} plus {@value #FRAME_HEADER_SIZE}
     */
    public static int frameSize(int pageSize) {
        return pageSize + FRAME_HEADER_SIZE;
    }

    /**
     * Number of whole frames a WAL of {@code fileSize} bytes has room for (a torn last frame not counted).
     *
     * @param fileSize the WAL file's size in bytes
     * @param pageSize the WAL's page size in bytes
     * @return the count; 0 when the file has no room for one frame
     */
    public static long wholeFrames(long fileSize, int pageSize) {
        return fileSize <= HEADER_SIZE ? 0 : (fileSize - HEADER_SIZE) / frameSize(pageSize);
    }

    /**
     * Whether {@code pageSize} is a WAL-header page size SQLite accepts: a power of two in 512..65536.
     *
     * @param pageSize the value read from the header
     * @return true when SQLite's recovery would accept it
     */
    public static boolean isValidPageSize(long pageSize) {
        return pageSize >= MIN_PAGE_SIZE && pageSize <= MAX_PAGE_SIZE && (pageSize & (pageSize - 1)) == 0;
    }
}
