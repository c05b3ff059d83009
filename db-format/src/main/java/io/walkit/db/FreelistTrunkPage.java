package io.walkit.db;

import io.walkit.io.ByteSource;
import java.lang.foreign.MemorySegment;

/**
 * A freelist trunk page (SQLite: {@code freelist trunk}, walked by {@code checkList} and
 * {@code allocateBtreePage}). Big-endian.
 *
 * <pre>
 * offset | size | field
 * -------+------+---------------------------------------------------------------
 *    0   |  4   | next trunk page, 0 on the last trunk
 *    4   |  4   | leaf count L (valid when L ≤ U/4 − 2; SQLite writes at most U/4 − 8)
 *    8   | 4·L  | leaf page numbers
 * </pre>
 *
 * <p>Immutable; thread-safe.
 *
 * @param pageNumber the trunk's 1-based page number
 * @param next       next trunk page (unsigned)
 * @param leafCount  leaf count as stored (unsigned, not yet checked)
 */
public record FreelistTrunkPage(long pageNumber, long next, long leafCount) {

    /**
     * Decodes the trunk header of {@code page}.
     *
     * @param pageNumber the trunk's 1-based page number
     * @param page       the page's bytes (at least 8)
     * @return the decoded header, unchecked (compare {@link #leafCount()} with {@link #maxLeaves(int)})
     */
    public static FreelistTrunkPage read(long pageNumber, MemorySegment page) {
        return new FreelistTrunkPage(pageNumber, page.get(ByteSource.INT_BE, 0) & 0xFFFF_FFFFL,
                page.get(ByteSource.INT_BE, 4) & 0xFFFF_FFFFL);
    }

    /**
     * Largest leaf count SQLite accepts for usable size {@code usable}: U/4 − 2.
     *
     * @param usable the usable page size U in bytes
     * @return the largest valid leaf count
     */
    public static long maxLeaves(int usable) {
        return usable / 4 - 2;
    }

    /**
     * Leaf {@code i} (0-based, below a checked leaf count) of {@code page}.
     *
     * @param page the trunk page's bytes
     * @param i    the 0-based leaf index
     * @return the leaf's page number as stored (unsigned, not checked against the database size)
     */
    public static long leaf(MemorySegment page, int i) {
        return page.get(ByteSource.INT_BE, 8 + 4L * i) & 0xFFFF_FFFFL;
    }
}
