package io.walkit.forensics;

import io.walkit.db.TableInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One table's rows as of one commit, held as the decoded b-tree pages that carry them. Pages whose
 * bytes did not change between two commits are the same {@link PageRows} object in both snapshots,
 * which is what makes {@link #diff(TableSnapshot, TableSnapshot)} proportional to the pages a commit
 * changed. Immutable and thread-safe once built.
 *
 * @param commit  the commit ordinal (0 = the database file alone)
 * @param table   the table's name
 * @param info    the table's parsed schema at that commit, or null when the table did not exist
 * @param pages   the decoded pages (leaves, and interior pages of WITHOUT ROWID tables) in tree order
 */
public record TableSnapshot(int commit, String table, TableInfo info, List<PageRows> pages) {

    /**
     * One row. {@code key} is a {@link Long} rowid, or a {@link PrimaryKey} for WITHOUT ROWID tables;
     * {@code cellOffset} is the byte offset of its cell in the page image.
     * @param cellOffset the cell's byte offset in its page
     * @param key the rowid (Long) or primary key
     * @param values the column values in declared order
     */
    public record Row(Object key, Object[] values, int cellOffset) {}

    /**
     * The primary-key values of a WITHOUT ROWID row, compared by value (blobs by content).
     *
     * @param values the column values in declared order
     */
    public record PrimaryKey(List<Object> values) implements Comparable<PrimaryKey> {
        @Override
        public boolean equals(Object o) {
            return o instanceof PrimaryKey k && Arrays.deepEquals(values.toArray(), k.values.toArray());
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(values.toArray());
        }

        @Override
        public int compareTo(PrimaryKey o) {
            int n = Math.min(values.size(), o.values.size());
            for (int i = 0; i < n; i++) {
                int c = compareValues(values.get(i), o.values.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(values.size(), o.values.size());
        }
    }

    /**
     * The rows decoded from one b-tree page image, plus the overflow pages their payloads used.
     * Identified by the page number and the WAL frame (0: the database file) its image came from.
     */
    public static final class PageRows {
        final long pageNumber;
        final int frame;
        final long[] overflowPages;
        final int[] overflowFrames;
        final List<Row> rows;

        PageRows(long pageNumber, int frame, long[] overflowPages, int[] overflowFrames, List<Row> rows) {
            this.pageNumber = pageNumber;
            this.frame = frame;
            this.overflowPages = overflowPages;
            this.overflowFrames = overflowFrames;
            this.rows = Collections.unmodifiableList(rows);
        }

        /**
         * The page number.
         *
         * @return the result described above
         */
        public long pageNumber() {
            return pageNumber;
        }

        /**
         * The WAL frame the page image came from, 0 for the database file.
         *
         * @return the result described above
         */
        public int frame() {
            return frame;
        }

        /**
         * The rows on this page, in key order.
         *
         * @return the result described above
         */
        public List<Row> rows() {
            return rows;
        }
    }

    /**
     * Every row, in key order (a fresh map).
     *
     * @return the result described above
     */
    public Map<Object, Object[]> rows() {
        Map<Object, Object[]> m = new TreeMap<>(TableSnapshot::compareKeys);
        for (PageRows p : pages) {
            for (Row r : p.rows) {
                m.put(r.key(), r.values());
            }
        }
        return m;
    }

    /**
     * The changes from {@code from} to {@code to} (the same table at two commits), in key order.
     * Only rows on pages that differ between the two are compared.
     * @param from the earlier snapshot
     * @param to the later snapshot
     * @return the result described above
     */
    public static List<RowChange> diff(TableSnapshot from, TableSnapshot to) {
        Set<PageRows> shared = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<PageRows> inFrom = Collections.newSetFromMap(new IdentityHashMap<>());
        inFrom.addAll(from.pages);
        for (PageRows p : to.pages) {
            if (inFrom.contains(p)) {
                shared.add(p);
            }
        }
        Map<Object, Object[]> olds = new TreeMap<>(TableSnapshot::compareKeys);
        Map<Object, Object[]> news = new TreeMap<>(TableSnapshot::compareKeys);
        for (PageRows p : from.pages) {
            if (!shared.contains(p)) {
                p.rows.forEach(r -> olds.put(r.key(), r.values()));
            }
        }
        for (PageRows p : to.pages) {
            if (!shared.contains(p)) {
                p.rows.forEach(r -> news.put(r.key(), r.values()));
            }
        }
        Map<Object, RowChange> out = new TreeMap<>(TableSnapshot::compareKeys);
        String table = to.table;
        for (Map.Entry<Object, Object[]> e : olds.entrySet()) {
            Object[] n = news.get(e.getKey());
            if (n == null) {
                out.put(e.getKey(), change(RowChange.Change.DELETE, table, e.getKey(), e.getValue(), null));
            } else if (!Arrays.deepEquals(n, e.getValue())) {
                out.put(e.getKey(), change(RowChange.Change.UPDATE, table, e.getKey(), e.getValue(), n));
            }
        }
        for (Map.Entry<Object, Object[]> e : news.entrySet()) {
            if (!olds.containsKey(e.getKey())) {
                out.put(e.getKey(), change(RowChange.Change.INSERT, table, e.getKey(), null, e.getValue()));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static RowChange change(RowChange.Change c, String table, Object key, Object[] oldValues, Object[] newValues) {
        if (key instanceof Long rowid) {
            return new RowChange(c, table, rowid, null, oldValues, newValues);
        }
        return new RowChange(c, table, null, ((PrimaryKey) key).values(), oldValues, newValues);
    }

    /** Orders keys: rowids numerically, primary keys field by field in SQLite's type order. */
    static int compareKeys(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof PrimaryKey x && b instanceof PrimaryKey y) {
            return x.compareTo(y);
        }
        return a instanceof Long ? -1 : 1;
    }

    /** SQLite's order of values of different storage classes: NULL, numbers, text, blob. */
    static int compareValues(Object a, Object b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (a) {
            case null -> 0;
            case Number n -> Double.compare(n.doubleValue(), ((Number) b).doubleValue()) != 0
                    ? Double.compare(n.doubleValue(), ((Number) b).doubleValue())
                    : (n instanceof Long l && b instanceof Long m ? Long.compare(l, m) : 0);
            case String s -> s.compareTo((String) b);
            case byte[] x -> Arrays.compareUnsigned(x, (byte[]) b);
            default -> a.toString().compareTo(b.toString());
        };
    }

    private static int rank(Object v) {
        return switch (v) {
            case null -> 0;
            case Number n -> 1;
            case String s -> 2;
            default -> 3;
        };
    }
}
