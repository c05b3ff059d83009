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

    public static final int OFF_MAGIC = 0;
    public static final int OFF_PAGE_SIZE = 16;
    public static final int OFF_WRITE_VERSION = 18;
    public static final int OFF_READ_VERSION = 19;
    public static final int OFF_RESERVED_BYTES = 20;
    public static final int OFF_MAX_PAYLOAD_FRACTION = 21;
    public static final int OFF_MIN_PAYLOAD_FRACTION = 22;
    public static final int OFF_LEAF_PAYLOAD_FRACTION = 23;
    public static final int OFF_CHANGE_COUNTER = 24;
    public static final int OFF_DATABASE_SIZE = 28;
    public static final int OFF_FIRST_FREELIST_TRUNK = 32;
    public static final int OFF_FREELIST_COUNT = 36;
    public static final int OFF_SCHEMA_COOKIE = 40;
    public static final int OFF_SCHEMA_FORMAT = 44;
    public static final int OFF_DEFAULT_CACHE_SIZE = 48;
    public static final int OFF_LARGEST_ROOT_PAGE = 52;
    public static final int OFF_TEXT_ENCODING = 56;
    public static final int OFF_USER_VERSION = 60;
    public static final int OFF_INCREMENTAL_VACUUM = 64;
    public static final int OFF_APPLICATION_ID = 68;
    public static final int OFF_RESERVED_ZERO = 72;
    public static final int RESERVED_ZERO_SIZE = 20;
    public static final int OFF_VERSION_VALID_FOR = 92;
    public static final int OFF_SQLITE_VERSION = 96;

    /** B-tree page types (SQLite: flag byte; PTF_INTKEY 1, PTF_ZERODATA 2, PTF_LEAFDATA 4, PTF_LEAF 8). */
    public static final int PAGE_INDEX_INTERIOR = 2;
    public static final int PAGE_TABLE_INTERIOR = 5;
    public static final int PAGE_INDEX_LEAF = 10;
    public static final int PAGE_TABLE_LEAF = 13;

    /** Offsets inside a b-tree page header (relative to the header start: 100 on page 1, else 0). */
    public static final int BTREE_OFF_TYPE = 0;
    public static final int BTREE_OFF_FIRST_FREEBLOCK = 1;
    public static final int BTREE_OFF_CELL_COUNT = 3;
    public static final int BTREE_OFF_CONTENT_START = 5;
    public static final int BTREE_OFF_FRAGMENTED = 7;
    public static final int BTREE_OFF_RIGHT_CHILD = 8;
    public static final int LEAF_HEADER_SIZE = 8;
    public static final int INTERIOR_HEADER_SIZE = 12;

    /** Pointer-map entry types (SQLite: PTRMAP_ROOTPAGE .. PTRMAP_BTREE). */
    public static final int PTRMAP_ROOTPAGE = 1;
    public static final int PTRMAP_FREEPAGE = 2;
    public static final int PTRMAP_OVERFLOW1 = 3;
    public static final int PTRMAP_OVERFLOW2 = 4;
    public static final int PTRMAP_BTREE = 5;
    public static final int PTRMAP_ENTRY_SIZE = 5;

    /** Byte offset of the lock-byte page (SQLite: PENDING_BYTE). */
    public static final long PENDING_BYTE = 0x4000_0000L;

    /** Text encodings (header offset 56). */
    public static final int ENCODING_UTF8 = 1;
    public static final int ENCODING_UTF16LE = 2;
    public static final int ENCODING_UTF16BE = 3;

    /** SQLite's cursor depth limit (BTCURSOR_MAX_DEPTH); deeper trees are corrupt. */
    public static final int MAX_DEPTH = 20;

    /** The lock-byte page number for {@code pageSize} (SQLite: PENDING_BYTE_PAGE). */
    public static long lockBytePage(int pageSize) {
        return PENDING_BYTE / pageSize + 1;
    }

    /** Whether {@code pageSize} is a legal database page size (power of two in 512..65536). */
    public static boolean isValidPageSize(long pageSize) {
        return pageSize >= 512 && pageSize <= 65536 && Long.bitCount(pageSize) == 1;
    }

    /** Largest local payload on index pages (SQLite: maxLocal = (U−12)·64/255 − 23). */
    public static int maxLocal(int usable) { return (usable - 12) * 64 / 255 - 23; }

    /** Smallest local payload when spilling (SQLite: minLocal = minLeaf = (U−12)·32/255 − 23). */
    public static int minLocal(int usable) { return (usable - 12) * 32 / 255 - 23; }

    /** Largest local payload on table leaves (SQLite: maxLeaf = U − 35). */
    public static int maxLeaf(int usable) { return usable - 35; }

    /**
     * Bytes of a payload of {@code payloadSize} bytes stored on the b-tree page itself
     * (SQLite: {@code btreeParseCellAdjustSizeForOverflow}).
     */
    public static int localPayload(long payloadSize, int maxLocal, int minLocal, int usable) {
        if (payloadSize <= maxLocal) {
            return (int) payloadSize;
        }
        long surplus = minLocal + (payloadSize - minLocal) % (usable - 4);
        return surplus <= maxLocal ? (int) surplus : minLocal;
    }

    /** Overflow pages needed for the non-local part (SQLite: (P − L + U − 5)/(U − 4)). */
    public static long overflowPageCount(long payloadSize, int local, int usable) {
        return (payloadSize - local + usable - 5) / (usable - 4);
    }

    /** The pointer-map page responsible for {@code pageNumber} (SQLite: ptrmapPageno); 0 for pages &lt; 2. */
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
