package io.walkit.forensics;

import io.walkit.db.BtreePage;
import io.walkit.db.Cell;
import io.walkit.db.Database;
import io.walkit.db.DbFormat;
import io.walkit.db.FilePageSource;
import io.walkit.db.PageSource;
import io.walkit.db.Record;
import io.walkit.db.Schema;
import io.walkit.db.SchemaEntry;
import io.walkit.db.TableInfo;
import io.walkit.db.TableReader;
import io.walkit.db.WalPageSource;
import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.Commit;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A database at every commit of its WAL's valid prefix (commit 0 = the database file alone), with
 * table snapshots built incrementally: a b-tree page is decoded once per distinct image (page number
 * and WAL frame), so walking 200 commits re-decodes only the pages each commit changed.
 *
 * <p>Opens the database file and the WAL read-only (memory-mapped) and owns them: close this object
 * when done; the {@link Database} views it hands out need no closing and die with it. Not
 * thread-safe.
 */
public final class LogHistory implements AutoCloseable {

    private final String dbName;
    private final ByteSource dbBytes;
    private final ByteSource walBytes;
    private final WalScan scan;
    private final FilePageSource dbPages;
    private final Map<String, TableCache> caches = new HashMap<>();

    /** Decoded page images of one table, valid for one schema SQL text. */
    private static final class TableCache {
        String sql;
        Map<Long, TableSnapshot.PageRows> byImage = new HashMap<>();
    }

    private LogHistory(String dbName, ByteSource dbBytes, ByteSource walBytes, WalScan scan, FilePageSource dbPages) {
        this.dbName = dbName;
        this.dbBytes = dbBytes;
        this.walBytes = walBytes;
        this.scan = scan;
        this.dbPages = dbPages;
    }

    /**
     * Opens {@code db} (null or a missing file: no database, the WAL alone over an empty file) and
     * {@code wal} (null: none) read-only.
     *
     * @throws CorruptFileException when the database header's page size is illegal or differs from the WAL's
     * @param db the database file (null or missing: none)
     * @param wal the WAL (null: none)
     * @return the result described above
     */
    public static LogHistory open(Path db, Path wal) throws IOException {
        if (db == null && wal == null) {
            throw new IllegalArgumentException("neither a database nor a WAL");
        }
        ByteSource d = null;
        ByteSource w = null;
        try {
            boolean haveDb = db != null && Files.exists(db);
            d = haveDb ? ByteSource.map(db) : ByteSource.of(new byte[0], db == null ? wal + " (no database)" : db.toString());
            WalScan s = null;
            if (wal != null) {
                w = ByteSource.map(wal);
                s = WalScanner.scan(w);
            }
            int pageSize = s != null && s.headerAccepted() && d.size() == 0 ? s.pageSize() : FilePageSource.pageSizeOf(d);
            return new LogHistory(db == null ? d.name() : db.toString(), d, w, s, new FilePageSource(d, pageSize, false));
        } catch (IOException | RuntimeException e) {
            if (w != null) {
                w.close();
            }
            if (d != null) {
                d.close();
            }
            throw e;
        }
    }

    /**
     * The database file's display name.
     *
     * @return the result described above
     */
    public String name() {
        return dbName;
    }

    /**
     * The WAL scan, or null without a WAL.
     *
     * @return the result described above
     */
    public WalScan wal() {
        return scan;
    }

    /**
     * The number of commits in the WAL's valid prefix (0 without a WAL).
     *
     * @return the result described above
     */
    public int commitCount() {
        return scan == null ? 0 : scan.commitCount();
    }

    /**
     * Commit {@code ordinal} (1-based) of the WAL, or null for 0 (the database file alone).
     *
     * @param ordinal the commit ordinal (0 = the database file alone)
     * @return the result described above
     */
    public Commit commit(int ordinal) {
        checkOrdinal(ordinal);
        return ordinal == 0 ? null : scan.commit(ordinal);
    }

    private void checkOrdinal(int ordinal) {
        if (ordinal < 0 || ordinal > commitCount()) {
            throw new IllegalArgumentException("commit " + ordinal + " is outside 0.." + commitCount() + " (the WAL's valid commits)");
        }
    }

    /**
     * The pages as of commit {@code ordinal}; shares this object's files (do not close it).
     *
     * @param ordinal the commit ordinal (0 = the database file alone)
     * @return the result described above
     * @throws io.walkit.io.CorruptFileException on an I/O error
     */
    public PageSource pagesAt(int ordinal) throws CorruptFileException {
        checkOrdinal(ordinal);
        if (scan == null) {
            return dbPages;
        }
        return new WalPageSource(dbPages, scan, ordinal);
    }

    /**
     * The database as of commit {@code ordinal}; shares this object's files (do not close it).
     *
     * @param ordinal the commit ordinal (0 = the database file alone)
     * @return the result described above
     * @throws io.walkit.io.CorruptFileException on an I/O error
     */
    public Database at(int ordinal) throws CorruptFileException {
        return Database.open(pagesAt(ordinal));
    }

    /**
     * Names of the tables with a b-tree as of commit {@code ordinal}, in schema order.
     *
     * @param ordinal the commit ordinal (0 = the database file alone)
     * @return the result described above
     * @throws io.walkit.io.CorruptFileException on an I/O error
     */
    public List<String> tables(int ordinal) throws CorruptFileException {
        Database d = at(ordinal);
        List<String> out = new ArrayList<>();
        for (SchemaEntry e : d.schema().tables()) {
            if (e.rootPage() != 0) {
                out.add(e.name());
            }
        }
        return out;
    }

    /**
     * The rows of {@code table} as of commit {@code ordinal} (an empty snapshot with a null
     * {@link TableSnapshot#info()} when the table has no b-tree then). Page images decoded for
     * earlier calls are reused while the table's schema SQL is unchanged.
     *
     * @throws CorruptFileException for a b-tree or record SQLite would call corrupt
     * @param ordinal the commit ordinal (0 = the database file alone)
     * @param table the table's name
     * @return the result described above
     */
    public TableSnapshot snapshot(int ordinal, String table) throws CorruptFileException {
        Database d = at(ordinal);
        Schema schema = d.schema();
        SchemaEntry e = schema.find(table);
        if (e == null || !e.isTable() || e.rootPage() == 0) {
            return new TableSnapshot(ordinal, table, null, List.of());
        }
        TableInfo info = schema.table(e);
        TableCache cache = caches.computeIfAbsent(e.name(), k -> new TableCache());
        if (!e.sql().equals(cache.sql)) {
            cache.sql = e.sql();
            cache.byImage = new HashMap<>();
        }
        TableReader reader = new TableReader(d, e, info);
        PageSource pages = d.pages();
        WalPageSource view = pages instanceof WalPageSource v ? v : null;
        List<TableSnapshot.PageRows> out = new ArrayList<>();
        Map<Long, TableSnapshot.PageRows> used = new HashMap<>();
        walk(d, view, reader, info, e.rootPage(), cache, used, out, new HashSet<>());
        cache.byImage = used;
        return new TableSnapshot(ordinal, e.name(), info, List.copyOf(out));
    }

    private static long imageKey(long pageNumber, int frame) {
        return (pageNumber << 31) ^ frame;
    }

    private void walk(Database d, WalPageSource view, TableReader reader, TableInfo info, long root, TableCache cache,
            Map<Long, TableSnapshot.PageRows> used, List<TableSnapshot.PageRows> out, Set<Long> visited) throws CorruptFileException {
        // Explicit stack (page, depth) in tree order: children are pushed right to left.
        record Step(long page, int depth) {}
        List<Step> stack = new ArrayList<>();
        stack.add(new Step(root, 0));
        Cell cell = new Cell();
        boolean table = !info.withoutRowid();
        while (!stack.isEmpty()) {
            Step s = stack.removeLast();
            long pgno = s.page();
            if (s.depth() > DbFormat.MAX_DEPTH) {
                throw d.corrupt(root, 0, "b-tree " + root, "depth", "at most " + DbFormat.MAX_DEPTH, "more");
            }
            if (pgno < 1 || pgno > d.pageCount()) {
                throw d.corrupt(1, 0, "b-tree " + root, "child page number", "in 1.." + d.pageCount(), Long.toString(pgno));
            }
            if (!visited.add(pgno)) {
                throw d.corrupt(pgno, 0, "b-tree " + root, "page " + pgno, "reached once", "reached twice (a cycle or shared page)");
            }
            BtreePage page = d.btreePage(pgno);
            if (page.isTable() != table) {
                throw d.corrupt(pgno, page.headerOffset(), "b-tree page " + pgno, "page type",
                        table ? "a table b-tree page" : "an index b-tree page", BtreePage.typeName(page.type()));
            }
            if (page.isLeaf() || !table) {
                int frame = view == null ? 0 : view.frameOf(pgno);
                long key = imageKey(pgno, frame);
                TableSnapshot.PageRows rows = cache.byImage.get(key);
                if (rows == null || !overflowUnchanged(rows, view)) {
                    rows = decode(d, view, reader, info, page, frame);
                }
                used.put(key, rows);
                out.add(rows);
            }
            if (!page.isLeaf()) {
                stack.add(new Step(page.rightChild(), s.depth() + 1));
                for (int i = page.cellCount() - 1; i >= 0; i--) {
                    d.parseCell(page, i, cell);
                    stack.add(new Step(cell.leftChild, s.depth() + 1));
                }
            }
        }
    }

    private static boolean overflowUnchanged(TableSnapshot.PageRows rows, WalPageSource view) {
        for (int i = 0; i < rows.overflowPages.length; i++) {
            int f = view == null ? 0 : view.frameOf(rows.overflowPages[i]);
            if (f != rows.overflowFrames[i]) {
                return false;
            }
        }
        return true;
    }

    private static TableSnapshot.PageRows decode(Database d, WalPageSource view, TableReader reader, TableInfo info,
            BtreePage page, int frame) throws CorruptFileException {
        Cell cell = new Cell();
        Record rec = d.newRecord();
        Database.PayloadBuffer buf = new Database.PayloadBuffer();
        List<TableSnapshot.Row> rows = new ArrayList<>(page.cellCount());
        long[] overflow = new long[0];
        int[] pk = info.primaryKey();
        for (int i = 0; i < page.cellCount(); i++) {
            d.parseCell(page, i, cell);
            MemorySegment seg = d.payload(page, cell, buf);
            long off = seg == page.data() ? cell.payloadOffset : 0;
            String problem = rec.parse(seg, off, cell.payloadSize);
            if (problem != null) {
                throw d.corrupt(page.pageNumber(), cell.payloadOffset, "record in b-tree page " + page.pageNumber(), "record",
                        "a well-formed record", problem);
            }
            long[] chain = buf.chain();
            if (chain.length > 0) {
                int n = overflow.length;
                overflow = Arrays.copyOf(overflow, n + chain.length);
                System.arraycopy(chain, 0, overflow, n, chain.length);
            }
            if (info.withoutRowid()) {
                Object[] values = reader.values(0, rec);
                List<Object> key = new ArrayList<>(pk.length);
                for (int c : pk) {
                    key.add(values[c]);
                }
                rows.add(new TableSnapshot.Row(new TableSnapshot.PrimaryKey(java.util.Collections.unmodifiableList(key)), values, cell.offset));
            } else {
                rows.add(new TableSnapshot.Row(cell.key, reader.values(cell.key, rec), cell.offset));
            }
        }
        int[] frames = new int[overflow.length];
        for (int i = 0; i < overflow.length; i++) {
            frames[i] = view == null ? 0 : view.frameOf(overflow[i]);
        }
        return new TableSnapshot.PageRows(page.pageNumber(), frame, overflow, frames, rows);
    }

    /**
     * Page {@code pageNumber} of the database file itself (not through the WAL), or null beyond its end.
     *
     * @param pageNumber the page number (1-based)
     * @return the result described above
     */
    public MemorySegment databaseFilePage(long pageNumber) {
        if (pageNumber < 1 || pageNumber > dbPages.pageCount() || dbBytes.size() < pageNumber * dbPages.pageSize()) {
            return null;
        }
        return dbPages.page(pageNumber);
    }

    /** Closes the database file and the WAL; idempotent. */
    @Override
    public void close() {
        if (walBytes != null) {
            walBytes.close();
        }
        dbBytes.close();
    }
}
