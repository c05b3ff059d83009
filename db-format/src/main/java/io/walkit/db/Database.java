package io.walkit.db;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A read-only SQLite database image over a {@link PageSource}: the header, b-tree pages, payloads
 * (local and overflow), and streaming scans of table and index b-trees in key order.
 *
 * <p>The database size is SQLite's {@code btreePagecount}: the header's size when trusted (non-zero
 * and change counter equal to version-valid-for), else the page source's size; a trusted header
 * size larger than the source's size is corrupt ({@code lockBtree}).
 *
 * <p>Bounds: a scan visits each page at most once (a page reached twice is corruption, reported as
 * {@link CorruptFileException}), descends at most {@link DbFormat#MAX_DEPTH} levels, reads each
 * overflow chain at most once per cell and stops it at its expected length; total work is linear in
 * the bytes of the pages reached, and memory is bounded by the database size (one bit per page) plus
 * the largest payload actually read.
 *
 * <p>Not thread-safe: the schema is cached lazily without synchronization; use one instance per
 * thread. The database owns its {@link PageSource}: {@link #close()} closes it.
 */
public final class Database implements AutoCloseable {

    private final PageSource pages;
    private final DatabaseHeader header;
    private final int pageSize;
    private final int usable;
    private final long pageCount;
    private final Charset charset;
    private Schema schema;

    private Database(PageSource pages, DatabaseHeader header, long pageCount) {
        this.pages = pages;
        this.header = header;
        this.pageSize = pages.pageSize();
        this.usable = header == null ? pageSize : header.usableSize();
        this.pageCount = pageCount;
        this.charset = Record.charsetOf(header == null ? 1 : header.textEncoding());
    }

    /**
     * Opens the image in {@code pages}, validating the header as {@code lockBtree} does. A source
     * of 0 pages gives an empty database with a {@code null} header.
     *
     * @param pages the page source to read; the returned database owns it and closes it (on failure
     *              the caller still owns it)
     * @return the opened database
     * @throws CorruptFileException when SQLite would refuse the file (bad magic, page size,
     *                              payload fractions, reserved bytes, read version, or a trusted
     *                              header size beyond the file)
     */
    public static Database open(PageSource pages) throws CorruptFileException {
        if (pages.pageCount() == 0) {
            return new Database(pages, null, 0);
        }
        DatabaseHeader h = DatabaseHeader.read(pages.page(1));
        for (DatabaseHeader.Problem p : h.validate()) {
            if (p.fatal()) {
                throw new CorruptFileException(pages.name(), pages.fileOffset(1, p.offset()), "database header", p.field(),
                        p.expected(), p.found());
            }
        }
        if (h.pageSize() != pages.pageSize()) {
            throw new CorruptFileException(pages.name(), pages.fileOffset(1, DbFormat.OFF_PAGE_SIZE), "database header",
                    "page size", "the page size the file is read with (" + pages.pageSize() + ")",
                    Integer.toString(h.pageSize()));
        }
        long n = h.databaseSizeTrusted() ? h.databaseSize() : pages.pageCount();
        if (n > pages.pageCount()) {
            throw new CorruptFileException(pages.name(), pages.fileOffset(1, DbFormat.OFF_DATABASE_SIZE), "database header",
                    "database size", "at most the " + pages.pageCount() + " pages present", Long.toString(n));
        }
        return new Database(pages, h, n);
    }

    /**
     * Opens {@code db} through {@code wal} as of commit {@code atCommit} (null: the last commit),
     * or the database file alone when {@code wal} is null. Everything is opened read-only.
     *
     * @param db       the database file
     * @param wal      its WAL, or {@code null} to read the database file alone
     * @param atCommit the number of WAL commits to apply (0: none, the file as it is on disk),
     *                 or {@code null} for all valid commits
     * @return the database; the caller closes it (which unmaps both files)
     * @throws IOException              when a file cannot be read, or {@link CorruptFileException}
     *                                  when the database header is refused or the WAL's page size
     *                                  differs from the database's
     * @throws IllegalArgumentException if {@code atCommit} is outside 0..the WAL's valid commits
     */
    public static Database open(Path db, Path wal, Integer atCommit) throws IOException {
        PageSource pages = openPages(db, wal, atCommit);
        try {
            return open(pages);
        } catch (IOException | RuntimeException e) {
            pages.close();
            throw e;
        }
    }

    /**
     * The page source {@link #open(Path, Path, Integer)} reads (read-only mappings; close it).
     *
     * @param db       the database file
     * @param wal      its WAL, or {@code null} for the file alone
     * @param atCommit the number of WAL commits to apply, or {@code null} for all valid commits
     * @return the pages as of that commit; the caller closes them
     * @throws IOException              when a file cannot be read, or {@link CorruptFileException}
     *                                  when the WAL's page size differs from the database's
     * @throws IllegalArgumentException if {@code atCommit} is outside 0..the WAL's valid commits,
     *                                  or non-zero without a WAL
     */
    public static PageSource openPages(Path db, Path wal, Integer atCommit) throws IOException {
        ByteSource file = ByteSource.map(db);
        try {
            if (wal == null) {
                if (atCommit != null && atCommit != 0) {
                    throw new IllegalArgumentException("commit " + atCommit + " requested but there is no WAL");
                }
                return new FilePageSource(file, FilePageSource.pageSizeOf(file), true);
            }
            ByteSource walBytes = ByteSource.map(wal);
            try {
                WalScan scan = WalScanner.scan(walBytes);
                int commit = atCommit == null ? scan.commitCount() : atCommit;
                if (commit < 0 || commit > scan.commitCount()) {
                    throw new IllegalArgumentException("commit " + commit + " is outside 0.." + scan.commitCount()
                            + " (the WAL's valid commits)");
                }
                int pageSize;
                if (commit > 0) {
                    pageSize = scan.pageSize();
                    if (FileKind.of(file) == FileKind.SQLITE_DATABASE && file.size() >= DbFormat.HEADER_SIZE
                            && FilePageSource.pageSizeOf(file) != pageSize) {
                        // Page size cannot change in WAL mode: a WAL with another page size is another database's.
                        throw new CorruptFileException(file.name(), DbFormat.OFF_PAGE_SIZE, "database header", "page size",
                                "the WAL's page size " + pageSize, FilePageSource.pageSizeOf(file) + ": the WAL " + wal
                                + " does not belong to this database (use --no-wal to read the file alone)");
                    }
                } else {
                    pageSize = FilePageSource.pageSizeOf(file);
                }
                return new WalPageSource(new FilePageSource(file, pageSize, true), scan, commit);
            } catch (IOException | RuntimeException e) {
                walBytes.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * The {@code -wal} file beside {@code db} if it exists and is non-empty, else null.
     *
     * @param db the database file
     * @return the path of {@code db} + {@code "-wal"}, or {@code null}
     * @throws IOException when the WAL's size cannot be read
     */
    public static Path defaultWal(Path db) throws IOException {
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        return Files.isRegularFile(wal) && Files.size(wal) > 0 ? wal : null;
    }

    /**
     * The page source this database reads; owned by the database.
     *
     * @return the page source
     */
    public PageSource pages() { return pages; }

    /**
     * The decoded header, or {@code null} for an empty database (0 pages).
     *
     * @return the header, or {@code null}
     */
    public DatabaseHeader header() { return header; }

    /**
     * The page size in bytes (512..65536, a power of two).
     *
     * @return the page size
     */
    public int pageSize() { return pageSize; }

    /**
     * Usable bytes per page (page size − reserved bytes).
     *
     * @return the usable size
     */
    public int usableSize() { return usable; }

    /**
     * Database size in pages (SQLite: btreePagecount).
     *
     * @return the number of pages; valid page numbers are 1..this
     */
    public long pageCount() { return pageCount; }

    /**
     * The text charset from header offset 56 (UTF-8 for an empty database).
     *
     * @return the charset text values are decoded with
     */
    public Charset charset() { return charset; }

    /**
     * The name of the source, for messages (usually the file's path).
     *
     * @return the name
     */
    public String name() { return pages.name(); }

    /**
     * A new record decoder for this database's text encoding.
     *
     * @return a fresh, reusable decoder (not thread-safe)
     */
    public Record newRecord() { return new Record(charset); }

    /**
     * Page {@code pageNumber}.
     *
     * @param pageNumber the 1-based page number
     * @return the page's bytes (the page size), valid while the database is open
     * @throws CorruptFileException when {@code pageNumber} is outside 1..{@link #pageCount()}
     */
    public MemorySegment page(long pageNumber) throws CorruptFileException {
        if (pageNumber < 1 || pageNumber > pageCount) {
            throw new CorruptFileException(name(), 0, "page reference", "page number", "in 1.." + pageCount,
                    Long.toUnsignedString(pageNumber));
        }
        return pages.page(pageNumber);
    }

    /**
     * Page {@code pageNumber} decoded as a b-tree page, checked as {@code btreeInitPage} does.
     *
     * @param pageNumber the 1-based page number
     * @return the decoded page
     * @throws CorruptFileException when the page does not exist or its b-tree header is invalid
     */
    public BtreePage btreePage(long pageNumber) throws CorruptFileException {
        BtreePage p = new BtreePage(pageNumber, page(pageNumber), usable);
        String problem = p.headerProblem();
        if (problem != null) {
            throw corrupt(pageNumber, p.headerOffset(), "b-tree page " + pageNumber, "header",
                    "a valid b-tree page header", problem);
        }
        return p;
    }

    /**
     * A corruption report for byte {@code inPage} of page {@code pageNumber}; the file offset is
     * computed through the page source (so it points into the WAL when the page came from there).
     *
     * @param pageNumber the 1-based page number (out of range: offset 0, origin "no such page")
     * @param inPage     the byte offset within the page
     * @param structure  the structure, e.g. {@code "b-tree page 7"}
     * @param field      the field that is wrong
     * @param expected   what SQLite requires
     * @param found      what is there
     * @return the exception, for the caller to throw
     */
    public CorruptFileException corrupt(long pageNumber, int inPage, String structure, String field, String expected,
                                        String found) {
        long off = pageNumber >= 1 && pageNumber <= pages.pageCount() ? pages.fileOffset(pageNumber, inPage) : 0;
        return new CorruptFileException(name(), off, structure + " (" + originOf(pageNumber) + ")", field, expected, found);
    }

    private String originOf(long pageNumber) {
        return pageNumber >= 1 && pageNumber <= pages.pageCount() ? pages.origin(pageNumber) : "no such page";
    }

    /**
     * The schema (sqlite_schema), read once and cached.
     *
     * @return the schema
     * @throws CorruptFileException when the schema b-tree or one of its records is damaged
     */
    public Schema schema() throws CorruptFileException {
        if (schema == null) {
            schema = Schema.read(this);
        }
        return schema;
    }

    /** Receives table rows; the record is valid only during the call. Return false to stop. */
    @FunctionalInterface
    public interface RowVisitor {
        /**
         * Called once per row, in rowid order.
         *
         * @param rowid  the row's rowid
         * @param record the row's record, reused after the call returns
         * @return true to go on, false to stop the scan
         * @throws CorruptFileException when the visitor finds the record damaged
         */
        boolean row(long rowid, Record record) throws CorruptFileException;
    }

    /** Receives index (or WITHOUT ROWID) entries; the record is valid only during the call. */
    @FunctionalInterface
    public interface EntryVisitor {
        /**
         * Called once per entry, in key order.
         *
         * @param record the entry's record, reused after the call returns
         * @return true to go on, false to stop the scan
         * @throws CorruptFileException when the visitor finds the record damaged
         */
        boolean entry(Record record) throws CorruptFileException;
    }

    /**
     * Streams the rows of the table b-tree rooted at {@code root} in rowid order.
     *
     * @param root    the 1-based page number of the table's root page
     * @param visitor receives each row
     * @return false if the visitor stopped the scan
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public boolean scanTable(long root, RowVisitor visitor) throws CorruptFileException {
        return new Scan(root, true, new PayloadBuffer()).run(visitor, null);
    }

    /**
     * {@link #scanTable(long, RowVisitor)} assembling payloads in {@code buf} (whose chain the visitor may inspect).
     *
     * @param root    the 1-based page number of the table's root page
     * @param visitor receives each row
     * @param buf     the buffer overflowing payloads are assembled in
     * @return false if the visitor stopped the scan
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public boolean scanTable(long root, RowVisitor visitor, PayloadBuffer buf) throws CorruptFileException {
        return new Scan(root, true, buf).run(visitor, null);
    }

    /**
     * {@link #scanIndex(long, EntryVisitor)} assembling payloads in {@code buf}.
     *
     * @param root    the 1-based page number of the index's root page
     * @param visitor receives each entry
     * @param buf     the buffer overflowing payloads are assembled in
     * @return false if the visitor stopped the scan
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public boolean scanIndex(long root, EntryVisitor visitor, PayloadBuffer buf) throws CorruptFileException {
        return new Scan(root, false, buf).run(null, visitor);
    }

    /**
     * Receives the damage a tolerant scan stepped over: a subtree whose page could not be entered,
     * or a cell that could not be decoded. The scan goes on with the next sibling.
     */
    @FunctionalInterface
    public interface DamageListener {
        /**
         * Called once per skipped subtree or cell, with what was wrong there.
         *
         * @param damage the problem that made the scan skip (not thrown)
         */
        void skipped(CorruptFileException damage);
    }

    /**
     * Like {@link #scanTable(long, RowVisitor, PayloadBuffer)}, but a damaged child subtree or cell
     * is reported to {@code onDamage} and skipped instead of ending the scan (damage at the root
     * page still throws). What is skipped is never guessed at: its rows are simply absent.
     *
     * @param root     the 1-based page number of the table's root page
     * @param visitor  receives each row that could be read
     * @param buf      the buffer overflowing payloads are assembled in
     * @param onDamage receives each skipped subtree or cell
     * @return false if the visitor stopped the scan
     * @throws CorruptFileException when the root page itself is damaged
     */
    public boolean scanTable(long root, RowVisitor visitor, PayloadBuffer buf, DamageListener onDamage)
            throws CorruptFileException {
        Scan scan = new Scan(root, true, buf);
        scan.onDamage = onDamage;
        return scan.run(visitor, null);
    }

    /**
     * The tolerant form of {@link #scanIndex(long, EntryVisitor, PayloadBuffer)}; see {@link #scanTable(long, RowVisitor, PayloadBuffer, DamageListener)}.
     *
     * @param root     the 1-based page number of the index's root page
     * @param visitor  receives each entry that could be read
     * @param buf      the buffer overflowing payloads are assembled in
     * @param onDamage receives each skipped subtree or cell
     * @return false if the visitor stopped the scan
     * @throws CorruptFileException when the root page itself is damaged
     */
    public boolean scanIndex(long root, EntryVisitor visitor, PayloadBuffer buf, DamageListener onDamage)
            throws CorruptFileException {
        Scan scan = new Scan(root, false, buf);
        scan.onDamage = onDamage;
        return scan.run(null, visitor);
    }

    /**
     * Streams the entries of the index b-tree rooted at {@code root} in key order (for a WITHOUT
     * ROWID table: its rows in primary-key order).
     *
     * @param root    the 1-based page number of the index's root page
     * @param visitor receives each entry
     * @return false if the visitor stopped the scan
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public boolean scanIndex(long root, EntryVisitor visitor) throws CorruptFileException {
        return new Scan(root, false, new PayloadBuffer()).run(null, visitor);
    }

    /**
     * Finds {@code rowid} in the table rooted at {@code root} by descending the b-tree (binary
     * search on each page); calls {@code visitor} with the row if found.
     *
     * @param root    the 1-based page number of the table's root page
     * @param rowid   the rowid to find
     * @param visitor receives the row, if found (its return value is ignored)
     * @return whether the row exists
     * @throws CorruptFileException when a page on the path, the cell or its record is damaged, or
     *                              the descent exceeds {@link DbFormat#MAX_DEPTH}
     */
    public boolean findRowid(long root, long rowid, RowVisitor visitor) throws CorruptFileException {
        Cell cell = new Cell();
        Record record = newRecord();
        long pgno = root;
        PayloadBuffer buf = new PayloadBuffer();
        for (int depth = 0; depth <= DbFormat.MAX_DEPTH; depth++) {
            BtreePage page = btreePage(pgno);
            if (!page.isTable()) {
                throw corrupt(pgno, page.headerOffset(), "b-tree page " + pgno, "page type", "a table b-tree page",
                        BtreePage.typeName(page.type()));
            }
            int n = page.cellCount();
            if (page.isLeaf()) {
                int lo = 0;
                int hi = n - 1;
                while (lo <= hi) {
                    int mid = (lo + hi) >>> 1;
                    parseCell(page, mid, cell);
                    if (cell.key < rowid) {
                        lo = mid + 1;
                    } else if (cell.key > rowid) {
                        hi = mid - 1;
                    } else {
                        MemorySegment seg = payload(page, cell, buf);
                        long off = seg == page.data() ? cell.payloadOffset : 0;
                        checkRecord(record.parse(seg, off, cell.payloadSize), page, cell);
                        visitor.row(rowid, record);
                        return true;
                    }
                }
                return false;
            }
            // First divider with key >= rowid; its left child holds rowid.
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                parseCell(page, mid, cell);
                if (cell.key < rowid) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (lo < n) {
                parseCell(page, lo, cell);
                pgno = cell.leftChild;
            } else {
                pgno = page.rightChild();
            }
        }
        throw corrupt(root, 0, "b-tree " + root, "depth", "at most " + DbFormat.MAX_DEPTH, "more");
    }

    /**
     * Parses cell {@code i} of {@code page}, checking it lies inside the page (SQLite: cell bounds).
     *
     * @param page the b-tree page
     * @param i    the 0-based cell index, in 0..{@code page.cellCount() - 1}
     * @param cell receives the decoded cell
     * @throws CorruptFileException when the cell pointer or the cell's extent leaves the usable area
     */
    public void parseCell(BtreePage page, int i, Cell cell) throws CorruptFileException {
        int off = page.cellOffset(i);
        int first = page.cellPointerArrayEnd();
        if (off < first || off > usable - 4) {
            throw corrupt(page.pageNumber(), page.cellPointerArrayOffset() + 2 * i, "b-tree page " + page.pageNumber(),
                    "cell pointer " + i, "in " + first + ".." + (usable - 4), Integer.toString(off));
        }
        page.parseCell(off, cell);
        if (off + cell.size > usable) {
            throw corrupt(page.pageNumber(), off, "b-tree page " + page.pageNumber(), "cell " + i + " size",
                    "ending by the usable size " + usable, Integer.toString(off + cell.size));
        }
    }

    private void checkRecord(String problem, BtreePage page, Cell cell) throws CorruptFileException {
        if (problem != null) {
            throw corrupt(page.pageNumber(), cell.payloadOffset, "record in b-tree page " + page.pageNumber(),
                    "record", "a well-formed record", problem);
        }
    }

    /**
     * A growable buffer for payloads that spill onto overflow pages. Not thread-safe; reuse one per
     * scan. Nothing to close.
     */
    public static final class PayloadBuffer {
        byte[] bytes = new byte[0];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        /** Overflow pages of the last payload read, in chain order ({@link #chainLength} of them). */
        long[] chain = new long[8];
        int chainLength;
        int localSize;

        /** An empty buffer; it grows to the largest payload assembled in it. */
        public PayloadBuffer() {
        }

        /**
         * The overflow pages of the last payload assembled (empty when it was wholly local).
         *
         * @return a copy of the 1-based page numbers, in chain order
         */
        public long[] chain() {
            return java.util.Arrays.copyOf(chain, chainLength);
        }

        /**
         * Local bytes of the last payload.
         *
         * @return the number of payload bytes stored on the b-tree page itself
         */
        public int localSize() {
            return localSize;
        }

        void ensure(long n) {
            if (bytes.length < n) {
                bytes = java.util.Arrays.copyOf(bytes, (int) Math.max(n, Math.min(Integer.MAX_VALUE - 8L, bytes.length * 2L)));
                segment = MemorySegment.ofArray(bytes);
            }
        }
    }

    /**
     * The whole payload of {@code cell}: the page itself when the payload is local (read it at
     * {@code cell.payloadOffset}), else {@code buf}'s segment holding the payload at offset 0,
     * assembled from the overflow chain.
     *
     * @param page the b-tree page holding {@code cell}
     * @param cell the cell, as decoded by {@link #parseCell(BtreePage, int, Cell)}
     * @param buf  the buffer overflowing payloads are assembled in (its chain is set)
     * @return the segment holding the payload
     * @throws CorruptFileException for a chain that is too short, leaves the database, or repeats a page
     */
    public MemorySegment payload(BtreePage page, Cell cell, PayloadBuffer buf) throws CorruptFileException {
        buf.chainLength = 0;
        buf.localSize = cell.localSize;
        if (!cell.overflows()) {
            return page.data();
        }
        long total = cell.payloadSize;
        long expected = DbFormat.overflowPageCount(total, cell.localSize, usable);
        if (expected > pageCount) {
            throw corrupt(page.pageNumber(), cell.offset, "cell in b-tree page " + page.pageNumber(), "payload size",
                    "at most what " + pageCount + " pages hold", Long.toString(total));
        }
        int chunk = usable - 4;
        buf.ensure(Math.min(total, cell.localSize + (long) chunk * 4));
        MemorySegment.copy(page.data(), ValueLayout.JAVA_BYTE, cell.payloadOffset, buf.bytes, 0, cell.localSize);
        long have = cell.localSize;
        long next = cell.overflowPage;
        LongOpenHashSet seen = expected > 1 ? new LongOpenHashSet() : null;
        long prev = page.pageNumber();
        while (have < total) {
            if (next < 1 || next > pageCount) {
                throw corrupt(prev, 0, "overflow chain of cell at offset " + cell.offset + " of page " + page.pageNumber(),
                        "next overflow page", "in 1.." + pageCount, Long.toString(next));
            }
            if (seen != null && !seen.add(next)) {
                throw corrupt(next, 0, "overflow chain of cell at offset " + cell.offset + " of page " + page.pageNumber(),
                        "next overflow page", "a page not already in the chain", Long.toString(next));
            }
            MemorySegment ov = pages.page(next);
            if (buf.chainLength == buf.chain.length) {
                buf.chain = java.util.Arrays.copyOf(buf.chain, buf.chainLength * 2);
            }
            buf.chain[buf.chainLength++] = next;
            int n = (int) Math.min(chunk, total - have);
            buf.ensure(have + n);
            MemorySegment.copy(ov, ValueLayout.JAVA_BYTE, 4, buf.bytes, (int) have, n);
            have += n;
            prev = next;
            next = ov.get(ByteSource.INT_BE, 0) & 0xFFFF_FFFFL;
        }
        return buf.segment;
    }

    /** Iterative in-order b-tree walk with a visited set and a depth bound. */
    final class Scan {
        private final long root;
        private final boolean table;
        private final PageSet visited;
        private final BtreePage[] stack = new BtreePage[DbFormat.MAX_DEPTH + 1];
        private final int[] next = new int[DbFormat.MAX_DEPTH + 1];
        private final Cell cell = new Cell();
        private final Record record = newRecord();
        private final PayloadBuffer buf;
        /** Null: damage throws; else damage below the root is reported here and skipped. */
        DamageListener onDamage;
        /** The stack depth; −2 before the first {@link #run}, −1 when done. A stopped scan resumes where it stopped. */
        private int depth = -2;

        Scan(long root, boolean table, PayloadBuffer buf) {
            this.root = root;
            this.table = table;
            this.buf = buf;
            this.visited = new PageSet(pageCount);
        }

        private BtreePage enter(long pgno, long parent) throws CorruptFileException {
            if (pgno < 1 || pgno > pageCount) {
                throw corrupt(parent, 0, "b-tree " + root, "child page of page " + parent, "in 1.." + pageCount,
                        Long.toUnsignedString(pgno));
            }
            if (!visited.add(pgno)) {
                throw corrupt(pgno, 0, "b-tree " + root, "page " + pgno, "referenced once", "a second reference (cycle or shared page)");
            }
            BtreePage p = btreePage(pgno);
            if (p.isTable() != table) {
                throw corrupt(pgno, p.headerOffset(), "b-tree " + root, "page type of page " + pgno,
                        table ? "a table b-tree page" : "an index b-tree page", BtreePage.typeName(p.type()));
            }
            return p;
        }

        boolean run(RowVisitor rows, EntryVisitor entries) throws CorruptFileException {
            if (depth == -2) {
                stack[0] = enter(root, root);
                next[0] = 0;
                depth = 0;
            }
            while (depth >= 0) {
                BtreePage page = stack[depth];
                int i = next[depth];
                int n = page.cellCount();
                if (page.isLeaf()) {
                    for (; i < n; i++) {
                        next[depth] = i + 1;
                        boolean more;
                        try {
                            more = emit(page, i, rows, entries);
                        } catch (CorruptFileException e) {
                            if (onDamage == null) {
                                throw e;
                            }
                            onDamage.skipped(e);
                            more = true;
                        }
                        if (!more) {
                            return false;
                        }
                    }
                    depth--;
                    continue;
                }
                // Interior: position 2k = descend into child k (k = n is the right child),
                // position 2k+1 = the divider cell k itself (index b-trees only).
                if (i > 2 * n) {
                    depth--;
                    continue;
                }
                next[depth] = i + 1;
                if ((i & 1) == 1) {
                    if (!table) {
                        boolean more;
                        try {
                            more = emit(page, i >>> 1, rows, entries);
                        } catch (CorruptFileException e) {
                            if (onDamage == null) {
                                throw e;
                            }
                            onDamage.skipped(e);
                            more = true;
                        }
                        if (!more) {
                            return false;
                        }
                    }
                    continue;
                }
                int k = i >>> 1;
                BtreePage child;
                try {
                    long childPage;
                    if (k < n) {
                        parseCell(page, k, cell);
                        childPage = cell.leftChild;
                    } else {
                        childPage = page.rightChild();
                    }
                    if (depth + 1 > DbFormat.MAX_DEPTH) {
                        throw corrupt(page.pageNumber(), 0, "b-tree " + root, "depth", "at most " + DbFormat.MAX_DEPTH,
                                "deeper");
                    }
                    child = enter(childPage, page.pageNumber());
                } catch (CorruptFileException e) {
                    if (onDamage == null) {
                        throw e;
                    }
                    onDamage.skipped(e);
                    continue;
                }
                stack[++depth] = child;
                next[depth] = 0;
            }
            return true;
        }

        private boolean emit(BtreePage page, int i, RowVisitor rows, EntryVisitor entries) throws CorruptFileException {
            parseCell(page, i, cell);
            MemorySegment seg = payload(page, cell, buf);
            long off = seg == page.data() ? cell.payloadOffset : 0;
            checkRecord(record.parse(seg, off, cell.payloadSize), page, cell);
            return rows != null ? rows.row(cell.key, record) : entries.entry(record);
        }
    }

    /**
     * A resumable in-order walk of the b-tree rooted at {@code root} (a table b-tree when
     * {@code table}): each {@link Scan#run} call continues after the cell where the previous one's
     * visitor returned false. For pull-style readers ({@link Evidence}).
     */
    Scan cursor(long root, boolean table) {
        return new Scan(root, table, new PayloadBuffer());
    }

    @Override
    public void close() {
        pages.close();
    }
}
