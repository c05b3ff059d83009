package io.walkit.db;

import io.walkit.io.ByteSource;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A rollback-journal header (SQLite: written by {@code writeJournalHdr}, read by
 * {@code readJournalHdr} in {@code pager.c}). The first header sits at offset 0; a transaction
 * that syncs the journal more than once starts a new header at the next multiple of the first
 * header's sector size. Big-endian.
 *
 * <pre>
 * offset | size | field       | meaning
 * -------+------+-------------+------------------------------------------------------------------
 *    0   |   8  | magic       | d9 d5 05 f9 20 a1 63 d7 (SQLite: aJournalMagic)
 *    8   |   4  | nRec        | page records in this segment; 0xffffffff = count from the file
 *        |      |             | size (journal written without sync); 0 = not yet synced
 *   12   |   4  | cksumInit   | random nonce added into every record checksum of the segment
 *   16   |   4  | dbOrigSize  | database size in pages before the transaction (SQLite: mxPg)
 *   20   |   4  | sectorSize  | the writer's sector size; a header fills one sector
 *   24   |   4  | pageSize    | database page size (0 from SQLite before 3.5.8)
 *   28   |  ..  | unused      | up to the end of the sector
 * </pre>
 *
 * <p>Only the first header's {@code sectorSize} and {@code pageSize} are used by playback; later
 * headers repeat them but SQLite does not read them. {@link #read} decodes any bytes;
 * {@link #hasMagic()} and {@link #sizesValid(int)} apply SQLite's rules. Immutable; thread-safe.
 *
 * @param offset     byte offset of the header in the journal
 * @param magic      the 8 magic bytes as found
 * @param nRec       the record count field, unsigned
 * @param cksumInit  the checksum nonce, as an unsigned 32-bit value
 * @param dbOrigSize the database size in pages before the transaction, unsigned
 * @param sectorSize the sector size field, unsigned
 * @param pageSize   the page size field, unsigned
 */
public record JournalHeader(long offset, byte[] magic, long nRec, long cksumInit, long dbOrigSize, long sectorSize,
                            long pageSize) {

    /** The journal magic (SQLite: {@code aJournalMagic}). */
    public static final byte[] MAGIC = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63, (byte) 0xd7};
    /** Bytes of the fields (the rest of the sector is unused). */
    public static final int SIZE = 28;
    /** {@code nRec} meaning "count the records from the file size" (journal written without sync). */
    public static final long NREC_UNKNOWN = 0xFFFF_FFFFL;
    /** Largest sector size SQLite accepts (SQLite: {@code MAX_SECTOR_SIZE}). */
    public static final int MAX_SECTOR_SIZE = 0x10000;
    /** Offset of the {@code nRec} field. */
    public static final int OFF_NREC = 8;
    /** Offset of the {@code cksumInit} field. */
    public static final int OFF_CKSUM_INIT = 12;
    /** Offset of the {@code dbOrigSize} field. */
    public static final int OFF_DB_ORIG_SIZE = 16;
    /** Offset of the {@code sectorSize} field. */
    public static final int OFF_SECTOR_SIZE = 20;
    /** Offset of the {@code pageSize} field. */
    public static final int OFF_PAGE_SIZE = 24;

    /** Defensive copy of the magic. */
    public JournalHeader {
        magic = magic.clone();
    }

    /**
     * Decodes the header at {@code offset}.
     *
     * @param journal the journal's bytes
     * @param offset  the header's byte offset (0, or a multiple of the first header's sector size)
     * @return the decoded fields, unchecked (see {@link #hasMagic()}, {@link #sizesValid(int)})
     * @throws IndexOutOfBoundsException if fewer than {@link #SIZE} bytes follow {@code offset}
     *                                   (callers check the file size first)
     */
    public static JournalHeader read(ByteSource journal, long offset) {
        return new JournalHeader(offset, journal.bytes(offset, MAGIC.length), journal.u32(offset + OFF_NREC),
                journal.u32(offset + OFF_CKSUM_INIT), journal.u32(offset + OFF_DB_ORIG_SIZE),
                journal.u32(offset + OFF_SECTOR_SIZE), journal.u32(offset + OFF_PAGE_SIZE));
    }

    /**
     * Encodes a header into {@code dst} at {@code at}: the magic and the five fields (the rest of
     * the sector is left as it is; SQLite leaves it zero).
     *
     * @param dst        the destination; {@link #SIZE} bytes from {@code at} must fit
     * @param at         the byte offset in {@code dst}
     * @param nRec       the record count ({@link #NREC_UNKNOWN} for "count from the file size")
     * @param cksumInit  the checksum nonce (low 32 bits written)
     * @param dbOrigSize the database size in pages before the transaction
     * @param sectorSize the sector size in bytes
     * @param pageSize   the page size in bytes
     */
    public static void encode(byte[] dst, int at, long nRec, long cksumInit, long dbOrigSize, long sectorSize,
                              long pageSize) {
        ByteBuffer b = ByteBuffer.wrap(dst, at, SIZE);
        b.put(MAGIC).putInt((int) nRec).putInt((int) cksumInit).putInt((int) dbOrigSize).putInt((int) sectorSize)
                .putInt((int) pageSize);
    }

    /** {@return whether the magic matches (a mismatch ends playback: SQLITE_DONE, not an error)} */
    public boolean hasMagic() {
        return Arrays.equals(magic, MAGIC);
    }

    /**
     * Whether {@code pageSize} (after substituting {@code fallbackPageSize} for 0, as SQLite does
     * for journals from before 3.5.8) and {@code sectorSize} are powers of two in 512..65536 and
     * 32..65536; otherwise the header was never synced and playback ends.
     *
     * @param fallbackPageSize the page size to assume when the field is 0 (the database's)
     * @return whether both sizes are valid
     */
    public boolean sizesValid(int fallbackPageSize) {
        long ps = effectivePageSize(fallbackPageSize);
        return DbFormat.isValidPageSize(ps) && sectorSize >= 32 && sectorSize <= MAX_SECTOR_SIZE
                && Long.bitCount(sectorSize) == 1;
    }

    /**
     * {@link #pageSize()}, or {@code fallbackPageSize} when the field is 0 (SQLite before 3.5.8).
     *
     * @param fallbackPageSize the page size to assume when the field is 0
     * @return the page size in bytes playback uses
     */
    public long effectivePageSize(int fallbackPageSize) {
        return pageSize == 0 ? fallbackPageSize : pageSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalHeader h && offset == h.offset && Arrays.equals(magic, h.magic) && nRec == h.nRec
                && cksumInit == h.cksumInit && dbOrigSize == h.dbOrigSize && sectorSize == h.sectorSize
                && pageSize == h.pageSize;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(magic) + Long.hashCode(cksumInit);
    }

    @Override
    public String toString() {
        return "JournalHeader[offset=" + offset + ", magic=" + (hasMagic() ? "ok" : java.util.HexFormat.of().formatHex(magic))
                + ", nRec=" + nRec + ", cksumInit=0x" + Long.toHexString(cksumInit) + ", dbOrigSize=" + dbOrigSize
                + ", sectorSize=" + sectorSize + ", pageSize=" + pageSize + "]";
    }
}
