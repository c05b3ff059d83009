package io.walkit.db;

/**
 * Constants of SQLite's database file format (SQLite: {@code btreeInt.h}, {@code btree.c},
 * {@code pager.c}), mirroring the offset tables of {@link DatabaseHeader}, {@link BtreePage},
 * {@link FreelistTrunkPage} and {@link PointerMapPage}. All multi-byte integers are big-endian.
 * Offsets are in bytes. Not instantiable; stateless and thread-safe.
 */
public final class DbFormat {

    private DbFormat() {}

    /** Size of the database header at the start of page 1. */
    public static final int HEADER_SIZE = 100;
    /** {@code "SQLite format 3\0"}. */
    public static final byte[] MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Header offset of the 16-byte magic string {@link #MAGIC}. */
    public static final int OFF_MAGIC = 0;
    /** Header offset of the page size (2 bytes; the value 1 means 65536). */
    public static final int OFF_PAGE_SIZE = 16;
    /** Header offset of the file format write version (1 byte: 1 legacy/rollback, 2 WAL). */
    public static final int OFF_WRITE_VERSION = 18;
    /** Header offset of the file format read version (1 byte: 1 legacy/rollback, 2 WAL). */
    public static final int OFF_READ_VERSION = 19;
    /** Header offset of the bytes reserved at the end of each page (1 byte). */
    public static final int OFF_RESERVED_BYTES = 20;
    /** Header offset of the maximum embedded payload fraction (1 byte, must be 64). */
    public static final int OFF_MAX_PAYLOAD_FRACTION = 21;
    /** Header offset of the minimum embedded payload fraction (1 byte, must be 32). */
    public static final int OFF_MIN_PAYLOAD_FRACTION = 22;
    /** Header offset of the leaf payload fraction (1 byte, must be 32). */
    public static final int OFF_LEAF_PAYLOAD_FRACTION = 23;
    /** Header offset of the file change counter (4 bytes). */
    public static final int OFF_CHANGE_COUNTER = 24;
    /** Header offset of the database size in pages (4 bytes; trusted only when valid, see {@link DatabaseHeader}). */
    public static final int OFF_DATABASE_SIZE = 28;
    /** Header offset of the page number of the first freelist trunk page (4 bytes; 0: none). */
    public static final int OFF_FIRST_FREELIST_TRUNK = 32;
    /** Header offset of the total number of freelist pages (4 bytes). */
    public static final int OFF_FREELIST_COUNT = 36;
    /** Header offset of the schema cookie (4 bytes). */
    public static final int OFF_SCHEMA_COOKIE = 40;
    /** Header offset of the schema format number (4 bytes: 1..4). */
    public static final int OFF_SCHEMA_FORMAT = 44;
    /** Header offset of the default page cache size (4 bytes). */
    public static final int OFF_DEFAULT_CACHE_SIZE = 48;
    /** Header offset of the largest root b-tree page number in auto-vacuum mode (4 bytes; 0: not auto-vacuum). */
    public static final int OFF_LARGEST_ROOT_PAGE = 52;
    /** Header offset of the text encoding (4 bytes: {@link #ENCODING_UTF8}, {@link #ENCODING_UTF16LE} or {@link #ENCODING_UTF16BE}). */
    public static final int OFF_TEXT_ENCODING = 56;
    /** Header offset of the user version (4 bytes, {@code PRAGMA user_version}). */
    public static final int OFF_USER_VERSION = 60;
    /** Header offset of the incremental-vacuum flag (4 bytes; non-zero: incremental). */
    public static final int OFF_INCREMENTAL_VACUUM = 64;
    /** Header offset of the application id (4 bytes, {@code PRAGMA application_id}). */
    public static final int OFF_APPLICATION_ID = 68;
    /** Header offset of the reserved area that must be zero ({@link #RESERVED_ZERO_SIZE} bytes). */
    public static final int OFF_RESERVED_ZERO = 72;
    /** Length in bytes of the reserved all-zero area at {@link #OFF_RESERVED_ZERO}. */
    public static final int RESERVED_ZERO_SIZE = 20;
    /** Header offset of the version-valid-for number (4 bytes; the change counter the database size is valid for). */
    public static final int OFF_VERSION_VALID_FOR = 92;
    /** Header offset of the SQLITE_VERSION_NUMBER of the library that last wrote the file (4 bytes). */
    public static final int OFF_SQLITE_VERSION = 96;

    /* B-tree page types (SQLite: flag byte; PTF_INTKEY 1, PTF_ZERODATA 2, PTF_LEAFDATA 4, PTF_LEAF 8). */
    /** Page type byte of an index interior page (PTF_ZERODATA). */
    public static final int PAGE_INDEX_INTERIOR = 2;
    /** Page type byte of a table interior page (PTF_INTKEY | PTF_LEAFDATA). */
    public static final int PAGE_TABLE_INTERIOR = 5;
    /** Page type byte of an index leaf page (PTF_ZERODATA | PTF_LEAF). */
    public static final int PAGE_INDEX_LEAF = 10;
    /** Page type byte of a table leaf page (PTF_INTKEY | PTF_LEAFDATA | PTF_LEAF). */
    public static final int PAGE_TABLE_LEAF = 13;

    /* Offsets inside a b-tree page header (relative to the header start: 100 on page 1, else 0). */
    /** B-tree header offset of the page type byte. */
    public static final int BTREE_OFF_TYPE = 0;
    /** B-tree header offset of the first freeblock's offset (2 bytes; 0: none). */
    public static final int BTREE_OFF_FIRST_FREEBLOCK = 1;
    /** B-tree header offset of the number of cells (2 bytes). */
    public static final int BTREE_OFF_CELL_COUNT = 3;
    /** B-tree header offset of the start of the cell content area (2 bytes; 0 means 65536). */
    public static final int BTREE_OFF_CONTENT_START = 5;
    /** B-tree header offset of the number of fragmented free bytes (1 byte). */
    public static final int BTREE_OFF_FRAGMENTED = 7;
    /** B-tree header offset of the right-most child page number (4 bytes; interior pages only). */
    public static final int BTREE_OFF_RIGHT_CHILD = 8;
    /** Size in bytes of a leaf page's b-tree header. */
    public static final int LEAF_HEADER_SIZE = 8;
    /** Size in bytes of an interior page's b-tree header (the leaf header plus the right child). */
    public static final int INTERIOR_HEADER_SIZE = 12;

    /* Pointer-map entry types (SQLite: PTRMAP_ROOTPAGE .. PTRMAP_BTREE). */
    /** Pointer-map type of a b-tree root page (parent 0). */
    public static final int PTRMAP_ROOTPAGE = 1;
    /** Pointer-map type of a freelist page (parent 0). */
    public static final int PTRMAP_FREEPAGE = 2;
    /** Pointer-map type of the first page of an overflow chain (parent: the b-tree page holding the cell). */
    public static final int PTRMAP_OVERFLOW1 = 3;
    /** Pointer-map type of a later overflow page (parent: the previous overflow page). */
    public static final int PTRMAP_OVERFLOW2 = 4;
    /** Pointer-map type of a non-root b-tree page (parent: its parent b-tree page). */
    public static final int PTRMAP_BTREE = 5;
    /** Size in bytes of one pointer-map entry (type byte + 4-byte parent page number). */
    public static final int PTRMAP_ENTRY_SIZE = 5;

    /** Byte offset of the lock-byte page (SQLite: PENDING_BYTE). */
    public static final long PENDING_BYTE = 0x4000_0000L;

    /* Text encodings (header offset 56). */
    /** Text encoding UTF-8. */
    public static final int ENCODING_UTF8 = 1;
    /** Text encoding UTF-16 little-endian. */
    public static final int ENCODING_UTF16LE = 2;
    /** Text encoding UTF-16 big-endian. */
    public static final int ENCODING_UTF16BE = 3;

    /** SQLite's cursor depth limit (BTCURSOR_MAX_DEPTH); deeper trees are corrupt. */
    public static final int MAX_DEPTH = 20;

    /**
     * The lock-byte page number for {@code pageSize} (SQLite: PENDING_BYTE_PAGE): the page holding
     * byte offset {@link #PENDING_BYTE}, never used for data.
     *
     * @param pageSize the page size in bytes
     * @return the 1-based page number
     */
    public static long lockBytePage(int pageSize) {
        return PENDING_BYTE / pageSize + 1;
    }

    /**
     * Whether {@code pageSize} is a legal database page size (power of two in 512..65536).
     *
     * @param pageSize the page size in bytes (already decoded: 65536, not 1)
     * @return whether it is legal
     */
    public static boolean isValidPageSize(long pageSize) {
        return pageSize >= 512 && pageSize <= 65536 && Long.bitCount(pageSize) == 1;
    }

    /**
     * Largest local payload on index pages (SQLite: maxLocal = (U−12)·64/255 − 23).
     *
     * @param usable the usable page size U in bytes
     * @return the limit in bytes
     */
    public static int maxLocal(int usable) { return (usable - 12) * 64 / 255 - 23; }

    /**
     * Smallest local payload when spilling (SQLite: minLocal = minLeaf = (U−12)·32/255 − 23).
     *
     * @param usable the usable page size U in bytes
     * @return the limit in bytes
     */
    public static int minLocal(int usable) { return (usable - 12) * 32 / 255 - 23; }

    /**
     * Largest local payload on table leaves (SQLite: maxLeaf = U − 35).
     *
     * @param usable the usable page size U in bytes
     * @return the limit in bytes
     */
    public static int maxLeaf(int usable) { return usable - 35; }

    /**
     * Bytes of a payload of {@code payloadSize} bytes stored on the b-tree page itself
     * (SQLite: {@code btreeParseCellAdjustSizeForOverflow}).
     *
     * @param payloadSize the whole payload size P in bytes
     * @param maxLocal    the page kind's largest local payload ({@link #maxLocal} or {@link #maxLeaf})
     * @param minLocal    the smallest local payload ({@link #minLocal})
     * @param usable      the usable page size U in bytes
     * @return the local byte count L; the rest goes to overflow pages
     */
    public static int localPayload(long payloadSize, int maxLocal, int minLocal, int usable) {
        if (payloadSize <= maxLocal) {
            return (int) payloadSize;
        }
        long surplus = minLocal + (payloadSize - minLocal) % (usable - 4);
        return surplus <= maxLocal ? (int) surplus : minLocal;
    }

    /**
     * Overflow pages needed for the non-local part (SQLite: (P − L + U − 5)/(U − 4)).
     *
     * @param payloadSize the whole payload size P in bytes
     * @param local       the local byte count L ({@link #localPayload})
     * @param usable      the usable page size U in bytes
     * @return the length of the overflow chain (0 when wholly local)
     */
    public static long overflowPageCount(long payloadSize, int local, int usable) {
        return (payloadSize - local + usable - 5) / (usable - 4);
    }

    /**
     * The pointer-map page responsible for {@code pageNumber} (SQLite: ptrmapPageno); 0 for pages &lt; 2.
     *
     * @param pageNumber the 1-based page number
     * @param usable     the usable page size in bytes
     * @param pageSize   the page size in bytes (for the lock-byte page, which is skipped)
     * @return the 1-based page number of the pointer-map page, or 0
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
