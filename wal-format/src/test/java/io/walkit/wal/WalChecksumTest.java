package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.walkit.testkit.Seeds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link WalChecksum}'s reassociated and two-frame loops agree with a naive transcription of
 * SQLite's {@code walChecksumBytes} on random data, in both word orders, on heap arrays and on
 * unaligned native memory. Seeds: {@code -Dwalkit.checksum.seeds=1,2,3} overrides the fixed set.
 */
class WalChecksumTest {

    static LongStream seeds() {
        String prop = System.getProperty("walkit.checksum.seeds");
        if (prop != null) {
            return java.util.Arrays.stream(prop.split(",")).mapToLong(x -> Long.parseLong(x.trim()));
        }
        return LongStream.rangeClosed(1, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void updateMatchesNaiveReferenceInBothOrders(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int len = 8 * (rnd.nextBoolean() ? rnd.nextInt(0, 40) : rnd.nextInt(0, 9000));
        int off = rnd.nextInt(0, 16);
        byte[] data = new byte[off + len + 16];
        rnd.nextBytes(data);
        long start = rnd.nextLong();
        for (boolean be : new boolean[] {false, true}) {
            long expected = ChecksumReference.packed(data, off, len, be, start);
            long actual = WalChecksum.update(data, off, len, be, start);
            if (expected != actual) {
                // shrink: the shortest prefix of the input that still disagrees
                int shortest = len;
                for (int l = 0; l <= len; l += 8) {
                    if (ChecksumReference.packed(data, off, l, be, start) != WalChecksum.update(data, off, l, be, start)) {
                        shortest = l;
                        break;
                    }
                }
                throw new AssertionError("seed " + seed + " bigEndian=" + be + ": first disagreement after "
                        + shortest + " bytes at offset " + off + " (seed pair " + Long.toHexString(start)
                        + "); expected " + Long.toHexString(expected) + " got " + Long.toHexString(actual));
            }
            // the same bytes at an odd address in native memory (unaligned loads)
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment native_ = arena.allocate(len + 8 + 3, 8).asSlice(3);
                MemorySegment.copy(data, off, native_, ValueLayout.JAVA_BYTE, 0, len);
                assertEquals(expected, WalChecksum.update(native_, 0, len, be, start), "seed " + seed + " native");
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void framesMatchAgreesWithFrameChecksum(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int pageSize = 512 << rnd.nextInt(0, 8);
        int frameSize = WalFormat.frameSize(pageSize);
        int gap = 4 * rnd.nextInt(0, 8);
        byte[] data = new byte[2 * frameSize + gap + 16];
        rnd.nextBytes(data);
        int a = 4 * rnd.nextInt(0, 4);
        int b = a + frameSize + gap;
        int[] words = new int[data.length / 4];
        MemorySegment.copy(MemorySegment.ofArray(data), WalChecksum.WORD_LE, 0, words, 0, words.length);
        MemorySegment s = MemorySegment.ofArray(data);
        for (boolean be : new boolean[] {false, true}) {
            long seedA = rnd.nextLong();
            long seedB = rnd.nextLong();
            long sumA = ChecksumReference.packed(data, a + 24, pageSize, be, ChecksumReference.packed(data, a, 8, be, seedA));
            long sumB = ChecksumReference.packed(data, b + 24, pageSize, be, ChecksumReference.packed(data, b, 8, be, seedB));
            assertEquals(sumA, WalChecksum.frame(s, a, pageSize, be, seedA), "seed " + seed);
            assertEquals(sumB, WalChecksum.frame(s, b, pageSize, be, seedB), "seed " + seed);
            int wa = a / 4;
            int wb = b / 4;
            int pw = pageSize / 4;
            assertEquals(3, WalChecksum.framesMatch(words, wa, wb, pw, be, seedA, seedB, sumA, sumB), "seed " + seed);
            assertEquals(2, WalChecksum.framesMatch(words, wa, wb, pw, be, seedA, seedB, sumA ^ 1, sumB), "seed " + seed);
            assertEquals(1, WalChecksum.framesMatch(words, wa, wb, pw, be, seedA, seedB, sumA, sumB + (1L << 32)),
                    "seed " + seed);
            assertEquals(0, WalChecksum.framesMatch(words, wa, wb, pw, be, seedB, seedA, sumA, sumB), "seed " + seed);
            assertEquals(3, WalChecksum.framesMatch(s, a, b, pageSize, be, seedA, seedB, sumA, sumB), "seed " + seed);
            assertEquals(2, WalChecksum.framesMatch(s, a, b, pageSize, be, seedA, seedB, sumA ^ 1, sumB), "seed " + seed);
            assertEquals(1, WalChecksum.framesMatch(s, a, b, pageSize, be, seedA, seedB, sumA, sumB ^ 1), "seed " + seed);
            assertEquals(sumA, WalChecksum.updateWords(words, wa + 6, wa + 6 + pw, be,
                    WalChecksum.updateWords(words, wa, wa + 2, be, seedA)), "seed " + seed);
        }
    }
}
