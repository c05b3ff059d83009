package io.walkit.db;

import io.walkit.io.ByteSource;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * One page record of a rollback journal (SQLite: written by {@code pager_write}/{@code
 * pagerAddPageToRollbackJournal}, read by {@code pager_playback_one_page}): the original image of
 * a page the transaction changed. Big-endian. With page size P:
 *
 * <pre>
 * offset | size | field      | meaning
 * -------+------+------------+---------------------------------------------------------------
 *    0   |   4  | pageNumber | 1-based; 0 or the lock-byte page ends playback
 *    4   |   P  | image      | the page as it was before the transaction
 *  4+P   |   4  | checksum   | cksumInit + image[P−200] + image[P−400] + … (index &gt; 0)
 * </pre>
 *
 * <p>The checksum (SQLite: {@code pager_cksum}) is deliberately sparse: it catches a record whose
 * tail was never written (a torn append), not damage. Immutable; thread-safe.
 *
 * @param offset     byte offset of the record in the journal
 * @param pageNumber the page number field, unsigned
 * @param checksum   the stored checksum, unsigned
 * @param expected   the checksum the image and the segment's {@code cksumInit} give, unsigned
 */
public record JournalRecord(long offset, long pageNumber, long checksum, long expected) {

    /** Bytes of a record around the image: page number and checksum. */
    public static final int OVERHEAD = 8;

    /**
     * Record size for {@code pageSize} (SQLite: {@code JOURNAL_PG_SZ}).
     *
     * @param pageSize the page size in bytes
     * @return the record's size in bytes
     */
    public static long size(long pageSize) {
        return pageSize + OVERHEAD;
    }

    /** {@return whether the stored checksum matches} */
    public boolean checksumOk() {
        return checksum == expected;
    }

    /** {@return byte offset of the page image} */
    public long imageOffset() {
        return offset + 4;
    }

    /**
     * Decodes the record at {@code offset} of a segment with {@code cksumInit}.
     *
     * @param journal   the journal's bytes
     * @param offset    the record's byte offset in the journal
     * @param pageSize  the page size in bytes (from the first header)
     * @param cksumInit the segment header's checksum nonce
     * @return the decoded record, with its expected checksum computed
     * @throws IndexOutOfBoundsException if the record does not fit in the journal (callers check)
     */
    public static JournalRecord read(ByteSource journal, long offset, int pageSize, long cksumInit) {
        long pgno = journal.u32(offset);
        long stored = journal.u32(offset + 4 + pageSize);
        return new JournalRecord(offset, pgno, stored, checksum(journal.slice(offset + 4, pageSize), pageSize, cksumInit));
    }

    /**
     * SQLite's {@code pager_cksum} of a page image: cksumInit plus the bytes at P−200, P−400, … (&gt; 0).
     *
     * @param image     the page image (at least {@code pageSize} bytes)
     * @param pageSize  the page size P in bytes
     * @param cksumInit the segment header's checksum nonce
     * @return the checksum, as an unsigned 32-bit value
     */
    public static long checksum(MemorySegment image, int pageSize, long cksumInit) {
        int sum = (int) cksumInit;
        for (int i = pageSize - 200; i > 0; i -= 200) {
            sum += image.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
        }
        return Integer.toUnsignedLong(sum);
    }

    /**
     * Encodes a record for page {@code pageNumber} with {@code image} in a segment with {@code cksumInit}.
     *
     * @param pageNumber the 1-based page number
     * @param image      the page's original image (its length is the page size)
     * @param cksumInit  the segment header's checksum nonce
     * @return the record's bytes ({@link #size(long)} of them)
     */
    public static byte[] encode(long pageNumber, byte[] image, long cksumInit) {
        byte[] out = new byte[image.length + OVERHEAD];
        ByteBuffer.wrap(out).putInt((int) pageNumber).put(image)
                .putInt((int) checksum(MemorySegment.ofArray(image), image.length, cksumInit));
        return out;
    }
}
