package io.walkit.wal;

import io.walkit.io.ByteSource;
import java.lang.foreign.MemorySegment;

/**
 * The 24-byte header in front of every WAL frame's page image.
 *
 * <p>All fields are big-endian u32.
 * <pre>
 * offset size field        meaning
 *      0    4 pageNumber   database page this frame holds (never 0 in a valid frame)
 *      4    4 commitSize   for a commit frame, the database size in pages after the commit
 *                          (SQLite: nTruncate); 0 otherwise
 *      8    4 salt1        copy of the WAL header's salt-1
 *     12    4 salt2        copy of the WAL header's salt-2
 *     16    4 checksum1    cumulative checksum over header bytes 0..7 and the page image,
 *     20    4 checksum2    seeded with the previous frame's (or the WAL header's) checksum
 * </pre>
 *
 * <p>{@link #read} and {@link #encodeTo} are the only decoder and encoder of these 24 bytes;
 * {@link WalFrame} adds the running checksum on top (SQLite: {@code walEncodeFrame},
 * {@code walDecodeFrame}). Immutable and thread-safe.
 *
 * @param pageNumber database page number (SQLite: {@code pgno}), u32 in an int
 * @param commitSize database size in pages after a commit (SQLite: {@code nTruncate}), 0 otherwise
 * @param salt1      salt-1 copied from the WAL header
 * @param salt2      salt-2 copied from the WAL header
 * @param checksum1  stored running checksum word 1
 * @param checksum2  stored running checksum word 2
 */
public record WalFrameHeader(int pageNumber, int commitSize, int salt1, int salt2, int checksum1, int checksum2) {

    /**
     * Decodes the frame header at {@code offset} of {@code segment}, which must hold 24 bytes there.
     *
     * @param segment the WAL image
     * @param offset  byte offset of the frame
     * @return the header as stored
     */
    public static WalFrameHeader read(MemorySegment segment, long offset) {
        return new WalFrameHeader(
                segment.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_PAGE_NUMBER),
                segment.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_COMMIT_SIZE),
                segment.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT1),
                segment.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT2),
                segment.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_CHECKSUM1),
                segment.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_CHECKSUM2));
    }

    /**
     * Decodes the frame header at {@code offset} of {@code bytes}.
     *
     * @param bytes  the WAL image
     * @param offset byte offset of the frame
     * @return the header as stored
     */
    public static WalFrameHeader read(byte[] bytes, int offset) {
        return read(MemorySegment.ofArray(bytes), offset);
    }

    /**
     * Writes the 24 bytes of this header at {@code offset} of {@code segment} (the inverse of {@link #read}).
     *
     * @param segment the WAL image
     * @param offset  byte offset of the frame
     */
    public void encodeTo(MemorySegment segment, long offset) {
        segment.set(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_PAGE_NUMBER, pageNumber);
        segment.set(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_COMMIT_SIZE, commitSize);
        segment.set(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT1, salt1);
        segment.set(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT2, salt2);
        segment.set(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_CHECKSUM1, checksum1);
        segment.set(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_CHECKSUM2, checksum2);
    }

    /**
     * Whether this is a commit frame.
     *
     * @return true when the commit size is not 0
     */
    public boolean isCommit() {
        return commitSize != 0;
    }

    /**
     * The stored checksum.
     *
     * @return the pair, packed (see {@link WalChecksum})
     */
    public long storedChecksum() {
        return WalChecksum.pack(checksum1, checksum2);
    }

    /**
     * The 24 bytes as stored.
     *
     * @return a new array
     */
    public byte[] encode() {
        byte[] b = new byte[WalFormat.FRAME_HEADER_SIZE];
        encodeTo(MemorySegment.ofArray(b), 0);
        return b;
    }
}
