package io.walkit.replica;

/**
 * CRC-64/ISO as Go's {@code hash/crc64} computes it with {@code crc64.MakeTable(crc64.ISO)}: the
 * reflected polynomial {@code 0xD800000000000000}, initial value all ones, final XOR all ones
 * (catalogued as CRC-64/GO-ISO; check value for {@code "123456789"} is {@code 0xb90956c775a41001}).
 * LTX uses it for page checksums, the database checksum and the file checksum; Litestream v0.3 used
 * it for its validation checksum.
 *
 * <p>Usage: {@code long crc = Crc64.update(0, bytes, 0, n)} then continue with the previous result
 * ({@code update(crc, more, ...)}), exactly like Go's {@code crc64.Update}. Stateless and
 * thread-safe.
 */
public final class Crc64 {

    /** The reflected ISO polynomial. */
    public static final long POLY_ISO = 0xD800000000000000L;

    /** Slicing-by-8 tables: {@code TABLE[0]} is the classic byte table. */
    private static final long[][] TABLE = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_ISO : crc >>> 1;
            }
            TABLE[0][i] = crc;
        }
        for (int i = 0; i < 256; i++) {
            long crc = TABLE[0][i];
            for (int t = 1; t < 8; t++) {
                crc = TABLE[0][(int) (crc & 0xFF)] ^ (crc >>> 8);
                TABLE[t][i] = crc;
            }
        }
    }

    private Crc64() {}

    /**
     * Continues the checksum {@code crc} (0 to start) over {@code length} bytes of {@code bytes} at
     * {@code offset}, as Go's {@code crc64.Update(crc, table, p)}.
     * @param crc the crc
     * @param bytes the bytes
     * @param offset the offset
     * @param length the length
     * @return continues the checksum {@code crc} (0 to start) over {@code length} bytes of {@code bytes} at {@code offset}, as Go's {@code crc64.Update(crc, table, p)}
     */
    public static long update(long crc, byte[] bytes, int offset, int length) {
        long c = ~crc;
        int p = offset;
        int end = offset + length;
        long[] t0 = TABLE[0];
        long[] t1 = TABLE[1];
        long[] t2 = TABLE[2];
        long[] t3 = TABLE[3];
        long[] t4 = TABLE[4];
        long[] t5 = TABLE[5];
        long[] t6 = TABLE[6];
        long[] t7 = TABLE[7];
        while (end - p >= 8) {
            c ^= (bytes[p] & 0xFFL) | (bytes[p + 1] & 0xFFL) << 8 | (bytes[p + 2] & 0xFFL) << 16
                    | (bytes[p + 3] & 0xFFL) << 24 | (bytes[p + 4] & 0xFFL) << 32 | (bytes[p + 5] & 0xFFL) << 40
                    | (bytes[p + 6] & 0xFFL) << 48 | (bytes[p + 7] & 0xFFL) << 56;
            c = t7[(int) (c & 0xFF)] ^ t6[(int) (c >>> 8 & 0xFF)] ^ t5[(int) (c >>> 16 & 0xFF)]
                    ^ t4[(int) (c >>> 24 & 0xFF)] ^ t3[(int) (c >>> 32 & 0xFF)] ^ t2[(int) (c >>> 40 & 0xFF)]
                    ^ t1[(int) (c >>> 48 & 0xFF)] ^ t0[(int) (c >>> 56)];
            p += 8;
        }
        while (p < end) {
            c = t0[(int) ((c ^ bytes[p++]) & 0xFF)] ^ (c >>> 8);
        }
        return ~c;
    }

    /**
     * The checksum of {@code bytes} from scratch.
     *
     * @param bytes the bytes
     * @return the checksum of {@code bytes} from scratch
     */
    public static long of(byte[] bytes) {
        return update(0, bytes, 0, bytes.length);
    }
}
