package io.walkit.db;

/**
 * Constants of SQLite's database file format (SQLite: {@code btreeInt.h}, {@code btree.c},
 * {@code pager.c}), mirroring the offset tables of {@link DatabaseHeader}, {@link BtreePage},
 * {@link FreelistTrunkPage} and {@link PointerMapPage}. All multi-byte integers are big-endian.
 */
public final class DbFormat {

    private DbFormat() {}

    /** Size of the database header at the start of page 1. */
    public static final int HEADER_SIZE = 100;
    /** {@code "SQLite format 3\0"}. */
    public static final byte[] MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Header: the 16-byte magic string. */
    public static final int OFF_MAGIC = 0;
    /** Header: the page size (u16; 1 means 65536). */
    public static final int OFF_PAGE_SIZE = 16;
    /** Header: the file-format write version (1 legacy, 2 WAL). */
    public static final int OFF_WRITE_VERSION = 18;
    /** Header: the file-format read version (1 legacy, 2 WAL). */
    public static final int OFF_READ_VERSION = 19;
    /** Header: bytes reserved at the end of each page. */
    public static final int OFF_RESERVED_BYTES = 20;
    /** Header: the maximum embedded payload fraction, must be 64. */
    public static final int OFF_MAX_PAYLOAD_FRACTION = 21;
    /** Header: the minimum embedded payload fraction, must be 32. */
    public static final int OFF_MIN_PAYLOAD_FRACTION = 22;
    /** Header: the leaf payload fraction, must be 32. */
    public static final int OFF_LEAF_PAYLOAD_FRACTION = 23;
    /** Header: the file change counter. */
    public static final int OFF_CHANGE_COUNTER = 24;
    /** Header: the database size in pages (valid when the version-valid-for number matches). */
    public static final int OFF_DATABASE_SIZE = 28;
    /** Header: the first freelist trunk page, 0 when the freelist is empty. */
    public static final int OFF_FIRST_FREELIST_TRUNK = 32;
    /** Header: the total number of freelist pages. */
    public static final int OFF_FREELIST_COUNT = 36;
    /** Header: the schema cookie, incremented at each schema change. */
    public static final int OFF_SCHEMA_COOKIE = 40;
    /** Header: the schema format number (1 to 4). */
    public static final int OFF_SCHEMA_FORMAT = 44;
    /** Header: the suggested page cache size. */
    public static final int OFF_DEFAULT_CACHE_SIZE = 48;
    /** Header: the largest root page in auto-vacuum mode, else 0. */
    public static final int OFF_LARGEST_ROOT_PAGE = 52;
    /** Header: the text encoding (1 UTF-8, 2 UTF-16le, 3 UTF-16be). */
    public static final int OFF_TEXT_ENCODING = 56;
    /** Header: the user version ({@code PRAGMA user_version}). */
    public static final int OFF_USER_VERSION = 60;
    /** Header: non-zero for incremental vacuum mode. */
    public static final int OFF_INCREMENTAL_VACUUM = 64;
    /** Header: the application id ({@code PRAGMA application_id}). */
    public static final int OFF_APPLICATION_ID = 68;
    /** Header: the start of the area reserved for expansion, all zero. */
    public static final int OFF_RESERVED_ZERO = 72;
    /** Size in bytes of the area reserved for expansion. */
    public static final int RESERVED_ZERO_SIZE = 20;
    /** Header: the change counter value the SQLite version number is valid for. */
    public static final int OFF_VERSION_VALID_FOR = 92;
    /** Header: the version number of the SQLite library that last wrote the file. */
    public static final int OFF_SQLITE_VERSION = 96;

    /** B-tree page types (SQLite: flag byte; PTF_INTKEY 1, PTF_ZERODATA 2, PTF_LEAFDATA 4, PTF_LEAF 8). */
    public static final int PAGE_INDEX_INTERIOR = 2;
    /** Page type flag byte of a table b-tree interior page. */
    public static final int PAGE_TABLE_INTERIOR = 5;
    /** Page type flag byte of an index b-tree leaf page. */
    public static final int PAGE_INDEX_LEAF = 10;
    /** Page type flag byte of a table b-tree leaf page. */
    public static final int PAGE_TABLE_LEAF = 13;

    /** Offsets inside a b-tree page header (relative to the header start: 100 on page 1, else 0). */
    public static final int BTREE_OFF_TYPE = 0;
    /** B-tree page header: the first freeblock (u16), 0 when none. */
    public static final int BTREE_OFF_FIRST_FREEBLOCK = 1;
    /** B-tree page header: the number of cells (u16). */
    public static final int BTREE_OFF_CELL_COUNT = 3;
    /** B-tree page header: the start of the cell content area (u16; 0 means 65536). */
    public static final int BTREE_OFF_CONTENT_START = 5;
    /** B-tree page header: the number of fragmented free bytes (u8). */
    public static final int BTREE_OFF_FRAGMENTED = 7;
    /** B-tree page header of an interior page: the right-most child page (u32). */
    public static final int BTREE_OFF_RIGHT_CHILD = 8;
    /** Size of a leaf page's b-tree header. */
    public static final int LEAF_HEADER_SIZE = 8;
    /** Size of an interior page's b-tree header. */
    public static final int INTERIOR_HEADER_SIZE = 12;

    /** Pointer-map entry types (SQLite: PTRMAP_ROOTPAGE .. PTRMAP_BTREE). */
    public static final int PTRMAP_ROOTPAGE = 1;
    /** Pointer-map entry type of a freelist page. */
    public static final int PTRMAP_FREEPAGE = 2;
    /** Pointer-map entry type of the first page of an overflow chain (parent: the b-tree page). */
    public static final int PTRMAP_OVERFLOW1 = 3;
    /** Pointer-map entry type of a later overflow page (parent: the previous overflow page). */
    public static final int PTRMAP_OVERFLOW2 = 4;
    /** Pointer-map entry type of a non-root b-tree page. */
    public static final int PTRMAP_BTREE = 5;
    /** Size of one pointer-map entry: a type byte and a 4-byte parent page number. */
    public static final int PTRMAP_ENTRY_SIZE = 5;

    /** Byte offset of the lock-byte page (SQLite: PENDING_BYTE). */
    public static final long PENDING_BYTE = 0x4000_0000L;

    /** Text encodings (header offset 56). */
    public static final int ENCODING_UTF8 = 1;
    /** Text encoding code of UTF-16 little-endian. */
    public static final int ENCODING_UTF16LE = 2;
    /** Text encoding code of UTF-16 big-endian. */
    public static final int ENCODING_UTF16BE = 3;

    /** SQLite's cursor depth limit (BTCURSOR_MAX_DEPTH); deeper trees are corrupt. */
    public static final int MAX_DEPTH = 20;

    /**
     * {@return the lock-byte page number for {@code pageSize} (SQLite: PENDING_BYTE_PAGE)}
     *
     * @param pageSize the page size in bytes
     */
    public static long lockBytePage(int pageSize) {
        return PENDING_BYTE / pageSize + 1;
    }

    /**
     * {@return whether {@code pageSize} is a legal database page size (power of two in 512..65536)}
     *
     * @param pageSize the value from the header (65536 given as 1 already converted)
     */
    public static boolean isValidPageSize(long pageSize) {
        return pageSize >= 512 && pageSize <= 65536 && Long.bitCount(pageSize) == 1;
    }

    /**
     * Largest local payload on index pages and table interior pages (SQLite: maxLocal = (U−12)·64/255 − 23).
     *
     * @param usable the usable page size (page size minus reserved bytes)
     * @return the byte count
     */
    public static int maxLocal(int usable) { return (usable - 12) * 64 / 255 - 23; }

    /**
     * Smallest local payload when a payload spills (SQLite: minLocal = minLeaf = (U−12)·32/255 − 23).
     *
     * @param usable the usable page size
     * @return the byte count
     */
    public static int minLocal(int usable) { return (usable - 12) * 32 / 255 - 23; }

    /**
     * Largest local payload on table leaves (SQLite: maxLeaf = U − 35).
     *
     * @param usable the usable page size
     * @return the byte count
     */
    public static int maxLeaf(int usable) { return usable - 35; }

    /**
     * Bytes of a payload of {@code payloadSize} bytes stored on the b-tree page itself
     * (SQLite: {@code btreeParseCellAdjustSizeForOverflow}).
     *
     * @param payloadSize the record's payload size in bytes
     * @param maxLocal the page kind's largest local payload
     * @param minLocal the smallest local payload
     * @param usable the usable page size
     * @return the bytes stored on the page; the rest goes to overflow pages
     */
    public static int localPayload(long payloadSize, int maxLocal, int minLocal, int usable) {
        if (payloadSize <= maxLocal) {
            return (int) payloadSize;
        }
        long surplus = minLocal + (payloadSize - minLocal) % (usable - 4);
        return surplus <= maxLocal ? (int) surplus : minLocal;
    }

    /**
     * Overflow pages needed for the non-local part of a payload (SQLite: (P − L + U − 5)/(U − 4)).
     *
     * @param payloadSize the payload size in bytes
     * @param local the bytes stored on the b-tree page
     * @param usable the usable page size
     * @return the length of the overflow chain
     */
    public static long overflowPageCount(long payloadSize, int local, int usable) {
        return (payloadSize - local + usable - 5) / (usable - 4);
    }

    /**
     * {@return the pointer-map page responsible for {@code pageNumber} (SQLite: ptrmapPageno); 0 for pages &lt; 2}
     *
     * @param pageNumber the page, 1-based
     * @param usable the usable page size
     * @param pageSize the page size
     */
    public static long ptrmapPageFor(long pageNumber, int usable, int pageSize) {
        if (pageNumber < 2) {
            return 0;
        }
        long perMap = usable / PTRMAP_ENTRY_SIZE + 1;
        long base = ((pageNumber - 2) / perMap) * perMap + 2;
        if (base == lockBytePage(pageSize)) {
            base++;
        }
        return base;
    }
}
