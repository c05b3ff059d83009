package io.walkit.wal;

import io.walkit.io.ByteSource;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
 */
public record WalFrameHeader(int pageNumber, int commitSize, int salt1, int salt2, int checksum1, int checksum2) {

    /** Decodes the frame header at {@code offset}. */
    public static WalFrameHeader read(MemorySegment segment, long offset) {
        return new WalFrameHeader(
                segment.get(ByteSource.INT_BE, offset),
                segment.get(ByteSource.INT_BE, offset + 4),
                segment.get(ByteSource.INT_BE, offset + 8),
                segment.get(ByteSource.INT_BE, offset + 12),
                segment.get(ByteSource.INT_BE, offset + 16),
                segment.get(ByteSource.INT_BE, offset + 20));
    }

    /** Whether this is a commit frame. */
    public boolean isCommit() {
        return commitSize != 0;
    }

    /** The stored checksum as a packed pair. */
    public long storedChecksum() {
        return WalChecksum.pack(checksum1, checksum2);
    }

    /** The 24 bytes as stored. */
    public byte[] encode() {
        return ByteBuffer.allocate(WalFormat.FRAME_HEADER_SIZE).order(ByteOrder.BIG_ENDIAN)
                .putInt(pageNumber).putInt(commitSize).putInt(salt1).putInt(salt2)
                .putInt(checksum1).putInt(checksum2).array();
    }
}
