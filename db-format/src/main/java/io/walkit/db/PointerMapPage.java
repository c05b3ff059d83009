package io.walkit.db;

import io.walkit.io.ByteSource;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A pointer-map page of an auto-vacuum or incremental-vacuum database (SQLite: {@code ptrmap},
 * {@code ptrmapGet}). It holds floor(U/5) entries of 5 bytes; the entry for page {@code p} lives
 * on page {@link DbFormat#ptrmapPageFor} at offset 5·(p − G − 1).
 *
 * <pre>
 * offset  | size | field
 * --------+------+-------------------------------------------------------------------
 *  5·i    |  1   | type: 1 ROOTPAGE, 2 FREEPAGE, 3 OVERFLOW1, 4 OVERFLOW2, 5 BTREE
 *  5·i+1  |  4   | parent page (0 for ROOTPAGE and FREEPAGE), big-endian
 * </pre>
 *
 * <p>Immutable; thread-safe.
 *
 * @param type   entry type (0 when the entry is unused / zero)
 * @param parent parent page (unsigned)
 */
public record PointerMapPage(int type, long parent) {

    /**
     * The entry for {@code pageNumber} read from its pointer-map page {@code map} (page
     * {@code mapPage}), or null when {@code pageNumber} has no entry there (it is the map page
     * itself or precedes it).
     *
     * @param map        the pointer-map page's bytes
     * @param mapPage    the pointer-map page's 1-based page number
     * @param pageNumber the 1-based page number whose entry is wanted
     * @return the entry as stored (unchecked), or {@code null}
     */
    public static PointerMapPage entry(MemorySegment map, long mapPage, long pageNumber) {
        long offset = 5 * (pageNumber - mapPage - 1);
        if (offset < 0 || offset + 5 > map.byteSize()) {
            return null;
        }
        return new PointerMapPage(map.get(ValueLayout.JAVA_BYTE, offset) & 0xFF,
                map.get(ByteSource.INT_BE, offset + 1) & 0xFFFF_FFFFL);
    }

    /**
     * SQLite's name for an entry type, for messages (never decide on it).
     *
     * @param type the entry type byte
     * @return e.g. {@code "BTREE"}, or a text naming an unknown type
     */
    public static String typeName(int type) {
        return switch (type) {
            case DbFormat.PTRMAP_ROOTPAGE -> "ROOTPAGE";
            case DbFormat.PTRMAP_FREEPAGE -> "FREEPAGE";
            case DbFormat.PTRMAP_OVERFLOW1 -> "OVERFLOW1";
            case DbFormat.PTRMAP_OVERFLOW2 -> "OVERFLOW2";
            case DbFormat.PTRMAP_BTREE -> "BTREE";
            default -> "unknown (" + type + ")";
        };
    }
}
