package io.walkit.db;

import java.util.List;

/**
 * A table's shape (made by {@code TableParser} from its CREATE TABLE text): columns, the INTEGER
 * PRIMARY KEY rowid alias, the primary key, WITHOUT ROWID and STRICT, and the mapping from columns
 * to record fields; {@link #row} builds a row's values from a record. Immutable and thread-safe.
 *
 * <p>Record layout (SQLite: {@code sqlite3TableColumnToStorage}): rowid tables store every
 * non-VIRTUAL column in declaration order (the rowid alias as NULL); WITHOUT ROWID tables store
 * the primary-key columns first, in key order, then the other non-VIRTUAL columns.
 */
public final class TableInfo {

    private final String name;
    private final List<Column> columns;
    private final int rowidAlias;
    private final int[] primaryKey;
    private final boolean withoutRowid;
    private final boolean strict;
    private final int[] storage;
    private final boolean hasChecks;
    private final List<int[]> autoIndexKeys;

    TableInfo(String name, List<Column> columns, int rowidAlias, int[] primaryKey, boolean withoutRowid,
                      boolean strict, boolean hasChecks, List<int[]> autoIndexKeys) {
        this.autoIndexKeys = autoIndexKeys;
        this.name = name;
        this.columns = List.copyOf(columns);
        this.rowidAlias = rowidAlias;
        this.primaryKey = primaryKey;
        this.withoutRowid = withoutRowid;
        this.strict = strict;
        this.hasChecks = hasChecks;
        this.storage = new int[columns.size()];
        int s = 0;
        if (withoutRowid) {
            java.util.Arrays.fill(storage, -1);
            for (int c : primaryKey) {
                if (storage[c] < 0) {
                    storage[c] = s++;
                }
            }
            for (int c = 0; c < columns.size(); c++) {
                if (storage[c] < 0 && !columns.get(c).virtual()) {
                    storage[c] = s++;
                }
            }
        } else {
            for (int c = 0; c < columns.size(); c++) {
                storage[c] = columns.get(c).virtual() ? -1 : s++;
            }
        }
    }

    /** {@return the table's name} */
    public String name() { return name; }

    /** {@return the columns in declaration order (unmodifiable)} */
    public List<Column> columns() { return columns; }

    /** {@return the 0-based index of the INTEGER PRIMARY KEY column (its value is the rowid), or −1} */
    public int rowidAlias() { return rowidAlias; }

    /** {@return the primary-key column indexes in key order (a copy; empty for a rowid table without a declared key)} */
    public int[] primaryKey() { return primaryKey.clone(); }

    /** {@return whether the table is WITHOUT ROWID (its b-tree is an index b-tree keyed by the primary key)} */
    public boolean withoutRowid() { return withoutRowid; }

    /** {@return whether the table is STRICT} */
    public boolean strict() { return strict; }

    /** {@return whether the table declares CHECK constraints (not evaluated by walkit)} */
    public boolean hasChecks() { return hasChecks; }

    /**
     * Key columns of the automatic indexes ({@code sqlite_autoindex_T_N}, N from 1) in creation
     * order: PRIMARY KEY (rowid tables without an alias) and UNIQUE constraints in order of
     * appearance, duplicates dropped.
     *
     * @return the key column index arrays (shared: do not modify)
     */
    public List<int[]> autoIndexKeys() { return autoIndexKeys; }

    /**
     * The record field holding column {@code c}, or −1 for VIRTUAL generated columns.
     *
     * @param c the 0-based column index
     * @return the 0-based record field index, or −1
     */
    public int storageIndex(int c) { return storage[c]; }

    /** {@return the number of record fields a complete row has (VIRTUAL columns excluded)} */
    public int storedColumnCount() {
        int n = 0;
        for (int s : storage) {
            if (s >= 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Index of the column named {@code n} (case-insensitive), or −1.
     *
     * @param n the column name
     * @return the 0-based column index, or −1
     */
    public int columnIndex(String n) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(n)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The row's column values in declaration order: the rowid for the alias column, record fields
     * for stored columns, the column default (or NULL) for fields the record lacks. VIRTUAL
     * generated columns are NULL (walkit does not evaluate their expressions).
     *
     * @param rowid  the row's rowid (used for the alias column; ignored when there is none)
     * @param record the row's record (a table record, or a WITHOUT ROWID table's index record)
     * @return a fresh array of the values in declaration order
     */
    public Object[] row(long rowid, Record record) {
        Object[] out = new Object[columns.size()];
        for (int c = 0; c < out.length; c++) {
            if (c == rowidAlias) {
                out[c] = rowid;
                continue;
            }
            int s = storage[c];
            if (s < 0) {
                out[c] = null;
            } else if (s < record.columnCount()) {
                out[c] = record.value(s);
            } else {
                out[c] = columns.get(c).defaultValue();
            }
        }
        return out;
    }

    /**
     * Parses {@code sql}, a CREATE TABLE statement, for table {@code name} (the parser is
     * {@code TableParser}; it never throws: a statement it cannot read gives fewer columns).
     *
     * @param name the table's name
     * @param sql  its CREATE TABLE statement
     * @return the table's shape
     */
    public static TableInfo parse(String name, String sql) {
        return TableParser.parse(name, sql);
    }

    /** The schema of sqlite_schema itself. */
    static TableInfo schemaTable() {
        return TableParser.parse("sqlite_schema",
                "CREATE TABLE sqlite_schema(type text, name text, tbl_name text, rootpage integer, sql text)");
    }
}
