package io.walkit.db;

import io.walkit.io.CorruptFileException;
import io.walkit.io.Problem;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SQLite's {@code PRAGMA integrity_check} re-implemented over a {@link Database}: the b-tree
 * level of {@code sqlite3BtreeIntegrityCheck} (page accounting, freelist, pointer map, per-page
 * header, cell bounds, rowid order, overflow chains, depth, byte coverage and fragmentation) and
 * the row level of {@code pragma.c} (record format, NOT NULL, type affinity checks, index entry
 * counts, rows missing from indexes, UNIQUE duplicates). Messages use SQLite's own templates and,
 * as in SQLite 3.50, the row level runs after the b-tree level whatever that found: first the index
 * entry counts the b-tree walk took ({@code aCnt[]} of {@code sqlite3BtreeIntegrityCheck}), then one
 * scan per table in schema-hash order, which the first unreadable structure ends (SQLite's
 * statement fails there with SQLITE_CORRUPT).
 *
 * <p>Not checked (documented gaps): CHECK constraints, partial-index WHERE clauses (their counts
 * and memberships are skipped), expression index membership (counts are still checked),
 * non-BINARY collation differences, WITHOUT ROWID key order.
 *
 * <p>Bounds: every page is visited at most once (a bitmap of the database size records
 * references, as SQLite's {@code aPgRef}); recursion depth is at most {@link #MAX_TREE_DEPTH};
 * each overflow or freelist chain stops at its first repeated page; total time is linear in the
 * database size plus the row data; memory is one bit per page plus one exact byte key
 * ({@link IndexKeys}) per index entry of the indexes of one table. Never throws for a damaged file:
 * every impossibility becomes a {@link Problem} (codes in {@link IntegrityCode}).
 */
public final class IntegrityCheck {

    /** Recursion bound for b-tree descent; SQLite's cursors already fail beyond 20 levels. */
    public static final int MAX_TREE_DEPTH = 64;

    /**
     * The outcome: {@link #ok()} iff no problems were found. Each problem has an {@link IntegrityCode},
     * a {@link Problem.Position.Page} or {@link Problem.Position.InPage} position, SQLite's prefix as its
     * structure ({@code Tree 2 page 5 cell 3}, {@code Freelist}, or none), and {@link Problem#text()}
     * is the line SQLite's {@code PRAGMA integrity_check} prints. Immutable.
     *
     * @param problems  the problems, in SQLite's order (a defensive copy is kept)
     * @param truncated whether more problems were found than the limit allowed
     */
    public record Report(List<Problem> problems, boolean truncated) {
        /** Keeps an unmodifiable copy of the list. */
        public Report {
            problems = List.copyOf(problems);
        }

        /**
         * The report for a database that cannot be opened at all.
         *
         * @param e why it cannot be opened
         * @return a report with that one problem
         */
        public static Report unreadable(CorruptFileException e) {
            return new Report(List.of(Problem.of(IntegrityCode.DATABASE_UNREADABLE, e)), false);
        }

        /**
         * Whether the database passed.
         *
         * @return true iff there are no problems
         */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Database db;
    private final int usable;
    private final long nPage;
    private final boolean autoVacuum;
    private final int maxProblems;
    private final List<Problem> problems = new ArrayList<>();
    private boolean truncated;
    private PageSet refs;
    /** SQLite's nRow: entries counted in the tree being walked (leaf cells, and interior cells of an index). */
    private long nRow;
    private final Cell cell = new Cell();

    // SQLite's zPfx / v0 / v1 / v2.
    private String pfx = "";
    private long v0;
    private long v1;
    private long v2;

    private IntegrityCheck(Database db, int maxProblems) {
        this.db = db;
        this.usable = db.usableSize();
        this.nPage = db.pageCount();
        this.autoVacuum = db.header() != null && db.header().autoVacuum();
        this.maxProblems = maxProblems;
    }

    /** Checks the image in {@code pages}, reporting at most {@code maxProblems} problems (SQLite: 100). */
    public static Report check(PageSource pages, int maxProblems) {
        Database db;
        try {
            db = Database.open(pages);
        } catch (CorruptFileException e) {
            return Report.unreadable(e);
        }
        return check(db, maxProblems);
    }

    /** Checks {@code db}. */
    public static Report check(Database db, int maxProblems) {
        IntegrityCheck c = new IntegrityCheck(db, maxProblems);
        c.run();
        return new Report(List.copyOf(c.problems), c.truncated);
    }

    private boolean full() {
        return problems.size() >= maxProblems;
    }

    private void report(IntegrityCode code, long page, int offset, String field, String expected, String found) {
        report(code, page, offset, field, expected, found, null);
    }

    private void report(IntegrityCode code, long page, int offset, String field, String expected, String found,
                        String detail) {
        if (full()) {
            truncated = true;
            return;
        }
        String structure = switch (pfx) {
            case "tree" -> "Tree " + v0 + " page " + v1;
            case "cell" -> "Tree " + v0 + " page " + v1 + " cell " + v2;
            case "right" -> "Tree " + v0 + " page " + v1 + " right child";
            case "freelist" -> "Freelist";
            default -> "";
        };
        Problem.Position position = offset >= 0 ? new Problem.Position.InPage(page, offset) : new Problem.Position.Page(page);
        add(new Problem(Problem.Severity.ERROR, code, null, position, structure, field, expected, found, detail));
    }

    private void add(Problem p) {
        if (full()) {
            truncated = true;
            return;
        }
        problems.add(p);
    }

    private void run() {
        if (nPage == 0) {
            return;
        }
        List<RootOrder.Tree> trees = List.of(new RootOrder.Tree(null, null, 1L));
        Schema schema = null;
        try {
            schema = db.schema();
            trees = RootOrder.trees(schema);
        } catch (CorruptFileException e) {
            pfx = "";
            report(IntegrityCode.SCHEMA_UNREADABLE, 1, -1, null, null, e.getMessage());
        }
        if (schema != null) {
            for (Problem p : SchemaCheck.problems(schema, nPage)) {
                // SQLite refuses to load such a schema: every statement fails with SQLITE_CORRUPT.
                add(p);
            }
        }
        long[] counts = btreeLevel(trees);
        if (schema != null) {
            // pragma.c runs these whatever the b-tree level found: first the entry counts the b-tree
            // walk took, then one scan per table (stopped, like SQLite's statement, by the first
            // structure the scan cannot read).
            entryCounts(schema, trees, counts);
            rowLevel(schema);
        }
    }

    /**
     * pragma.c's "wrong # of entries in index": each full (non-partial) index's entry count from
     * the b-tree walk must equal its table's (for WITHOUT ROWID, its primary-key index's).
     */
    private void entryCounts(Schema schema, List<RootOrder.Tree> trees, long[] counts) {
        pfx = "";
        for (int i = 0; i < trees.size() && !full(); i++) {
            RootOrder.Tree tree = trees.get(i);
            if (tree.index() == null) {
                continue;
            }
            long want = -1;
            for (int k = 0; k < trees.size(); k++) {
                RootOrder.Tree other = trees.get(k);
                if (other.table() == tree.table() && other.index() == null) {
                    want = counts[k];
                }
            }
            IndexInfo ii;
            try {
                ii = schema.index(tree.index());
            } catch (RuntimeException e) {
                ii = null;
            }
            if (ii != null && ii.partial()) {
                continue;
            }
            if (want >= 0 && counts[i] >= 0 && counts[i] != want) {
                report(IntegrityCode.INDEX_ENTRY_COUNT, tree.root(), -1, tree.index().name(), Long.toString(want),
                        Long.toString(counts[i]));
            }
        }
    }

    // ---------------------------------------------------------------- b-tree level

    /** Returns each tree's entry count (SQLite's aCnt[], −1 where the walk stopped before it). */
    private long[] btreeLevel(List<RootOrder.Tree> trees) {
        long[] counts = new long[trees.size()];
        Arrays.fill(counts, -1);
        refs = new PageSet(nPage);
        long lockPage = DbFormat.lockBytePage(db.pageSize());
        if (lockPage <= nPage) {
            refs.add(lockPage);
        }
        DatabaseHeader h = db.header();
        pfx = "freelist";
        checkList(true, h.firstFreelistTrunk(), h.freelistCount());
        pfx = "";
        if (autoVacuum) {
            long mx = 0;
            for (RootOrder.Tree t : trees) {
                mx = Math.max(mx, t.root());
            }
            if (mx != h.largestRootPage()) {
                report(IntegrityCode.MAX_ROOTPAGE, 1, DbFormat.OFF_LARGEST_ROOT_PAGE, "largest root b-tree page", Long.toString(mx),
                        Long.toString(h.largestRootPage()));
            }
        } else if (h.incrementalVacuum() != 0) {
            report(IntegrityCode.INCREMENTAL_VACUUM, 1, DbFormat.OFF_INCREMENTAL_VACUUM, "incremental-vacuum mode", "0",
                    Long.toString(h.incrementalVacuum()));
        }
        for (int t = 0; t < trees.size(); t++) {
            if (full()) {
                break;
            }
            long root = trees.get(t).root();
            nRow = 0;
            counts[t] = 0;
            if (root == 0) {
                continue;
            }
            pfx = "";
            if (autoVacuum && root > 1) {
                checkPtrmap(root, DbFormat.PTRMAP_ROOTPAGE, 0);
            }
            v0 = root;
            checkTreePage(root, new long[1], Long.MAX_VALUE, 0);
            counts[t] = nRow;
        }
        pfx = "";
        for (long i = 1; i <= nPage && !full(); i++) {
            boolean isPtrmap = autoVacuum && DbFormat.ptrmapPageFor(i, usable, db.pageSize()) == i;
            boolean referenced = refs.contains(i);
            if (!referenced && !isPtrmap) {
                report(IntegrityCode.PAGE_NEVER_USED, i, -1, null, null, Long.toString(i));
            }
            if (referenced && isPtrmap) {
                report(IntegrityCode.PTRMAP_PAGE_REFERENCED, i, -1, null, null, Long.toString(i));
            }
        }
        return counts;
    }

    /** SQLite's checkRef: true if the page is invalid or already referenced. */
    private boolean checkRef(long page) {
        if (page > nPage || page < 1) {
            report(IntegrityCode.INVALID_PAGE_NUMBER, page, -1, "page number", "1.." + nPage,
                    Long.toUnsignedString(page & 0xFFFF_FFFFL));
            return true;
        }
        if (!refs.add(page)) {
            report(IntegrityCode.PAGE_REFERENCED_TWICE, page, -1, null, null, Long.toString(page));
            return true;
        }
        return false;
    }

    private void checkPtrmap(long child, int type, long parent) {
        long map = DbFormat.ptrmapPageFor(child, usable, db.pageSize());
        long offset = 5 * (child - map - 1);
        if (map == 0 || map > 0xFFFF_FFFEL || offset < 0) {
            report(IntegrityCode.PTRMAP_UNREADABLE, child, -1, "key=" + child, null, null);
            return;
        }
        int gotType = 0;
        long gotParent = 0;
        if (map <= nPage) {
            // Pages beyond the database size read as zeros in SQLite's pager.
            PointerMapPage e = PointerMapPage.entry(db.pages().page(map), map, child);
            if (e != null) {
                gotType = e.type();
                gotParent = e.parent();
            }
        }
        if (gotType < DbFormat.PTRMAP_ROOTPAGE || gotType > DbFormat.PTRMAP_BTREE) {
            // ptrmapGet fails (SQLITE_CORRUPT) on a type outside 1..5, and checkPtrmap says so.
            report(IntegrityCode.PTRMAP_UNREADABLE, map, (int) offset, "key=" + child, "a type in 1..5", Integer.toString(gotType));
            return;
        }
        if (gotType != type || gotParent != parent) {
            report(IntegrityCode.BAD_PTRMAP_ENTRY, map, (int) offset, "key=" + child, "(" + type + "," + parent + ")",
                    "(" + gotType + "," + gotParent + ")");
        }
    }

    /** SQLite's checkList: a freelist (trunks and leaves) or an overflow chain of {@code n} pages. */
    private void checkList(boolean freelist, long page, long n) {
        long expected = n;
        int errorsAtStart = problems.size();
        n &= 0xFFFF_FFFFL;
        while (page != 0 && !full()) {
            if (checkRef(page)) {
                break;
            }
            n = (n - 1) & 0xFFFF_FFFFL;
            MemorySegment data = db.pages().page(page);
            FreelistTrunkPage trunk = FreelistTrunkPage.read(page, data);
            long next = trunk.next();
            if (freelist) {
                long leaves = trunk.leafCount();
                if (autoVacuum) {
                    checkPtrmap(page, DbFormat.PTRMAP_FREEPAGE, 0);
                }
                if (leaves > FreelistTrunkPage.maxLeaves(usable)) {
                    report(IntegrityCode.FREELIST_LEAF_COUNT, page, 4, "leaf count", "at most " + FreelistTrunkPage.maxLeaves(usable),
                            Long.toString(leaves));
                    n = (n - 1) & 0xFFFF_FFFFL;
                } else {
                    for (int i = 0; i < leaves; i++) {
                        long leaf = FreelistTrunkPage.leaf(data, i);
                        if (autoVacuum) {
                            checkPtrmap(leaf, DbFormat.PTRMAP_FREEPAGE, 0);
                        }
                        checkRef(leaf);
                    }
                    n = (n - leaves) & 0xFFFF_FFFFL;
                }
            } else if (autoVacuum && n > 0) {
                checkPtrmap(next, DbFormat.PTRMAP_OVERFLOW2, page);
            }
            page = next;
        }
        if (n != 0 && errorsAtStart == problems.size()) {
            report(IntegrityCode.LIST_LENGTH, page, -1, freelist ? "size" : "overflow list length", Long.toString(expected),
                    Long.toString((expected - n) & 0xFFFF_FFFFL));
        }
    }

    /**
     * SQLite's checkTreePage: checks page {@code iPage} and its subtree; returns the depth (0 for a
     * leaf) and stores the subtree's smallest rowid in {@code minKey[0]}.
     */
    private int checkTreePage(long iPage, long[] minKey, long maxKey, int level) {
        if (iPage == 0) {
            return 0;
        }
        if (checkRef(iPage)) {
            return 0;
        }
        String savedPfx = pfx;
        long savedV1 = v1;
        long savedV2 = v2;
        pfx = "tree";
        v1 = iPage;
        int depth = -1;
        try {
            if (level > MAX_TREE_DEPTH) {
                report(IntegrityCode.TREE_TOO_DEEP, iPage, -1, "depth", "at most " + MAX_TREE_DEPTH, Integer.toString(level));
                return 0;
            }
            BtreePage page = new BtreePage(iPage, db.pages().page(iPage), usable);
            String hp = page.headerProblem();
            if (hp != null) {
                report(IntegrityCode.BAD_PAGE_HEADER, iPage, page.headerOffset(), null, null, null, hp);
                return 0;
            }
            if (page.computeFreeSpace() < 0) {
                report(IntegrityCode.FREE_SPACE, iPage, page.headerOffset() + 1, null, null, null);
                return 0;
            }
            pfx = "cell";
            int contentOffset = page.contentStart();
            int nCell = page.cellCount();
            if (page.isLeaf() || !page.isTable()) {
                nRow += nCell;
            }
            int cellStart = page.cellPointerArrayOffset();
            boolean keyCanBeEqual = true;
            boolean doCoverage = true;
            long[] heap = new long[nCell + 8];
            int heapSize = 0;
            if (!page.isLeaf()) {
                long right = page.rightChild();
                if (autoVacuum) {
                    pfx = "right";
                    checkPtrmap(right, DbFormat.PTRMAP_BTREE, iPage);
                }
                long[] sub = {maxKey};
                depth = checkTreePage(right, sub, maxKey, level + 1);
                maxKey = sub[0];
                keyCanBeEqual = false;
                // In an auto-vacuum file SQLite's zPfx stays "Tree %u page %u right child: " for the
                // whole cell loop of an interior page (checkTreePage never resets it), so its cell
                // problems name "right child", not the cell.
            }
            for (int i = nCell - 1; i >= 0 && !full(); i--) {
                v2 = i;
                int pc = page.u16(cellStart + 2 * i);
                if (pc < contentOffset || pc > usable - 4) {
                    report(IntegrityCode.CELL_OFFSET_RANGE, iPage, cellStart + 2 * i, "cell pointer",
                            contentOffset + ".." + (usable - 4), Integer.toString(pc));
                    doCoverage = false;
                    continue;
                }
                page.parseCell(pc, cell);
                if (pc + cell.size > usable) {
                    report(IntegrityCode.CELL_EXTENDS_OFF_PAGE, iPage, pc, "cell end", "at most " + usable, Long.toString(pc + cell.size));
                    doCoverage = false;
                    continue;
                }
                if (page.isTable()) {
                    if (keyCanBeEqual ? cell.key > maxKey : cell.key >= maxKey) {
                        report(IntegrityCode.ROWID_ORDER, iPage, pc, "rowid", (keyCanBeEqual ? "at most " : "below ") + maxKey,
                                Long.toString(cell.key));
                    }
                    maxKey = cell.key;
                    keyCanBeEqual = false;
                }
                if (cell.payloadSize > cell.localSize) {
                    long nOvfl = DbFormat.overflowPageCount(cell.payloadSize, cell.localSize, usable);
                    long first = page.u32(pc + cell.size - 4);
                    if (autoVacuum) {
                        checkPtrmap(first, DbFormat.PTRMAP_OVERFLOW1, iPage);
                    }
                    checkList(false, first, nOvfl);
                }
                if (!page.isLeaf()) {
                    long child = page.u32(pc);
                    if (autoVacuum) {
                        checkPtrmap(child, DbFormat.PTRMAP_BTREE, iPage);
                    }
                    long[] sub = {maxKey};
                    int d2 = checkTreePage(child, sub, maxKey, level + 1);
                    maxKey = sub[0];
                    keyCanBeEqual = false;
                    if (d2 != depth) {
                        v2 = i;
                        report(IntegrityCode.CHILD_DEPTH, iPage, pc, "depth", Integer.toString(depth), Integer.toString(d2));
                        depth = d2;
                    }
                } else {
                    heap[heapSize++] = ((long) pc << 16) | (pc + cell.size - 1);
                }
            }
            minKey[0] = maxKey;
            pfx = "";
            if (doCoverage && !full()) {
                if (!page.isLeaf()) {
                    heapSize = 0;
                    for (int i = nCell - 1; i >= 0; i--) {
                        int pc = page.u16(cellStart + 2 * i);
                        int size = page.cellSize(pc, cell);
                        heap[heapSize++] = ((long) pc << 16) | (pc + size - 1);
                    }
                }
                int fb = page.firstFreeblock();
                // The chain was validated by computeFreeSpace: ascending and inside the page.
                while (fb > 0) {
                    int size = page.u16(fb + 2);
                    if (heapSize == heap.length) {
                        heap = Arrays.copyOf(heap, heap.length * 2);
                    }
                    heap[heapSize++] = ((long) fb << 16) | (fb + size - 1);
                    fb = page.u16(fb);
                }
                Arrays.sort(heap, 0, heapSize);
                long nFrag = 0;
                long prev = contentOffset - 1;
                boolean drained = true;
                for (int k = 0; k < heapSize; k++) {
                    long x = heap[k];
                    if ((prev & 0xFFFF) >= (x >>> 16)) {
                        report(IntegrityCode.MULTIPLE_USES, iPage, (int) (x >>> 16), null, null, Long.toString(x >>> 16));
                        drained = false;
                        break;
                    }
                    nFrag += (x >>> 16) - (prev & 0xFFFF) - 1;
                    prev = x;
                }
                if (drained) {
                    nFrag += usable - (prev & 0xFFFF) - 1;
                    if (nFrag != page.fragmentedBytes()) {
                        report(IntegrityCode.FRAGMENTATION, iPage, page.headerOffset() + DbFormat.BTREE_OFF_FRAGMENTED,
                                "fragmented free bytes", Long.toString(nFrag), Integer.toString(page.fragmentedBytes()));
                    }
                }
            }
            return depth + 1;
        } finally {
            pfx = savedPfx;
            v1 = savedV1;
            v2 = savedV2;
        }
    }

    // ---------------------------------------------------------------- row level

    /**
     * pragma.c's per-table scan, tables in schema-hash order and indexes in {@code pTab->pIndex}
     * order. The first structure a scan cannot read ends the row level, as SQLITE_CORRUPT ends
     * SQLite's statement; it becomes a problem only when nothing else was found (so that the
     * verdict stays "not ok").
     */
    private void rowLevel(Schema schema) {
        pfx = "";
        for (SchemaEntry t : RootOrder.tables(schema)) {
            if (full()) {
                return;
            }
            if (t == null || t.rootPage() <= 1) {
                continue;
            }
            TableInfo info;
            try {
                info = schema.table(t);
            } catch (RuntimeException e) {
                continue;
            }
            if (!tableRows(schema, t, info)) {
                return;
            }
        }
    }

    /** Reports a problem that stops SQLite's statement; false (stop) always. */
    private boolean abort(IntegrityCode code, long page, String field, String found) {
        if (problems.isEmpty()) {
            report(code, page, -1, field, null, found);
        }
        return false;
    }

    /** The row checks of table {@code t}; false if the scan stopped SQLite's statement. */
    private boolean tableRows(Schema schema, SchemaEntry t, TableInfo info) {
        List<SchemaEntry> idxEntries = RootOrder.indexes(schema, t);
        List<IndexInfo> indexes = new ArrayList<>();
        List<IndexKeys.Set> keys = new ArrayList<>();
        IndexKeys.Builder kb = new IndexKeys.Builder();
        IndexKeys.Builder prev = new IndexKeys.Builder();
        for (SchemaEntry ix : idxEntries) {
            IndexInfo ii;
            try {
                ii = schema.index(ix);
            } catch (RuntimeException e) {
                ii = null;
            }
            indexes.add(ii);
            IndexKeys.Set set = ii != null && ii.plainColumns() && (!ii.partial() || ii.whereNotNull() != null)
                    ? new IndexKeys.Set() : null;
            try {
                boolean[] hasPrev = {false};
                int nKey = ii == null ? 0 : ii.columns().length;
                boolean unique = ii != null && ii.unique();
                db.scanIndex(ix.rootPage(), r -> {
                    if (set != null) {
                        kb.reset();
                        for (int i = 0; i < r.columnCount(); i++) {
                            kb.column(r, i);
                        }
                        set.add(kb);
                    }
                    if (unique && nKey > 0) {
                        boolean anyNull = false;
                        for (int k = 0; k < nKey && k < r.columnCount(); k++) {
                            anyNull |= r.isNull(k);
                        }
                        if (anyNull) {
                            hasPrev[0] = false;
                        } else {
                            kb.reset();
                            for (int i = 0, n = Math.min(nKey, r.columnCount()); i < n; i++) {
                                kb.column(r, i);
                            }
                            if (hasPrev[0] && kb.sameAs(prev)) {
                                report(IntegrityCode.NON_UNIQUE, ix.rootPage(), -1, ix.name(), null, null);
                            }
                            prev.copyFrom(kb);
                            hasPrev[0] = true;
                        }
                    }
                    return !full();
                });
            } catch (CorruptFileException e) {
                return abort(IntegrityCode.SCAN_STOPPED, ix.rootPage(), "index " + ix.name(), e.getMessage());
            }
            keys.add(set);
        }
        long[] rows = {0};
        Database.PayloadBuffer buf = new Database.PayloadBuffer();
        boolean[] shortRead = {false};
        try {
            TableReader reader = new TableReader(db, t, info);
            reader.scanRecords((rowid, v, record) -> {
                rows[0]++;
                if (buf.chainLength > 0 && directReadFails(info, indexes, v, record, buf)) {
                    abort(IntegrityCode.SHORT_READ, t.rootPage(), t.name(), Long.toString(rowid));
                    shortRead[0] = true;
                    return false;
                }
                checkRow(t, info, rowid, v);
                for (int k = 0; k < indexes.size(); k++) {
                    IndexInfo ii = indexes.get(k);
                    Boolean in = ii == null ? null : ii.covers(v);
                    IndexKeys.Set set = keys.get(k);
                    if (set != null && Boolean.TRUE.equals(in) && !set.contains(tableKey(kb, info, ii, rowid, v))) {
                        // SQLite's N is the row's 1-based position in the table scan (pragma.c's register 7), not its rowid.
                        report(IntegrityCode.ROW_MISSING_FROM_INDEX, t.rootPage(), -1, ii.name(), null, Long.toString(rows[0]));
                    }
                }
                return !full();
            }, buf);
        } catch (CorruptFileException e) {
            return abort(IntegrityCode.SCAN_STOPPED, t.rootPage(), "table " + t.name(), e.getMessage());
        }
        return !shortRead[0];
    }

    /**
     * Whether SQLite's row checks would read a column whose content continues onto an overflow
     * page the file does not wholly hold. SQLite reads the content of indexed columns and of text in
     * numeric columns with {@code accessPayload}, which fetches every overflow page after the first
     * one it touches straight from the file ({@code SQLITE_DIRECT_OVERFLOW_READ}: the 4-byte link
     * plus the bytes needed); a short read there fails the whole pragma.
     */
    private boolean directReadFails(TableInfo info, List<IndexInfo> indexes, Object[] v, Record record,
                                    Database.PayloadBuffer buf) {
        List<Column> cols = info.columns();
        boolean[] read = new boolean[cols.size()];
        for (IndexInfo ii : indexes) {
            if (ii == null || Boolean.FALSE.equals(ii.covers(v))) {
                continue;
            }
            for (int c : ii.columns()) {
                if (c >= 0) {
                    read[c] = true;
                }
            }
        }
        if (!info.strict()) {
            for (int c = 0; c < cols.size(); c++) {
                if (cols.get(c).affinity().numeric() && v[c] instanceof String) {
                    read[c] = true;
                }
            }
        }
        int chunk = usable - 4;
        long local = buf.localSize;
        if (info.withoutRowid()) {
            // The primary-key order check (OP_IdxGT) compares whole index entries, loading the full payload.
            long total = record.length();
            for (int k = 0; k < buf.chainLength; k++) {
                long need = Math.min(chunk, total - local - (long) k * chunk);
                if (need > 0 && need + 4 > db.pages().directReadBytes(buf.chain[k])) {
                    return true;
                }
            }
        }
        for (int c = 0; c < cols.size(); c++) {
            int s = info.storageIndex(c);
            if (!read[c] || c == info.rowidAlias() || s < 0 || s >= record.columnCount()) {
                continue;
            }
            long start = record.bodyOffset(s);
            long end = s + 1 < record.columnCount() ? record.bodyOffset(s + 1) : start + Record.bodySize(record.serialType(s));
            if (end <= local || end <= start) {
                continue;
            }
            long firstIdx = start < local ? -1 : (start - local) / chunk;
            long lastIdx = (end - 1 - local) / chunk;
            for (long k = firstIdx + 1; k <= lastIdx && k < buf.chainLength; k++) {
                long pageStart = local + k * chunk;
                long need = Math.min(end, pageStart + chunk) - Math.max(start, pageStart);
                if (need + 4 > db.pages().directReadBytes(buf.chain[(int) k])) {
                    return true;
                }
            }
        }
        return false;
    }

    private void checkRow(SchemaEntry t, TableInfo info, long rowid, Object[] v) {
        List<Column> cols = info.columns();
        for (int c = 0; c < cols.size(); c++) {
            if (c == info.rowidAlias() || cols.get(c).virtual()) {
                continue;
            }
            Column col = cols.get(c);
            Object x = v[c];
            if (col.notNull() && x == null) {
                report(IntegrityCode.NULL_VALUE, t.rootPage(), -1, t.name() + "." + col.name(), "NOT NULL", "NULL");
                continue;
            }
            if (x == null) {
                continue;
            }
            if (info.strict()) {
                String type = col.declaredType().toUpperCase(java.util.Locale.ROOT);
                boolean ok = switch (type) {
                    case "INT", "INTEGER" -> x instanceof Long;
                    case "REAL" -> x instanceof Long || x instanceof Double;
                    case "TEXT" -> x instanceof String;
                    case "BLOB" -> x instanceof byte[];
                    default -> true;
                };
                if (!ok) {
                    report(IntegrityCode.STRICT_TYPE, t.rootPage(), -1, t.name() + "." + col.name(), type, typeName(x));
                }
            } else if (col.affinity() == Affinity.TEXT) {
                if (x instanceof Long || x instanceof Double) {
                    report(IntegrityCode.NUMERIC_IN_TEXT, t.rootPage(), -1, t.name() + "." + col.name(), "TEXT", typeName(x));
                }
            } else if (col.affinity().numeric() && x instanceof String s && Affinity.parseNumber(s) != null) {
                report(IntegrityCode.TEXT_IN_NUMERIC, t.rootPage(), -1, t.name() + "." + col.name(), "a number", "TEXT");
            }
        }
    }

    /** The index key a table row should have in {@code ii}, built in {@code kb}. */
    private static IndexKeys.Builder tableKey(IndexKeys.Builder kb, TableInfo info, IndexInfo ii, long rowid, Object[] v) {
        kb.reset();
        for (int c : ii.columns()) {
            kb.value(v[c]);
        }
        if (info.withoutRowid()) {
            for (int c : info.primaryKey()) {
                boolean present = false;
                for (int k : ii.columns()) {
                    present |= k == c;
                }
                if (!present) {
                    kb.value(v[c]);
                }
            }
        } else {
            kb.integer(rowid);
        }
        return kb;
    }

    private static String typeName(Object x) {
        return switch (x) {
            case Long l -> "INTEGER";
            case Double d -> "REAL";
            case String t -> "TEXT";
            case byte[] b -> "BLOB";
            default -> x.getClass().getSimpleName();
        };
    }
}
