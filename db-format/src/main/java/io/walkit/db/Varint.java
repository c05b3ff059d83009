package io.walkit.db;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * SQLite's variable-length integer (SQLite: {@code sqlite3GetVarint}): 1..9 bytes, big-endian
 * 7-bit groups with the high bit meaning "more follows"; a 9th byte contributes all 8 bits.
 *
 * <p>Reads take a {@code limit}: bytes at or beyond it read as zero (so a varint running off the
 * end of a damaged page terminates instead of faulting, as SQLite's padded page buffers do).
 * Offsets are bytes from the segment (or array) start. Not instantiable; stateless and thread-safe.
 */
public final class Varint {

    private Varint() {}

    /**
     * The value of the varint at {@code offset}.
     *
     * @param s      the segment to read
     * @param offset the varint's first byte
     * @param limit  the end of readable bytes (exclusive); bytes from there on read as zero
     * @return the value (a 9-byte varint may be negative)
     */
    public static long read(MemorySegment s, long offset, long limit) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int b = offset + i < limit ? s.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF : 0;
            v = (v << 7) | (b & 0x7F);
            if (b < 0x80) {
                return v;
            }
        }
        int b = offset + 8 < limit ? s.get(ValueLayout.JAVA_BYTE, offset + 8) & 0xFF : 0;
        return (v << 8) | b;
    }

    /**
     * The number of bytes (1..9) of the varint at {@code offset}.
     *
     * @param s      the segment to read
     * @param offset the varint's first byte
     * @param limit  the end of readable bytes (exclusive); the varint ends there at the latest
     * @return its size in bytes
     */
    public static int size(MemorySegment s, long offset, long limit) {
        for (int i = 0; i < 8; i++) {
            if (offset + i >= limit || (s.get(ValueLayout.JAVA_BYTE, offset + i) & 0x80) == 0) {
                return i + 1;
            }
        }
        return 9;
    }

    /**
     * The number of bytes needed to encode {@code v} (SQLite: {@code sqlite3VarintLen}).
     *
     * @param v the value (negative values take 9 bytes)
     * @return 1..9
     */
    public static int encodedSize(long v) {
        if ((v & ~0x7FL) == 0) {
            return 1;
        }
        if (v < 0 || (v >>> 56) != 0) {
            return 9;
        }
        int n = 0;
        do {
            n++;
            v >>>= 7;
        } while (v != 0);
        return n;
    }

    /**
     * Encodes {@code v} into {@code out} at {@code offset} (SQLite: {@code sqlite3PutVarint}).
     *
     * @param v      the value
     * @param out    the destination; {@link #encodedSize(long)} bytes from {@code offset} must fit
     * @param offset where the varint's first byte goes
     * @return the bytes written (1..9)
     */
    public static int write(long v, byte[] out, int offset) {
        if (v < 0 || (v >>> 56) != 0) {
            out[offset + 8] = (byte) v;
            v >>>= 8;
            for (int i = 7; i >= 0; i--) {
                out[offset + i] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            return 9;
        }
        int n = encodedSize(v);
        for (int i = n - 1; i >= 0; i--) {
            out[offset + i] = (byte) ((v & 0x7F) | (i == n - 1 ? 0 : 0x80));
            v >>>= 7;
        }
        return n;
    }
}
