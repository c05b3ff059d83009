package io.walkit.replica;

/**
 * LTX's database checksum (superfly/ltx {@code checksum.go}): a page's checksum is
 * {@code CRC-64/ISO(pgno as u32 big-endian ‖ page bytes) | bit 63}; a database's is the XOR of
 * all its pages' checksums except the lock-byte page, with bit 63 set after each fold (so an empty
 * database is {@code 0x8000000000000000}). Being an XOR, it updates incrementally:
 * {@code db ^= old ^ new} per changed page (the pre/post-apply rule: file N's post-apply checksum
 * equals file N+1's pre-apply checksum). Stateless; thread-safe.
 */
public final class LtxChecksum {

    private LtxChecksum() {}

    /**
     * The checksum of one page (bit 63 set).
     *
     * @param pageNumber the page number
     * @param data the data
     * @return the checksum of one page (bit 63 set)
     */
    public static long page(int pageNumber, byte[] data) {
        byte[] p = {(byte) (pageNumber >>> 24), (byte) (pageNumber >>> 16), (byte) (pageNumber >>> 8), (byte) pageNumber};
        long c = Crc64.update(0, p, 0, 4);
        c = Crc64.update(c, data, 0, data.length);
        return LtxHeader.CHECKSUM_FLAG | c;
    }

    /**
     * Folds a page checksum into (or out of) a database checksum.
     *
     * @param database the database
     * @param page the page
     * @return folds a page checksum into (or out of) a database checksum
     */
    public static long fold(long database, long page) {
        return LtxHeader.CHECKSUM_FLAG | (database ^ page);
    }
}
