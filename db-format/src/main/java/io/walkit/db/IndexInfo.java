package io.walkit.db;

import io.walkit.db.SqlTokens.Kind;
import io.walkit.db.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * An index's shape from its CREATE INDEX text (or, for automatic indexes, from the table's
 * UNIQUE / PRIMARY KEY constraints): key columns (−1 for an expression), UNIQUE, partial (WHERE).
 *
 * <p>Index records hold the key columns, then the rowid (rowid tables) or the primary-key columns
 * not already in the key (WITHOUT ROWID tables).
 *
 * <p>Immutable in use (the arrays are shared, not copied: do not modify them); thread-safe.
 *
 * @param name         the index's name
 * @param tableName    the name of the table it indexes
 * @param unique       whether it is a UNIQUE index (automatic indexes always are)
 * @param partial      whether it has a WHERE clause
 * @param columns      the key columns as 0-based column indexes of the table, −1 for an expression
 * @param collations   each key column's collation name, {@code null} for the default (BINARY)
 * @param whereNotNull for a partial index whose WHERE clause walkit can evaluate, its terms as
 *                     {column index, 1 = must be non-NULL / 0 = must be NULL}; else {@code null}
 */
public record IndexInfo(String name, String tableName, boolean unique, boolean partial, int[] columns,
                        String[] collations, int[][] whereNotNull) {

    /**
     * Whether a row belongs to this index: always for full indexes; for partial indexes whose WHERE
     * clause is a conjunction of {@code col IS [NOT] NULL} / {@code col NOTNULL} / {@code col ISNULL}
     * terms, the clause's value; {@code null} when walkit cannot evaluate the clause.
     *
     * @param row the table row's values in declaration order (as {@link TableInfo#row} gives them)
     * @return whether the row has an entry in this index, or {@code null} when unknown
     */
    public Boolean covers(Object[] row) {
        if (!partial) {
            return true;
        }
        if (whereNotNull == null) {
            return null;
        }
        for (int[] term : whereNotNull) {
            boolean isNull = row[term[0]] == null;
            if (term[1] == 1 ? isNull : !isNull) {
                return false;
            }
        }
        return true;
    }

    /** {@return whether every key column is a plain table column (no expressions)} */
    public boolean plainColumns() {
        for (int c : columns) {
            if (c < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a CREATE INDEX statement against {@code table}. Never throws: a key term it cannot
     * read counts as an expression (−1), a WHERE clause it cannot evaluate leaves
     * {@link #whereNotNull()} null.
     *
     * @param name  the index's name
     * @param table the indexed table's parsed definition
     * @param sql   the CREATE INDEX statement from sqlite_schema
     * @return the index's shape
     */
    public static IndexInfo parse(String name, TableInfo table, String sql) {
        List<Token> t = SqlTokens.tokenize(sql);
        boolean unique = false;
        int i = 0;
        for (; i < t.size() && !t.get(i).punct('('); i++) {
            if (t.get(i).is("UNIQUE")) {
                unique = true;
            }
        }
        List<Integer> cols = new ArrayList<>();
        List<String> coll = new ArrayList<>();
        int depth = 0;
        List<Token> item = new ArrayList<>();
        for (i++; i < t.size(); i++) {
            Token x = t.get(i);
            if (x.punct('(')) {
                depth++;
            } else if (x.punct(')')) {
                if (depth == 0) {
                    addKey(table, item, cols, coll);
                    i++;
                    break;
                }
                depth--;
            } else if (x.punct(',') && depth == 0) {
                addKey(table, item, cols, coll);
                item = new ArrayList<>();
                continue;
            }
            item.add(x);
        }
        boolean partial = false;
        int[][] where = null;
        for (; i < t.size(); i++) {
            if (t.get(i).is("WHERE")) {
                partial = true;
                where = parseWhere(table, t.subList(i + 1, t.size()));
                break;
            }
        }
        return new IndexInfo(name, table.name(), unique, partial, cols.stream().mapToInt(Integer::intValue).toArray(),
                coll.toArray(String[]::new), where);
    }

    /** {column, 1 = must be non-NULL / 0 = must be NULL} terms, or null when the clause is anything else. */
    private static int[][] parseWhere(TableInfo table, List<Token> w) {
        List<int[]> terms = new ArrayList<>();
        int i = 0;
        while (i < w.size()) {
            Token c = w.get(i);
            if (!(c.kind() == Kind.WORD || c.kind() == Kind.QUOTED_ID)) {
                return null;
            }
            int col = table.columnIndex(c.name());
            if (col < 0) {
                return null;
            }
            i++;
            if (i + 2 < w.size() + 1 && i < w.size() && w.get(i).is("IS") && i + 1 < w.size() && w.get(i + 1).is("NOT")
                    && i + 2 < w.size() && w.get(i + 2).is("NULL")) {
                terms.add(new int[] {col, 1});
                i += 3;
            } else if (i + 1 < w.size() && w.get(i).is("IS") && w.get(i + 1).is("NULL")) {
                terms.add(new int[] {col, 0});
                i += 2;
            } else if (i + 1 < w.size() && w.get(i).is("NOT") && w.get(i + 1).is("NULL")) {
                terms.add(new int[] {col, 1});
                i += 2;
            } else if (i < w.size() && w.get(i).is("NOTNULL")) {
                terms.add(new int[] {col, 1});
                i++;
            } else if (i < w.size() && w.get(i).is("ISNULL")) {
                terms.add(new int[] {col, 0});
                i++;
            } else {
                return null;
            }
            if (i < w.size()) {
                if (!w.get(i).is("AND")) {
                    return null;
                }
                i++;
            }
        }
        return terms.isEmpty() ? null : terms.toArray(int[][]::new);
    }

    private static void addKey(TableInfo table, List<Token> item, List<Integer> cols, List<String> coll) {
        String collation = null;
        int n = item.size();
        while (n > 0 && (item.get(n - 1).is("ASC") || item.get(n - 1).is("DESC"))) {
            n--;
        }
        if (n >= 2 && item.get(n - 2).is("COLLATE")) {
            collation = item.get(n - 1).name();
            n -= 2;
        }
        int col = -1;
        if (n == 1 && (item.get(0).kind() == Kind.WORD || item.get(0).kind() == Kind.QUOTED_ID
                || item.get(0).kind() == Kind.STRING)) {
            col = table.columnIndex(item.get(0).name());
        }
        cols.add(col);
        if (collation == null && col >= 0) {
            collation = table.columns().get(col).collation();
        }
        coll.add(collation);
    }

    /**
     * An automatic index ({@code sqlite_autoindex_*}) on {@code key} columns, unique and full, with
     * the columns' own collations.
     *
     * @param name  the index's name
     * @param table the table whose UNIQUE or PRIMARY KEY constraint it implements
     * @param key   the key columns as 0-based column indexes (copied)
     * @return the index's shape
     */
    public static IndexInfo automatic(String name, TableInfo table, int[] key) {
        String[] coll = new String[key.length];
        for (int i = 0; i < key.length; i++) {
            coll[i] = table.columns().get(key[i]).collation();
        }
        return new IndexInfo(name, table.name(), true, false, key.clone(), coll, null);
    }
}
