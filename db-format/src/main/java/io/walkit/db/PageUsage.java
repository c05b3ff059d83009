package io.walkit.db;

import io.walkit.io.ByteSource;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What each page of a database is used for, found by walking the structures that reference
 * pages: the b-trees of every schema root, their overflow chains, the freelist, pointer-map pages
 * and the lock-byte page. Pages reached by nothing are {@link Kind#UNUSED}. Damaged references
 * are skipped (use {@link IntegrityCheck} to report them).
 *
 * <p>Bounds: a kind reference and an owner {@code long} per page, about 12 to 16 bytes per page
 * (databases over 2^28 pages are not classified), each page is visited at most once, descent is at
 * most {@link IntegrityCheck#MAX_TREE_DEPTH} levels.
 *
 * <p>Immutable once built; thread-safe. Holds no resources (the database is only read while
 * {@link #of(Database, List)} runs).
 */
public final class PageUsage {

    /** What a page is used for. */
    public enum Kind {
        /** Reached by no structure (neither in a b-tree, the freelist nor a pointer map). */
        UNUSED,
        /** A table b-tree interior page (type 5). */
        TABLE_INTERIOR,
        /** A table b-tree leaf page (type 13). */
        TABLE_LEAF,
        /** An index b-tree interior page (type 2). */
        INDEX_INTERIOR,
        /** An index b-tree leaf page (type 10). */
        INDEX_LEAF,
        /** A page of a cell's overflow chain. */
        OVERFLOW,
        /** A freelist trunk page. */
        FREELIST_TRUNK,
        /** A freelist leaf page (listed by a trunk). */
        FREELIST_LEAF,
        /** A pointer-map page (auto-vacuum databases). */
        POINTER_MAP,
        /** The lock-byte page (holding byte offset 2^30), never used for data. */
        LOCK_BYTE,
        /** Referenced as a b-tree page but its type byte or header is invalid. */
        INVALID_BTREE;

        /** {@return the lower-case name with dashes, for reports (e.g. {@code "table-leaf"})} */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind[] kinds;
    private final long[] owner;

    private PageUsage(Kind[] kinds, long[] owner) {
        this.kinds = kinds;
        this.owner = owner;
    }

    /**
     * Classifies the pages of {@code db}; returns null when the database has more than 2^28 pages.
     *
     * @param db    the database to walk
     * @param roots the 1-based root page numbers of every b-tree (as the schema lists them)
     * @return the classification, or {@code null} for a database too large to classify
     */
    public static PageUsage of(Database db, List<Long> roots) {
        long n = db.pageCount();
        if (n > (1 << 28)) {
            return null;
        }
        Kind[] k = new Kind[(int) n + 1];
        long[] owner = new long[(int) n + 1];
        java.util.Arrays.fill(k, Kind.UNUSED);
        PageUsage u = new PageUsage(k, owner);
        long lock = DbFormat.lockBytePage(db.pageSize());
        if (lock <= n) {
            k[(int) lock] = Kind.LOCK_BYTE;
        }
        DatabaseHeader h = db.header();
        if (h == null) {
            return u;
        }
        int usable = db.usableSize();
        if (h.autoVacuum()) {
            for (long p = 2; p <= n; p++) {
                if (DbFormat.ptrmapPageFor(p, usable, db.pageSize()) == p && k[(int) p] == Kind.UNUSED) {
                    k[(int) p] = Kind.POINTER_MAP;
                }
            }
        }
        long trunk = h.firstFreelistTrunk();
        while (trunk >= 1 && trunk <= n && k[(int) trunk] == Kind.UNUSED) {
            k[(int) trunk] = Kind.FREELIST_TRUNK;
            MemorySegment t = db.pages().page(trunk);
            long leaves = t.get(ByteSource.INT_BE, 4) & 0xFFFF_FFFFL;
            for (int i = 0; i < Math.min(leaves, usable / 4 - 2); i++) {
                long leaf = t.get(ByteSource.INT_BE, 8 + 4L * i) & 0xFFFF_FFFFL;
                if (leaf >= 1 && leaf <= n && k[(int) leaf] == Kind.UNUSED) {
                    k[(int) leaf] = Kind.FREELIST_LEAF;
                }
            }
            trunk = t.get(ByteSource.INT_BE, 0) & 0xFFFF_FFFFL;
        }
        Cell cell = new Cell();
        for (long root : roots) {
            u.walk(db, root, root, 0, cell);
        }
        return u;
    }

    private void walk(Database db, long pgno, long root, int level, Cell cell) {
        long n = kinds.length - 1;
        if (pgno < 1 || pgno > n || kinds[(int) pgno] != Kind.UNUSED || level > IntegrityCheck.MAX_TREE_DEPTH) {
            return;
        }
        BtreePage page = new BtreePage(pgno, db.pages().page(pgno), db.usableSize());
        owner[(int) pgno] = root;
        if (page.headerProblem() != null) {
            kinds[(int) pgno] = Kind.INVALID_BTREE;
            return;
        }
        kinds[(int) pgno] = switch (page.type()) {
            case DbFormat.PAGE_TABLE_INTERIOR -> Kind.TABLE_INTERIOR;
            case DbFormat.PAGE_TABLE_LEAF -> Kind.TABLE_LEAF;
            case DbFormat.PAGE_INDEX_INTERIOR -> Kind.INDEX_INTERIOR;
            default -> Kind.INDEX_LEAF;
        };
        int usable = db.usableSize();
        for (int i = 0; i < page.cellCount(); i++) {
            int pc = page.cellOffset(i);
            if (pc < page.cellPointerArrayEnd() || pc > usable - 4) {
                continue;
            }
            page.parseCell(pc, cell);
            if (pc + cell.size > usable) {
                continue;
            }
            long leftChild = cell.leftChild;
            if (cell.overflows()) {
                long need = DbFormat.overflowPageCount(cell.payloadSize, cell.localSize, usable);
                long ov = cell.overflowPage;
                for (long j = 0; j < need && ov >= 1 && ov <= n && kinds[(int) ov] == Kind.UNUSED; j++) {
                    kinds[(int) ov] = Kind.OVERFLOW;
                    owner[(int) ov] = root;
                    ov = db.pages().page(ov).get(ByteSource.INT_BE, 0) & 0xFFFF_FFFFL;
                }
            }
            if (!page.isLeaf()) {
                walk(db, leftChild, root, level + 1, cell);
            }
        }
        if (!page.isLeaf()) {
            walk(db, page.rightChild(), root, level + 1, cell);
        }
    }

    /**
     * The kind of page {@code p}.
     *
     * @param p the 1-based page number, in 1..the database's page count
     * @return its kind
     */
    public Kind kind(long p) {
        return kinds[(int) p];
    }

    /**
     * The b-tree root a b-tree or overflow page belongs to, else 0.
     *
     * @param p the 1-based page number, in 1..the database's page count
     * @return the root's 1-based page number, or 0
     */
    public long owner(long p) {
        return owner[(int) p];
    }

    /** {@return the number of pages of each kind (every kind present, 0 when none)} */
    public Map<Kind, Long> counts() {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        for (Kind x : Kind.values()) {
            m.put(x, 0L);
        }
        for (int p = 1; p < kinds.length; p++) {
            m.merge(kinds[p], 1L, Long::sum);
        }
        return m;
    }
}
