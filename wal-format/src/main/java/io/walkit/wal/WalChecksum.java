package io.walkit.wal;

import io.walkit.io.ByteSource;
import java.lang.foreign.MemorySegment;

/**
 * SQLite's WAL checksum ({@code walChecksumBytes}), with the running pair {@code (s0, s1)} packed
 * into one {@code long}: {@code s0} in the high 32 bits, {@code s1} in the low 32 bits.
 *
 * <p>Over consecutive 32-bit words {@code x0, x1, ...} read in the order the WAL magic selects:
 * <pre>
 *   for each pair (x[2k], x[2k+1]):
 *     s0 += x[2k]   + s1     (mod 2^32)
 *     s1 += x[2k+1] + s0     (mod 2^32)
 * </pre>
 * The input length must be a multiple of 8. Results are always stored big-endian in the file.
 */
public final class WalChecksum {

    private WalChecksum() {}

    /** Packs a checksum pair. */
    public static long pack(int s0, int s1) {
        return ((long) s0 << 32) | (s1 & 0xFFFF_FFFFL);
    }

    /** The first word of a packed pair. */
    public static int first(long packed) {
        return (int) (packed >>> 32);
    }

    /** The second word of a packed pair. */
    public static int second(long packed) {
        return (int) packed;
    }

    /**
     * Continues the checksum {@code seed} over {@code length} bytes at {@code offset}.
     *
     * @param bigEndianWords true when the WAL magic is {@link WalFormat#MAGIC_BE}
     */
    public static long update(MemorySegment segment, long offset, long length, boolean bigEndianWords, long seed) {
        assert (length & 7) == 0 : "checksum input must be a multiple of 8 bytes: " + length;
        int s0 = first(seed);
        int s1 = second(seed);
        long end = offset + length;
        if (bigEndianWords) {
            for (long p = offset; p < end; p += 8) {
                long v = segment.get(ByteSource.LONG_BE, p);
                s0 += (int) (v >>> 32) + s1;
                s1 += (int) v + s0;
            }
        } else {
            for (long p = offset; p < end; p += 8) {
                long v = segment.get(ByteSource.LONG_LE, p);
                s0 += (int) v + s1;
                s1 += (int) (v >>> 32) + s0;
            }
        }
        return pack(s0, s1);
    }

    /** Checksum of {@code bytes[offset, offset+length)} continuing {@code seed}. */
    public static long update(byte[] bytes, int offset, int length, boolean bigEndianWords, long seed) {
        return update(MemorySegment.ofArray(bytes), offset, length, bigEndianWords, seed);
    }

    /**
     * The cumulative checksum of the frame at {@code frameOffset}: its header bytes 0..7, then its
     * page image, continuing {@code seed} (the previous frame's checksum, or the header checksum for
     * frame 1).
     */
    public static long frame(MemorySegment segment, long frameOffset, int pageSize, boolean bigEndianWords, long seed) {
        long s = update(segment, frameOffset, 8, bigEndianWords, seed);
        return update(segment, frameOffset + WalFormat.FRAME_HEADER_SIZE, pageSize, bigEndianWords, s);
    }

    /** The checksum of WAL header bytes 0..23 (seed 0,0). */
    public static long header(MemorySegment segment, long headerOffset, boolean bigEndianWords) {
        return update(segment, headerOffset, 24, bigEndianWords, 0L);
    }
}
