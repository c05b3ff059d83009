package io.walkit.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A deliberately naive transcription of SQLite's {@code walChecksumBytes}, in unsigned 64-bit
 * arithmetic masked to 32 bits, independent of {@link WalChecksum}'s optimised loops.
 */
final class ChecksumReference {

    private ChecksumReference() {}

    /** Returns {s0, s1} as unsigned values after continuing (s0, s1) over bytes[off, off+len). */
    static long[] checksum(byte[] bytes, int off, int len, boolean bigEndian, long s0, long s1) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = off; i < off + len; i += 8) {
            long x0 = b.getInt(i) & 0xFFFF_FFFFL;
            long x1 = b.getInt(i + 4) & 0xFFFF_FFFFL;
            s0 = (s0 + x0 + s1) & 0xFFFF_FFFFL;
            s1 = (s1 + x1 + s0) & 0xFFFF_FFFFL;
        }
        return new long[] {s0, s1};
    }

    /** The same, packed like {@link WalChecksum} (s0 high, s1 low). */
    static long packed(byte[] bytes, int off, int len, boolean bigEndian, long seed) {
        long[] r = checksum(bytes, off, len, bigEndian, seed >>> 32, seed & 0xFFFF_FFFFL);
        return (r[0] << 32) | r[1];
    }
}
