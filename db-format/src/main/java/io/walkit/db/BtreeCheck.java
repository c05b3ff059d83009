package io.walkit.db;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * The b-tree level of the integrity check, as SQLite's {@code sqlite3BtreeIntegrityCheck} in
 * {@code btree.c}: page accounting ({@code checkRef}), the freelist and overflow chains
 * ({@code checkList}), pointer-map entries ({@code checkPtrmap}), and per tree page
 * ({@code checkTreePage}) the header, cell bounds, rowid order, child depth, byte coverage and
 * fragmentation; then pages never used. Problems carry SQLite's prefix ({@code zPfx}) as their
 * structure.
 *
 * <p>Bounds: every page is visited at most once (a bitmap of the database size, SQLite's
 * {@code aPgRef}); recursion depth is at most {@link IntegrityCheck#IntegrityCheck.MAX_TREE_DEPTH}; each chain stops
 * at its first repeated page. Not thread-safe; one per run.
 */
final class BtreeCheck {

    private final Database db;
    private final int usable;
    private final long nPage;
    private final boolean autoVacuum;
    private final CheckProblems problems;
    private PageSet refs;
    /** SQLite's nRow: entries counted in the tree being walked (leaf cells, and interior cells of an index). */
    private long nRow;
    private final Cell cell = new Cell();

    // SQLite's zPfx / v0 / v1 / v2.
    private String pfx = "";
    private long v0;
    private long v1;
    private long v2;

    BtreeCheck(Database db, CheckProblems problems) {
        this.db = db;
        this.usable = db.usableSize();
        this.nPage = db.pageCount();
        this.autoVacuum = db.header() != null && db.header().autoVacuum();
        this.problems = problems;
    }

    private boolean full() {
        return problems.full();
    }

    private void report(IntegrityCode code, long page, int offset, String field, String expected, String found) {
        report(code, page, offset, field, expected, found, null);
    }

    private void report(IntegrityCode code, long page, int offset, String field, String expected, String found,
                        String detail) {
        String structure = switch (pfx) {
            case "tree" -> "Tree " + v0 + " page " + v1;
            case "cell" -> "Tree " + v0 + " page " + v1 + " cell " + v2;
            case "right" -> "Tree " + v0 + " page " + v1 + " right child";
            case "freelist" -> "Freelist";
            default -> null;
        };
        problems.add(code, structure, page, offset, field, expected, found, detail);
    }

    /** Walks {@code trees} and the freelist; returns each tree's entry count (SQLite's aCnt[], −1 where the walk stopped before it). */
    long[] run(List<RootOrder.Tree> trees) {
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
            if (level > IntegrityCheck.MAX_TREE_DEPTH) {
                report(IntegrityCode.TREE_TOO_DEEP, iPage, -1, "depth", "at most " + IntegrityCheck.MAX_TREE_DEPTH, Integer.toString(level));
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
}
