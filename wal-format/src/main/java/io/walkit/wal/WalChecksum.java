package io.walkit.wal;

import io.walkit.io.ByteSource;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
 * byte-swapping) loads. Long inputs are bulk-copied into an {@code int[]} chunk first (see
 * {@link #update(MemorySegment, long, long, boolean, long)}).
 */
public final class WalChecksum {

    private WalChecksum() {}

    /**
     * Packs a checksum pair.
     *
     * @param s0 the first checksum word
     * @param s1 the second checksum word
     * @return both words in one {@code long}, {@code s0} in the high half
     */
    public static long pack(int s0, int s1) {
        return ((long) s0 << 32) | (s1 & 0xFFFF_FFFFL);
    }

    /**
     * {@return the first word of a packed pair}
     *
     * @param packed a pair made by {@link #pack}
     */
    public static int first(long packed) {
        return (int) (packed >>> 32);
    }

    /**
     * {@return the second word of a packed pair}
     *
     * @param packed a pair made by {@link #pack}
     */
    public static int second(long packed) {
        return (int) packed;
    }

    /**
     * Continues the checksum {@code seed} over {@code length} bytes at {@code offset}.
     *
     * @param bigEndianWords true when the WAL magic is {@link WalFormat#MAGIC_BE}
     * @param segment the bytes
     * @param offset the first byte, from the start of {@code segment}
     * @param length the number of bytes, a multiple of 8
     * @param seed the packed checksum to continue from; 0 to start
     * @return the packed checksum after these bytes
     */
    public static long update(MemorySegment segment, long offset, long length, boolean bigEndianWords, long seed) {
        assert (length & 7) == 0 : "checksum input must be a multiple of 8 bytes: " + length;
        if (length <= SHORT_INPUT) {
            return updateDirect(segment, offset, length, bigEndianWords, seed);
        }
        // Bulk-copy chunks into an int[] and run the loop over the array: the same speed as direct
        // segment access once C2 has compiled it, and many times faster before that and under C1
        // only (as in a short-lived CLI process), where each MemorySegment access is a call chain.
        int[] words = new int[(int) Math.min(length, CHUNK_BYTES) >> 2];
        long s = seed;
        for (long p = offset, end = offset + length; p < end; ) {
            int n = (int) Math.min(end - p, CHUNK_BYTES) >> 2;
            MemorySegment.copy(segment, WORD_LE, p, words, 0, n);
            s = updateWords(words, 0, n, bigEndianWords, s);
            p += (long) n << 2;
        }
        return s;
    }

    private static final int SHORT_INPUT = 64;
    private static final int CHUNK_BYTES = 16384;
    /** Words are copied little-endian; big-endian WAL words are byte-swapped in the loop. */
    static final ValueLayout.OfInt WORD_LE = ByteSource.INT_LE;

    private static long updateDirect(MemorySegment segment, long offset, long length, boolean bigEndianWords, long seed) {
        int s0 = first(seed);
        int s1 = second(seed);
        long end = offset + length;
        // Two loops with constant layouts: a layout chosen at run time would not be constant-folded.
        if (bigEndianWords) {
            for (long p = offset; p < end; p += 8) {
                s0 = (s0 + segment.get(ByteSource.INT_BE, p)) + s1;
                s1 = (s1 + segment.get(ByteSource.INT_BE, p + 4)) + s0;
            }
        } else {
            for (long p = offset; p < end; p += 8) {
                s0 = (s0 + segment.get(ByteSource.INT_LE, p)) + s1;
                s1 = (s1 + segment.get(ByteSource.INT_LE, p + 4)) + s0;
            }
        }
        return pack(s0, s1);
    }

    /**
     * Continues {@code seed} over {@code words[from, to)} (an even count), which hold the bytes read
     * little-endian ({@link #WORD_LE}); for a big-endian WAL each word is byte-swapped first.
     */
    static long updateWords(int[] words, int from, int to, boolean bigEndianWords, long seed) {
        int s0 = first(seed);
        int s1 = second(seed);
        if (bigEndianWords) {
            for (int i = from; i < to; i += 2) {
                s0 = (s0 + Integer.reverseBytes(words[i])) + s1;
                s1 = (s1 + Integer.reverseBytes(words[i + 1])) + s0;
            }
        } else {
            for (int i = from; i < to; i += 2) {
                s0 = (s0 + words[i]) + s1;
                s1 = (s1 + words[i + 1]) + s0;
            }
        }
        return pack(s0, s1);
    }

    /**
     * {@return the checksum of {@code bytes[offset, offset+length)} continuing {@code seed}}
     *
     * @param bytes the bytes
     * @param offset the first byte
     * @param length the number of bytes, a multiple of 8
     * @param bigEndianWords true when the WAL magic is {@link WalFormat#MAGIC_BE}
     * @param seed the packed checksum to continue from; 0 to start
     */
    public static long update(byte[] bytes, int offset, int length, boolean bigEndianWords, long seed) {
        return update(MemorySegment.ofArray(bytes), offset, length, bigEndianWords, seed);
    }

    /**
     * The cumulative checksum of the frame at {@code frameOffset}: its header bytes 0..7, then its
     * page image, continuing {@code seed} (the previous frame's checksum, or the header checksum for
     * frame 1).
     *
     * @param segment the WAL bytes
     * @param frameOffset the offset of the frame's header
     * @param pageSize the WAL's page size
     * @param bigEndianWords true when the WAL magic is {@link WalFormat#MAGIC_BE}
     * @param seed the packed checksum to continue from
     * @return the packed checksum the frame's header must hold
     */
    public static long frame(MemorySegment segment, long frameOffset, int pageSize, boolean bigEndianWords, long seed) {
        long s = update(segment, frameOffset, 8, bigEndianWords, seed);
        return update(segment, frameOffset + WalFormat.FRAME_HEADER_SIZE, pageSize, bigEndianWords, s);
    }

    /**
     * {@return the checksum of WAL header bytes 0..23 (seed 0,0)}
     *
     * @param segment the WAL bytes
     * @param headerOffset the offset of the WAL header, usually 0
     * @param bigEndianWords true when the WAL magic is {@link WalFormat#MAGIC_BE}
     */
    public static long header(MemorySegment segment, long headerOffset, boolean bigEndianWords) {
        return update(segment, headerOffset, 24, bigEndianWords, 0L);
    }

    /**
     * As {@link #framesMatch(int[], int, int, int, boolean, long, long, long, long)}, reading the frames
     * at byte offsets {@code frameA} and {@code frameB} of {@code segment} directly: the fastest form
     * once C2 has compiled it.
     *
     * @return bit 0 set when frame A matches, bit 1 set when frame B matches
     */
    static int framesMatch(MemorySegment segment, long frameA, long frameB, int pageSize, boolean bigEndianWords,
                           long seedA, long seedB, long expectA, long expectB) {
        long ha = updateDirect(segment, frameA, 8, bigEndianWords, seedA);
        long hb = updateDirect(segment, frameB, 8, bigEndianWords, seedB);
        int a0 = first(ha);
        int a1 = second(ha);
        int b0 = first(hb);
        int b1 = second(hb);
        long start = frameA + WalFormat.FRAME_HEADER_SIZE;
        long end = start + pageSize;
        long d = frameB - frameA;
        if (bigEndianWords) {
            for (long p = start; p < end; p += 8) {
                a0 = (a0 + segment.get(ByteSource.INT_BE, p)) + a1;
                a1 = (a1 + segment.get(ByteSource.INT_BE, p + 4)) + a0;
                b0 = (b0 + segment.get(ByteSource.INT_BE, p + d)) + b1;
                b1 = (b1 + segment.get(ByteSource.INT_BE, p + d + 4)) + b0;
            }
        } else {
            for (long p = start; p < end; p += 8) {
                a0 = (a0 + segment.get(ByteSource.INT_LE, p)) + a1;
                a1 = (a1 + segment.get(ByteSource.INT_LE, p + 4)) + a0;
                b0 = (b0 + segment.get(ByteSource.INT_LE, p + d)) + b1;
                b1 = (b1 + segment.get(ByteSource.INT_LE, p + d + 4)) + b0;
            }
        }
        return (pack(a0, a1) == expectA ? 1 : 0) | (pack(b0, b1) == expectB ? 2 : 0);
    }

    /**
     * Checks two frames at once: whether {@link #frame} of frame A seeded with {@code seedA} equals
     * {@code expectA}, and likewise for B. The frames are in {@code words} as copied with
     * {@link #WORD_LE}, starting at word {@code a} and {@code b}, each {@code pageWords} words of page
     * image after the 6-word header. The two checksum chains are independent, so the CPU runs them
     * side by side; this is what lets the scanner verify at memory speed on one core.
     *
     * @return bit 0 set when frame A matches, bit 1 set when frame B matches
     */
    static int framesMatch(int[] words, int a, int b, int pageWords, boolean bigEndianWords,
                           long seedA, long seedB, long expectA, long expectB) {
        long ha = updateWords(words, a, a + 2, bigEndianWords, seedA);
        long hb = updateWords(words, b, b + 2, bigEndianWords, seedB);
        int a0 = first(ha);
        int a1 = second(ha);
        int b0 = first(hb);
        int b1 = second(hb);
        int pa = a + 6;
        int d = b - a;
        int end = pa + pageWords;
        if (end > words.length || end + d > words.length || d < 0) {
            throw new IndexOutOfBoundsException("frames at words " + a + ", " + b + " of " + words.length);
        }
        if (bigEndianWords) {
            for (int i = pa; i < end; i += 2) {
                a0 = (a0 + Integer.reverseBytes(words[i])) + a1;
                a1 = (a1 + Integer.reverseBytes(words[i + 1])) + a0;
                b0 = (b0 + Integer.reverseBytes(words[i + d])) + b1;
                b1 = (b1 + Integer.reverseBytes(words[i + d + 1])) + b0;
            }
        } else {
            for (int i = pa; i < end; i += 2) {
                a0 = (a0 + words[i]) + a1;
                a1 = (a1 + words[i + 1]) + a0;
                b0 = (b0 + words[i + d]) + b1;
                b1 = (b1 + words[i + d + 1]) + b0;
            }
        }
        return (pack(a0, a1) == expectA ? 1 : 0) | (pack(b0, b1) == expectB ? 2 : 0);
    }
}
