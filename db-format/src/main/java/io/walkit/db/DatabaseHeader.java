package io.walkit.db;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.walkit.db.DbFormat.*;

/**
 * The 100-byte database header at the start of page 1 (SQLite: {@code zDbHeader}, read by
 * {@code lockBtree}). All multi-byte fields are big-endian.
 *
 * <pre>
 * offset | size | field                     | meaning
 * -------+------+---------------------------+-----------------------------------------------
 *    0   |  16  | magic                     | "SQLite format 3\0"
 *   16   |   2  | page size                 | power of two 512..32768, or 1 meaning 65536
 *   18   |   1  | write version             | 1 rollback journal, 2 WAL
 *   19   |   1  | read version              | 1 rollback journal, 2 WAL; &gt; 2 cannot be read
 *   20   |   1  | reserved bytes (R)        | unused bytes at the end of every page
 *   21   |   1  | max payload fraction      | must be 64
 *   22   |   1  | min payload fraction      | must be 32
 *   23   |   1  | leaf payload fraction     | must be 32
 *   24   |   4  | file change counter       | SQLite: iChangeCount
 *   28   |   4  | database size in pages    | trusted only if non-zero and [24] == [92]
 *   32   |   4  | first freelist trunk page | 0 if none
 *   36   |   4  | freelist page count       | trunks + leaves
 *   40   |   4  | schema cookie             |
 *   44   |   4  | schema format number      | 1..4
 *   48   |   4  | default page cache size   |
 *   52   |   4  | largest root b-tree page  | non-zero iff auto-vacuum (pointer-map pages exist)
 *   56   |   4  | text encoding             | 1 UTF-8, 2 UTF-16le, 3 UTF-16be
 *   60   |   4  | user version              |
 *   64   |   4  | incremental-vacuum flag   |
 *   68   |   4  | application id            |
 *   72   |  20  | reserved for expansion    | must be zero
 *   92   |   4  | version-valid-for         | change counter when [96] was written
 *   96   |   4  | SQLITE_VERSION_NUMBER     | library that last wrote the file
 * </pre>
 *
 * <p>{@link #read} decodes any 100 bytes; {@link #validate()} applies SQLite's rules separately.
 * Unsigned 32-bit fields are held in {@code long}s. {@link #read(byte[])} and {@link #encode()} are
 * the only decoder and encoder of these 100 bytes; the page-size field's codec is
 * {@link #decodePageSize}/{@link #encodePageSize}. Immutable and thread-safe.
 *
 * @param magic                bytes 0..15
 * @param rawPageSize          the u16 at 16 as stored (see {@link #decodePageSize})
 * @param writeVersion         byte 18
 * @param readVersion          byte 19
 * @param reservedBytes        byte 20
 * @param maxPayloadFraction   byte 21
 * @param minPayloadFraction   byte 22
 * @param leafPayloadFraction  byte 23
 * @param changeCounter        u32 at 24
 * @param databaseSize         u32 at 28, in pages
 * @param firstFreelistTrunk   u32 at 32
 * @param freelistCount        u32 at 36
 * @param schemaCookie         u32 at 40
 * @param schemaFormat         u32 at 44
 * @param defaultCacheSize     u32 at 48
 * @param largestRootPage      u32 at 52
 * @param textEncoding         u32 at 56
 * @param userVersion          u32 at 60
 * @param incrementalVacuum    u32 at 64
 * @param applicationId        u32 at 68
 * @param reservedForExpansion bytes 72..91
 * @param versionValidFor      u32 at 92
 * @param sqliteVersion        u32 at 96
 */
public record DatabaseHeader(
        byte[] magic, int rawPageSize, int writeVersion, int readVersion, int reservedBytes,
        int maxPayloadFraction, int minPayloadFraction, int leafPayloadFraction,
        long changeCounter, long databaseSize, long firstFreelistTrunk, long freelistCount,
        long schemaCookie, long schemaFormat, long defaultCacheSize, long largestRootPage,
        long textEncoding, long userVersion, long incrementalVacuum, long applicationId,
        byte[] reservedForExpansion, long versionValidFor, long sqliteVersion) {

    /**
     * Decodes the header from the first 100 bytes of {@code page1}.
     *
     * @param page1 page 1 (at least 100 bytes)
     * @return the header as stored
     */
    public static DatabaseHeader read(MemorySegment page1) {
        byte[] b = new byte[HEADER_SIZE];
        MemorySegment.copy(page1, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b, 0, HEADER_SIZE);
        return read(b);
    }

    /**
     * Decodes the header from the first 100 bytes of {@code b}.
     *
     * @param b at least 100 bytes
     * @return the header as stored
     */
    public static DatabaseHeader read(byte[] b) {
        return new DatabaseHeader(Arrays.copyOfRange(b, 0, 16), u16(b, OFF_PAGE_SIZE), b[18] & 0xFF, b[19] & 0xFF,
                b[20] & 0xFF, b[21] & 0xFF, b[22] & 0xFF, b[23] & 0xFF, u32(b, 24), u32(b, 28), u32(b, 32),
                u32(b, 36), u32(b, 40), u32(b, 44), u32(b, 48), u32(b, 52), u32(b, 56), u32(b, 60), u32(b, 64),
                u32(b, 68), Arrays.copyOfRange(b, 72, 92), u32(b, 92), u32(b, 96));
    }

    /**
     * Encodes this header into 100 bytes (round-trips {@link #read}).
     *
     * @return a new array
     */
    public byte[] encode() {
        byte[] b = new byte[HEADER_SIZE];
        System.arraycopy(magic, 0, b, 0, 16);
        b[OFF_PAGE_SIZE] = (byte) (rawPageSize >>> 8);
        b[OFF_PAGE_SIZE + 1] = (byte) rawPageSize;
        b[18] = (byte) writeVersion;
        b[19] = (byte) readVersion;
        b[20] = (byte) reservedBytes;
        b[21] = (byte) maxPayloadFraction;
        b[22] = (byte) minPayloadFraction;
        b[23] = (byte) leafPayloadFraction;
        long[] words = {changeCounter, databaseSize, firstFreelistTrunk, freelistCount, schemaCookie, schemaFormat,
                defaultCacheSize, largestRootPage, textEncoding, userVersion, incrementalVacuum, applicationId};
        for (int i = 0; i < words.length; i++) {
            put32(b, 24 + 4 * i, words[i]);
        }
        System.arraycopy(reservedForExpansion, 0, b, 72, 20);
        put32(b, 92, versionValidFor);
        put32(b, 96, sqliteVersion);
        return b;
    }

    /**
     * Page size as SQLite decodes it (see {@link #decodePageSize}).
     *
     * @return bytes per page (possibly invalid)
     */
    public int pageSize() {
        return decodePageSize(rawPageSize);
    }

    /**
     * The page size in bytes of the raw big-endian u16 at offset 16, as SQLite's {@code lockBtree}
     * decodes it: {@code (b16 << 8) | (b17 << 16)}, so 1 means 65536 and any other low byte makes an
     * invalid size (check with {@link DbFormat#isValidPageSize}). The one decoder of this field.
     *
     * @param raw the big-endian u16 at offset 16
     * @return the page size in bytes
     */
    public static int decodePageSize(int raw) {
        return ((raw >>> 8 & 0xFF) << 8) | ((raw & 0xFF) << 16);
    }

    /**
     * The raw u16 stored at offset 16 for {@code pageSize} (65536 is stored as 1): the inverse of {@link #decodePageSize}.
     *
     * @param pageSize a valid page size in bytes
     * @return the u16 to store
     */
    public static int encodePageSize(int pageSize) {
        return (pageSize & 0xFF00) | (pageSize >>> 16 & 0xFF);
    }

    /** {@return the usable bytes per page, U = page size − reserved bytes} */
    public int usableSize() {
        return pageSize() - reservedBytes;
    }

    /** {@return whether the magic string is SQLite's} */
    public boolean hasMagic() {
        return Arrays.equals(magic, MAGIC);
    }

    /** {@return whether SQLite trusts {@link #databaseSize()}: non-zero and change counter == version-valid-for} */
    public boolean databaseSizeTrusted() {
        return databaseSize != 0 && changeCounter == versionValidFor;
    }

    /** {@return whether pointer-map pages exist (auto-vacuum or incremental vacuum: largest root page ≠ 0)} */
    public boolean autoVacuum() {
        return largestRootPage != 0;
    }

    /**
     * SQLite's rules for this header (from {@code lockBtree}); an empty list means valid. Each
     * problem is fatal for SQLite ({@code SQLITE_NOTADB}/{@code SQLITE_CORRUPT}) unless
     * {@link Problem#fatal()} is false.
     *
     * @return the violated rules, in header order (a new, modifiable list)
     */
    public List<Problem> validate() {
        List<Problem> p = new ArrayList<>();
        if (!hasMagic()) {
            p.add(new Problem(OFF_MAGIC, "magic", "\"SQLite format 3\\0\"", hex(magic), true));
        }
        if (!isValidPageSize(pageSize())) {
            p.add(new Problem(OFF_PAGE_SIZE, "page size", "a power of two in 512..32768 or 1 (65536)",
                    Integer.toString(rawPageSize), true));
        }
        if (readVersion > 2) {
            p.add(new Problem(OFF_READ_VERSION, "read version", "1 or 2", Integer.toString(readVersion), true));
        }
        if (writeVersion > 2) {
            p.add(new Problem(OFF_WRITE_VERSION, "write version", "1 or 2 (larger is read-only)",
                    Integer.toString(writeVersion), false));
        }
        if (isValidPageSize(pageSize()) && usableSize() < 480) {
            p.add(new Problem(OFF_RESERVED_BYTES, "reserved bytes", "at most page size − 480",
                    Integer.toString(reservedBytes), true));
        }
        if (maxPayloadFraction != 64) {
            p.add(new Problem(OFF_MAX_PAYLOAD_FRACTION, "max payload fraction", "64", Integer.toString(maxPayloadFraction), true));
        }
        if (minPayloadFraction != 32) {
            p.add(new Problem(OFF_MIN_PAYLOAD_FRACTION, "min payload fraction", "32", Integer.toString(minPayloadFraction), true));
        }
        if (leafPayloadFraction != 32) {
            p.add(new Problem(OFF_LEAF_PAYLOAD_FRACTION, "leaf payload fraction", "32", Integer.toString(leafPayloadFraction), true));
        }
        // SQLite keeps only the low byte (sqlite3InitOne: file_format = (u8)meta[...]).
        if ((schemaFormat & 0xFF) > 4) {
            p.add(new Problem(OFF_SCHEMA_FORMAT, "schema format number", "0..4", Long.toString(schemaFormat), true));
        }
        if (textEncoding > 3) {
            p.add(new Problem(OFF_TEXT_ENCODING, "text encoding", "1 (UTF-8), 2 (UTF-16le) or 3 (UTF-16be)",
                    Long.toString(textEncoding), false));
        }
        for (byte r : reservedForExpansion) {
            if (r != 0) {
                p.add(new Problem(OFF_RESERVED_ZERO, "reserved for expansion", "20 zero bytes", hex(reservedForExpansion), false));
                break;
            }
        }
        return p;
    }

    /**
     * One violated header rule.
     *
     * @param offset   byte offset of the field in the header
     * @param field    the field's name
     * @param expected what a valid header holds
     * @param found    what this header holds
     * @param fatal    whether SQLite refuses to read the file
     */
    public record Problem(int offset, String field, String expected, String found, boolean fatal) {
        /** {@return the text {@code "<field> must be <expected>, found <found>"}, for display} */
        public String message() {
            return field + " must be " + expected + ", found " + found;
        }
    }

    private static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    private static long u32(byte[] b, int o) {
        return ((long) (b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    private static void put32(byte[] b, int o, long v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseHeader h && Arrays.equals(encode(), h.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "DatabaseHeader[pageSize=" + pageSize() + ", reserved=" + reservedBytes + ", size=" + databaseSize
                + ", freelist=" + firstFreelistTrunk + "/" + freelistCount + ", encoding=" + textEncoding + "]";
    }
}
