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
 */
public record IndexInfo(String name, String tableName, boolean unique, boolean partial, int[] columns,
                        String[] collations) {

    /** Whether every key column is a plain table column (no expressions). */
    public boolean plainColumns() {
        for (int c : columns) {
            if (c < 0) {
                return false;
            }
        }
        return true;
    }

    /** Parses a CREATE INDEX statement against {@code table}. */
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
        for (; i < t.size(); i++) {
            if (t.get(i).is("WHERE")) {
                partial = true;
            }
        }
        return new IndexInfo(name, table.name(), unique, partial, cols.stream().mapToInt(Integer::intValue).toArray(),
                coll.toArray(String[]::new));
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

    /** An automatic index on {@code key} columns. */
    public static IndexInfo automatic(String name, TableInfo table, int[] key) {
        String[] coll = new String[key.length];
        for (int i = 0; i < key.length; i++) {
            coll[i] = table.columns().get(key[i]).collation();
        }
        return new IndexInfo(name, table.name(), true, false, key.clone(), coll);
    }
}
