package io.walkit.replica;

import io.walkit.io.CorruptFileException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A bounds-checked LZ4 <em>block</em> decoder and a streaming xxHash32, written for the restore hot
 * path: literals and non-overlapping matches are bulk copies ({@code System.arraycopy}), and every
 * length and offset read from the input is checked against the input and output bounds before it
 * is used, so malformed input is a {@link CorruptFileException}, never an out-of-bounds access.
 * Pure Java, no {@code Unsafe}. Stateless (the decoder) / not thread-safe ({@link XxHash32}).
 */
final class Lz4Block {

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Lz4Block() {}

    /**
     * Decodes the LZ4 block {@code src[sp .. sp + len)} into {@code dst} from {@code dp}, producing at
     * most {@code max} bytes, and returns the number of bytes produced. Matches may refer only to
     * bytes this block produced (independent blocks).
     */
    static int decode(byte[] src, int sp, int len, byte[] dst, int dp, int max, String name, long fileOffset)
            throws CorruptFileException {
        final int srcEnd = sp + len;
        final int dstStart = dp;
        final int dstEnd = dp + max;
        final int blockStart = sp;
        while (true) {
            if (sp >= srcEnd) {
                throw bad(name, fileOffset + (sp - blockStart), "token", "a sequence", "end of block");
            }
            int token = src[sp++] & 0xFF;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (sp >= srcEnd) {
                        throw bad(name, fileOffset + (sp - blockStart), "literal length", "a length byte", "end of block");
                    }
                    b = src[sp++] & 0xFF;
                    lit += b;
                } while (b == 255 && lit < (1 << 30));
            }
            if (lit > srcEnd - sp || lit > dstEnd - dp) {
                throw bad(name, fileOffset + (sp - blockStart), "literal length",
                        "at most " + Math.min(srcEnd - sp, dstEnd - dp), Integer.toString(lit));
            }
            System.arraycopy(src, sp, dst, dp, lit);
            sp += lit;
            dp += lit;
            if (sp == srcEnd) {
                return dp - dstStart; // the last sequence has literals only
            }
            if (srcEnd - sp < 2) {
                throw bad(name, fileOffset + (sp - blockStart), "match offset", "2 bytes", "end of block");
            }
            int off = (src[sp] & 0xFF) | (src[sp + 1] & 0xFF) << 8;
            sp += 2;
            if (off == 0 || off > dp - dstStart) {
                throw bad(name, fileOffset + (sp - 2 - blockStart), "match offset", "1.." + (dp - dstStart),
                        Integer.toString(off));
            }
            int mlen = token & 15;
            if (mlen == 15) {
                int b;
                do {
                    if (sp >= srcEnd) {
                        throw bad(name, fileOffset + (sp - blockStart), "match length", "a length byte", "end of block");
                    }
                    b = src[sp++] & 0xFF;
                    mlen += b;
                } while (b == 255 && mlen < (1 << 30));
            }
            mlen += 4;
            if (mlen > dstEnd - dp) {
                throw bad(name, fileOffset + (sp - blockStart), "match length", "at most " + (dstEnd - dp), Integer.toString(mlen));
            }
            int from = dp - off;
            if (off >= mlen) {
                System.arraycopy(dst, from, dst, dp, mlen);
                dp += mlen;
            } else if (off == 1) {
                java.util.Arrays.fill(dst, dp, dp + mlen, dst[from]);
                dp += mlen;
            } else {
                // Overlapping match: copy in runs of `off` bytes (each run repeats the pattern).
                int end = dp + mlen;
                while (dp < end) {
                    int n = Math.min(off, end - dp);
                    System.arraycopy(dst, from, dst, dp, n);
                    dp += n;
                    off += n; // the pattern doubles as the copied region grows
                    from = dp - off;
                }
            }
        }
    }

    private static CorruptFileException bad(String name, long offset, String field, String expected, String found) {
        return new CorruptFileException(name, offset, "LZ4 block", field, expected, found);
    }

    /** Little-endian int at {@code p}. */
    static int intLE(byte[] b, int p) {
        return (int) INT_LE.get(b, p);
    }

    /** Streaming xxHash32 (seed 0 or any), as the LZ4 frame's content checksum. Not thread-safe. */
    static final class XxHash32 {
        private static final int P1 = 0x9E3779B1;
        private static final int P2 = 0x85EBCA77;
        private static final int P3 = 0xC2B2AE3D;
        private static final int P4 = 0x27D4EB2F;
        private static final int P5 = 0x165667B1;
        private final int seed;
        private int v1;
        private int v2;
        private int v3;
        private int v4;
        private long total;
        private final byte[] carry = new byte[16];
        private int carried;

        XxHash32(int seed) {
            this.seed = seed;
            v1 = seed + P1 + P2;
            v2 = seed + P2;
            v3 = seed;
            v4 = seed - P1;
        }

        void update(byte[] b, int off, int len) {
            total += len;
            if (carried > 0) {
                int n = Math.min(16 - carried, len);
                System.arraycopy(b, off, carry, carried, n);
                carried += n;
                off += n;
                len -= n;
                if (carried < 16) {
                    return;
                }
                stripe(carry, 0);
                carried = 0;
            }
            int end = off + len - 16;
            int a = v1;
            int c = v2;
            int d = v3;
            int e = v4;
            while (off <= end) {
                a = Integer.rotateLeft(a + intLE(b, off) * P2, 13) * P1;
                c = Integer.rotateLeft(c + intLE(b, off + 4) * P2, 13) * P1;
                d = Integer.rotateLeft(d + intLE(b, off + 8) * P2, 13) * P1;
                e = Integer.rotateLeft(e + intLE(b, off + 12) * P2, 13) * P1;
                off += 16;
            }
            v1 = a;
            v2 = c;
            v3 = d;
            v4 = e;
            int rest = end + 16 - off;
            System.arraycopy(b, off, carry, 0, rest);
            carried = rest;
        }

        private void stripe(byte[] b, int off) {
            v1 = Integer.rotateLeft(v1 + intLE(b, off) * P2, 13) * P1;
            v2 = Integer.rotateLeft(v2 + intLE(b, off + 4) * P2, 13) * P1;
            v3 = Integer.rotateLeft(v3 + intLE(b, off + 8) * P2, 13) * P1;
            v4 = Integer.rotateLeft(v4 + intLE(b, off + 12) * P2, 13) * P1;
        }

        int digest() {
            int h;
            if (total >= 16) {
                h = Integer.rotateLeft(v1, 1) + Integer.rotateLeft(v2, 7) + Integer.rotateLeft(v3, 12) + Integer.rotateLeft(v4, 18);
            } else {
                h = seed + P5;
            }
            h += (int) total;
            int p = 0;
            while (p + 4 <= carried) {
                h = Integer.rotateLeft(h + intLE(carry, p) * P3, 17) * P4;
                p += 4;
            }
            while (p < carried) {
                h = Integer.rotateLeft(h + (carry[p] & 0xFF) * P5, 11) * P1;
                p++;
            }
            h ^= h >>> 15;
            h *= P2;
            h ^= h >>> 13;
            h *= P3;
            h ^= h >>> 16;
            return h;
        }
    }
}
