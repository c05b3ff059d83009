package io.walkit.testkit;

import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Test helper that damages file images the ways real files get damaged: a flipped byte, a cut
 * tail, rewritten fields, spliced files. Every method returns a new array and leaves its input
 * alone. Exported through wal-format's test-jar.
 */
public final class Corrupt {

    private Corrupt() {}

    /** XORs the byte at {@code offset} with {@code mask} (non-zero). */
    public static byte[] xor(byte[] bytes, long offset, int mask) {
        if ((mask & 0xFF) == 0) {
            throw new IllegalArgumentException("mask must change the byte");
        }
        byte[] out = bytes.clone();
        out[(int) offset] ^= (byte) mask;
        return out;
    }

    /** Inverts every bit of the byte at {@code offset}. */
    public static byte[] flip(byte[] bytes, long offset) {
        return xor(bytes, offset, 0xFF);
    }

    /** The first {@code length} bytes. */
    public static byte[] truncate(byte[] bytes, long length) {
        return Arrays.copyOf(bytes, (int) length);
    }

    /** Writes a big-endian u32 at {@code offset}. */
    public static byte[] putIntBE(byte[] bytes, long offset, int value) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN).putInt((int) offset, value);
        return out;
    }

    /** Writes a u32 at {@code offset} in {@code order}. */
    public static byte[] putInt(byte[] bytes, long offset, int value, ByteOrder order) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).order(order).putInt((int) offset, value);
        return out;
    }

    /** {@code a[0, cutA)} followed by {@code b[fromB, b.length)}. */
    public static byte[] splice(byte[] a, int cutA, byte[] b, int fromB) {
        byte[] out = Arrays.copyOf(a, cutA + (b.length - fromB));
        System.arraycopy(b, fromB, out, cutA, b.length - fromB);
        return out;
    }

    /** Rewrites the salts of WAL frame {@code frame} (1-based). */
    public static byte[] frameSalts(byte[] wal, int pageSize, int frame, int salt1, int salt2) {
        long off = WalFormat.frameOffset(frame, pageSize);
        byte[] out = putIntBE(wal, off + WalFormat.FRAME_OFF_SALT1, salt1);
        return putIntBE(out, off + WalFormat.FRAME_OFF_SALT2, salt2);
    }

    /**
     * Zeroes bytes 8..23 (salts and checksum) of frames {@code from..to}, as SQLite leaves frames
     * written while an in-place overwrite was pending when the transaction crashes.
     */
    public static byte[] zeroSaltsAndChecksums(byte[] wal, int pageSize, int from, int to) {
        byte[] out = wal.clone();
        for (int f = from; f <= to; f++) {
            int off = (int) WalFormat.frameOffset(f, pageSize);
            Arrays.fill(out, off + WalFormat.FRAME_OFF_SALT1, off + WalFormat.FRAME_HEADER_SIZE, (byte) 0);
        }
        return out;
    }

    /** Rewrites a WAL header field (big-endian u32 at {@code fieldOffset}) and fixes the header checksum. */
    public static byte[] headerField(byte[] wal, int fieldOffset, int value) {
        byte[] out = putIntBE(wal, fieldOffset, value);
        return fixHeaderChecksum(out);
    }

    /** Recomputes the WAL header checksum in the order the (possibly edited) magic selects. */
    public static byte[] fixHeaderChecksum(byte[] wal) {
        WalHeader h = WalHeader.read(java.lang.foreign.MemorySegment.ofArray(wal), 0);
        long sum = h.computeChecksum();
        byte[] out = putIntBE(wal, WalFormat.OFF_CHECKSUM1, WalChecksum.first(sum));
        return putIntBE(out, WalFormat.OFF_CHECKSUM2, WalChecksum.second(sum));
    }
}
