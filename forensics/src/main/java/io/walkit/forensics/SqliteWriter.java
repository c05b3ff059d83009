package io.walkit.forensics;

import io.walkit.db.DatabaseHeader;
import io.walkit.db.Record;
import io.walkit.db.Varint;
import io.walkit.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a new SQLite database file of rowid tables (no indexes): a small table-b-tree writer.
 * Rows are added per table with consecutive rowids; {@link #writeTo} lays out every table's b-tree
 * (leaves packed full, interior levels above, overflow chains for large records) and the
 * {@code sqlite_schema} b-tree on page 1, in rollback-journal mode, UTF-8, page size 4096.
 *
 * <p>Holds everything in memory until written; not thread-safe. Nothing to close.
 */
public final class SqliteWriter {

    /** The page size of the files written. */
    public static final int PAGE_SIZE = 4096;

    private static final int HEADER_SIZE = 100;
    private static final int LEAF_HEADER = 8;
    private static final int INTERIOR_HEADER = 12;
    private static final int TABLE_LEAF = 13;
    private static final int TABLE_INTERIOR = 5;

    private record Table(String name, String sql, List<byte[]> records) {}

    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final List<byte[]> pages = new ArrayList<>();

    /** An empty database (no tables yet). */
    public SqliteWriter() {}

    /**
     * Declares a table.
     *
     * @param name the table's name (must be unique, case-insensitively, and not start with {@code sqlite_})
     * @param sql  its {@code CREATE TABLE} statement, as stored in {@code sqlite_schema}
     * @throws IllegalArgumentException for a duplicate or reserved name
     */
    public void createTable(String name, String sql) {
        String key = name.toLowerCase(java.util.Locale.ROOT);
        if (tables.containsKey(key) || key.startsWith("sqlite_")) {
            throw new IllegalArgumentException("table name " + name);
        }
        tables.put(key, new Table(name, sql, new ArrayList<>()));
    }

    /**
     * Appends a row (rowid = the table's row count + 1).
     *
     * @param table  a declared table's name
     * @param values the column values ({@code null}, {@link Long}, {@link Double}, {@link String}, {@code byte[]})
     */
    public void insert(String table, Object[] values) {
        Table t = tables.get(table.toLowerCase(java.util.Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException("no table " + table);
        }
        t.records.add(Record.encode(values));
    }

    /**
     * Quotes {@code name} as an SQL identifier ({@code "..."}, inner quotes doubled).
     *
     * @param name the table's name
     * @return the result described above
     */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * Writes the database to {@code target} (temp file, fsync, rename).
     *
     * @param target    the file to write
     * @param overwrite whether an existing file may be replaced
     * @throws IOException on an I/O error, or when {@code target} exists and {@code overwrite} is false
     */
    public void writeTo(Path target, boolean overwrite) throws IOException {
        pages.clear();
        pages.add(new byte[PAGE_SIZE]); // page 1
        List<byte[]> schemaRows = new ArrayList<>();
        for (Table t : tables.values()) {
            int root = allocate();
            buildTree(root, t.records);
            schemaRows.add(Record.encode(new Object[] {"table", t.name, t.name, (long) root, t.sql}));
        }
        buildTree(1, schemaRows);
        writeHeader(pages.getFirst(), pages.size());
        AtomicFile.write(target, overwrite, ch -> {
            for (byte[] p : pages) {
                ByteBuffer b = ByteBuffer.wrap(p);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        });
    }

    private int allocate() {
        pages.add(new byte[PAGE_SIZE]);
        return pages.size();
    }

    private byte[] page(int pageNumber) {
        return pages.get(pageNumber - 1);
    }

    /** The cell of a table-leaf record with rowid {@code rowid}, spilling onto overflow pages as SQLite does. */
    private byte[] leafCell(long rowid, byte[] record) {
        int u = PAGE_SIZE;
        int maxLocal = u - 35;
        int minLocal = (u - 12) * 32 / 255 - 23;
        int p = record.length;
        int local;
        if (p <= maxLocal) {
            local = p;
        } else {
            int k = minLocal + (p - minLocal) % (u - 4);
            local = k <= maxLocal ? k : minLocal;
        }
        byte[] head = new byte[18];
        int h = Varint.write(p, head, 0);
        h += Varint.write(rowid, head, h);
        byte[] cell = new byte[h + local + (local < p ? 4 : 0)];
        System.arraycopy(head, 0, cell, 0, h);
        System.arraycopy(record, 0, cell, h, local);
        if (local < p) {
            int first = 0;
            int prev = 0;
            for (int off = local; off < p; off += u - 4) {
                int pg = allocate();
                if (prev == 0) {
                    first = pg;
                } else {
                    putU32(page(prev), 0, pg);
                }
                System.arraycopy(record, off, page(pg), 4, Math.min(u - 4, p - off));
                prev = pg;
            }
            putU32(cell, h + local, first);
        }
        return cell;
    }

    /** Builds a table b-tree of {@code records} (rowids 1..n) whose root is page {@code root}. */
    private void buildTree(int root, List<byte[]> records) {
        int rootHdr = root == 1 ? HEADER_SIZE : 0;
        List<byte[]> cells = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            cells.add(leafCell(i + 1, records.get(i)));
        }
        if (fits(cells, rootHdr + LEAF_HEADER)) {
            writePage(page(root), rootHdr, TABLE_LEAF, cells, 0);
            return;
        }
        // Leaves: (page, largest rowid) per leaf.
        List<long[]> level = new ArrayList<>();
        int i = 0;
        while (i < cells.size()) {
            int j = i;
            int used = LEAF_HEADER;
            while (j < cells.size() && used + 2 + cells.get(j).length <= PAGE_SIZE) {
                used += 2 + cells.get(j).length;
                j++;
            }
            int pg = allocate();
            writePage(page(pg), 0, TABLE_LEAF, cells.subList(i, j), 0);
            level.add(new long[] {pg, j});
            i = j;
        }
        while (true) {
            // Interior cells: child page + largest rowid of the child; the last child is the right pointer.
            List<byte[]> icells = new ArrayList<>();
            for (int k = 0; k < level.size() - 1; k++) {
                icells.add(interiorCell(level.get(k)));
            }
            if (fits(icells, rootHdr + INTERIOR_HEADER)) {
                writePage(page(root), rootHdr, TABLE_INTERIOR, icells, level.getLast()[0]);
                return;
            }
            // At most 201 children per interior page (200 cells of <= 13 bytes fit easily), spread
            // evenly so that no page is left with a single child.
            int groups = (level.size() + 200) / 201;
            List<long[]> up = new ArrayList<>();
            int a = 0;
            for (int g = 0; g < groups; g++) {
                int size = level.size() / groups + (g < level.size() % groups ? 1 : 0);
                int b = a + size - 1;
                List<byte[]> cs = new ArrayList<>();
                for (int k = a; k < b; k++) {
                    cs.add(interiorCell(level.get(k)));
                }
                int pg = allocate();
                writePage(page(pg), 0, TABLE_INTERIOR, cs, level.get(b)[0]);
                up.add(new long[] {pg, level.get(b)[1]});
                a = b + 1;
            }
            level = up;
        }
    }

    private static byte[] interiorCell(long[] child) {
        byte[] c = new byte[4 + Varint.encodedSize(child[1])];
        putU32(c, 0, child[0]);
        Varint.write(child[1], c, 4);
        return c;
    }

    private static boolean fits(List<byte[]> cells, int header) {
        long used = header;
        for (byte[] c : cells) {
            used += 2 + c.length;
        }
        return used <= PAGE_SIZE;
    }

    private static void writePage(byte[] pg, int hdr, int type, List<byte[]> cells, long rightChild) {
        pg[hdr] = (byte) type;
        int content = PAGE_SIZE;
        int ptr = hdr + (type == TABLE_LEAF ? LEAF_HEADER : INTERIOR_HEADER);
        for (byte[] c : cells) {
            content -= c.length;
            System.arraycopy(c, 0, pg, content, c.length);
            putU16(pg, ptr, content);
            ptr += 2;
        }
        putU16(pg, hdr + 1, 0);
        putU16(pg, hdr + 3, cells.size());
        putU16(pg, hdr + 5, content == 65536 ? 0 : content);
        pg[hdr + 7] = 0;
        if (type == TABLE_INTERIOR) {
            putU32(pg, hdr + 8, rightChild);
        }
    }

    private static void writeHeader(byte[] p1, int nPage) {
        byte[] magic = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, p1, 0, 16);
        putU16(p1, 16, DatabaseHeader.encodePageSize(PAGE_SIZE));
        p1[18] = 1; // write version: rollback journal
        p1[19] = 1; // read version
        p1[20] = 0; // reserved bytes
        p1[21] = 64;
        p1[22] = 32;
        p1[23] = 32;
        putU32(p1, 24, 1); // file change counter
        putU32(p1, 28, nPage);
        putU32(p1, 40, 1); // schema cookie
        putU32(p1, 44, 4); // schema format
        putU32(p1, 56, 1); // UTF-8
        putU32(p1, 92, 1); // version-valid-for = change counter
        putU32(p1, 96, 3046001); // SQLITE_VERSION_NUMBER of the format written (3.46.1)
    }

    private static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
