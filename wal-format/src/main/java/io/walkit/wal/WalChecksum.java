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
 *
 * <p>Performance: the loops below compute {@code s0 = (s0 + x0) + s1} rather than
 * {@code s0 = s0 + (x0 + s1)}. Both are the same value mod 2^32, but in the first form the
 * {@code s0 + x0} add does not wait for {@code s1}, so the loop-carried dependency chain is one add
 * per word instead of two (the chain that limits SQLite's own loop). Words are read as 32-bit values
 * in the WAL's word order through {@code static final} layouts, which C2 turns into plain (or
 * byte-swapping) loads with the bounds checks hoisted out of the loop.
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
                int x0 = segment.get(ByteSource.INT_BE, p);
                int x1 = segment.get(ByteSource.INT_BE, p + 4);
                s0 = (s0 + x0) + s1;
                s1 = (s1 + x1) + s0;
            }
        } else {
            for (long p = offset; p < end; p += 8) {
                int x0 = segment.get(ByteSource.INT_LE, p);
                int x1 = segment.get(ByteSource.INT_LE, p + 4);
                s0 = (s0 + x0) + s1;
                s1 = (s1 + x1) + s0;
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

    /**
     * Checks two frames at once: whether {@link #frame} of the frame at {@code frameA} seeded with
     * {@code seedA} equals {@code expectA}, and likewise for B. The two checksum chains are
     * independent, so the CPU runs them side by side; this is what lets the scanner verify at memory
     * speed. Both frames have {@code pageSize} bytes of page image.
     *
     * @return bit 0 set when frame A matches, bit 1 set when frame B matches
     */
    static int framesMatch(MemorySegment segment, long frameA, long frameB, int pageSize, boolean bigEndianWords,
                           long seedA, long seedB, long expectA, long expectB) {
        long ha = update(segment, frameA, 8, bigEndianWords, seedA);
        long hb = update(segment, frameB, 8, bigEndianWords, seedB);
        int a0 = first(ha);
        int a1 = second(ha);
        int b0 = first(hb);
        int b1 = second(hb);
        long start = frameA + WalFormat.FRAME_HEADER_SIZE;
        long end = start + pageSize;
        long d = frameB - frameA;
        if (bigEndianWords) {
            for (long p = start; p < end; p += 8) {
                int x0 = segment.get(ByteSource.INT_BE, p);
                int x1 = segment.get(ByteSource.INT_BE, p + 4);
                int y0 = segment.get(ByteSource.INT_BE, p + d);
                int y1 = segment.get(ByteSource.INT_BE, p + d + 4);
                a0 = (a0 + x0) + a1;
                a1 = (a1 + x1) + a0;
                b0 = (b0 + y0) + b1;
                b1 = (b1 + y1) + b0;
            }
        } else {
            for (long p = start; p < end; p += 8) {
                int x0 = segment.get(ByteSource.INT_LE, p);
                int x1 = segment.get(ByteSource.INT_LE, p + 4);
                int y0 = segment.get(ByteSource.INT_LE, p + d);
                int y1 = segment.get(ByteSource.INT_LE, p + d + 4);
                a0 = (a0 + x0) + a1;
                a1 = (a1 + x1) + a0;
                b0 = (b0 + y0) + b1;
                b1 = (b1 + y1) + b0;
            }
        }
        return (pack(a0, a1) == expectA ? 1 : 0) | (pack(b0, b1) == expectB ? 2 : 0);
    }
}
