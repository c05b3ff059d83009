package io.walkit.db;

import io.walkit.db.SqlTokens.Kind;
import io.walkit.db.SqlTokens.Token;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The subset of SQLite's CREATE TABLE grammar walkit needs to lay out records: column names,
 * declared types (affinity), constraints (PRIMARY KEY, UNIQUE, NOT NULL, DEFAULT, CHECK, GENERATED),
 * WITHOUT ROWID and STRICT. Makes a {@link TableInfo}. Linear in the statement's length. Stateless.
 */
final class TableParser {

    private TableParser() {}

    /** Parses {@code sql}, a CREATE TABLE statement, for table {@code name}; never throws (a statement it cannot read gives fewer columns). */
    static TableInfo parse(String name, String sql) {
        List<Token> t = SqlTokens.tokenize(sql == null ? "" : sql);
        int i = 0;
        while (i < t.size() && !t.get(i).punct('(')) {
            i++;
        }
        i++;
        List<Column> cols = new ArrayList<>();
        List<Boolean> colPkDesc = new ArrayList<>();
        List<Integer> pk = new ArrayList<>();
        List<int[]> uniques = new ArrayList<>();
        List<Boolean> uniqueIsPk = new ArrayList<>();
        int pkColumnLevel = -1;
        boolean pkDescColumnLevel = false;
        boolean checks = false;
        while (i < t.size()) {
            int end = endOfItem(t, i);
            List<Token> item = t.subList(i, end);
            if (!item.isEmpty()) {
                Token first = item.get(0);
                boolean constraint = first.kind() == Kind.WORD && (first.is("CONSTRAINT") || first.is("PRIMARY")
                        || first.is("UNIQUE") || first.is("CHECK") || first.is("FOREIGN"));
                if (constraint) {
                    // One item may hold several constraints ("CONSTRAINT c PRIMARY KEY(a) UNIQUE(b)").
                    int depth0 = 0;
                    for (int k = 0; k < item.size(); k++) {
                        Token tk = item.get(k);
                        if (tk.punct('(')) {
                            depth0++;
                            continue;
                        }
                        if (tk.punct(')')) {
                            depth0--;
                            continue;
                        }
                        if (depth0 != 0) {
                            continue;
                        }
                        if (tk.is("CHECK")) {
                            checks = true;
                            continue;
                        }
                        if (!(tk.is("PRIMARY") || tk.is("UNIQUE"))) {
                            continue;
                        }
                        boolean isPk = tk.is("PRIMARY");
                        List<Integer> keyCols = new ArrayList<>();
                        int open = k;
                        while (open < item.size() && !item.get(open).punct('(')) {
                            open++;
                        }
                        int depth = 0;
                        boolean expectName = true;
                        int j = open;
                        for (; j < item.size(); j++) {
                            Token x = item.get(j);
                            if (x.punct('(')) {
                                depth++;
                                continue;
                            }
                            if (x.punct(')')) {
                                depth--;
                                if (depth == 0) {
                                    break;
                                }
                                continue;
                            }
                            if (depth == 1 && x.punct(',')) {
                                expectName = true;
                                continue;
                            }
                            if (depth == 1 && expectName && (x.kind() == Kind.WORD || x.kind() == Kind.QUOTED_ID
                                    || x.kind() == Kind.STRING)) {
                                keyCols.add(indexOf(cols, x.name()));
                                expectName = false;
                            }
                        }
                        if (isPk) {
                            pk.addAll(keyCols);
                        }
                        uniques.add(keyCols.stream().mapToInt(Integer::intValue).toArray());
                        uniqueIsPk.add(isPk);
                        k = j;
                    }
                } else {
                    ColumnParse cp = parseColumn(item);
                    cols.add(cp.column);
                    colPkDesc.add(cp.pkDesc);
                    if (cp.primaryKey) {
                        pkColumnLevel = cols.size() - 1;
                        pkDescColumnLevel = cp.pkDesc;
                        pk.add(cols.size() - 1);
                        uniques.add(new int[] {cols.size() - 1});
                        uniqueIsPk.add(true);
                    }
                    if (cp.unique) {
                        uniques.add(new int[] {cols.size() - 1});
                        uniqueIsPk.add(false);
                    }
                    checks |= cp.check;
                }
            }
            i = end;
            if (i < t.size() && t.get(i).punct(')')) {
                i++;
                break;
            }
            i++;
        }
        boolean withoutRowid = false;
        boolean strict = false;
        for (; i < t.size(); i++) {
            if (t.get(i).is("WITHOUT") && i + 1 < t.size() && t.get(i + 1).is("ROWID")) {
                withoutRowid = true;
            }
            if (t.get(i).is("STRICT")) {
                strict = true;
            }
        }
        pk.removeIf(x -> x < 0);
        int alias = -1;
        if (!withoutRowid && pk.size() == 1) {
            Column c = cols.get(pk.get(0));
            boolean integer = c.declaredType().equalsIgnoreCase("INTEGER");
            boolean descQuirk = pkColumnLevel == pk.get(0) && pkDescColumnLevel;
            if (integer && !descQuirk) {
                alias = pk.get(0);
            }
        }
        List<int[]> auto = new ArrayList<>();
        for (int u = 0; u < uniques.size(); u++) {
            int[] key = uniques.get(u);
            if (uniqueIsPk.get(u) && (withoutRowid || alias >= 0)) {
                continue;
            }
            boolean bad = false;
            for (int c : key) {
                bad |= c < 0;
            }
            boolean dup = false;
            for (int[] a : auto) {
                dup |= java.util.Arrays.equals(a, key);
            }
            if (!bad && !dup) {
                auto.add(key);
            }
        }
        return new TableInfo(name, cols, alias, pk.stream().mapToInt(Integer::intValue).toArray(), withoutRowid, strict,
                checks, List.copyOf(auto));
    }

    private record ColumnParse(Column column, boolean primaryKey, boolean pkDesc, boolean check, boolean unique) {}

    static final java.util.Set<String> CONSTRAINT_WORDS = java.util.Set.of("CONSTRAINT", "PRIMARY", "NOT", "NULL",
            "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS");

    private static ColumnParse parseColumn(List<Token> item) {
        String name = item.get(0).name();
        int i = 1;
        StringBuilder type = new StringBuilder();
        int depth = 0;
        while (i < item.size()) {
            Token x = item.get(i);
            if (depth == 0 && x.kind() == Kind.WORD && CONSTRAINT_WORDS.contains(x.text().toUpperCase(Locale.ROOT))) {
                break;
            }
            if (x.punct('(')) {
                depth++;
            } else if (x.punct(')')) {
                depth--;
            }
            if (!type.isEmpty() && !x.punct('(') && !x.punct(')') && !x.punct(',')
                    && type.charAt(type.length() - 1) != '(') {
                type.append(' ');
            }
            type.append(x.kind() == Kind.STRING || x.kind() == Kind.QUOTED_ID ? x.text() : x.text());
            i++;
        }
        String declared = type.toString();
        boolean notNull = false;
        boolean primaryKey = false;
        boolean pkDesc = false;
        boolean virtual = false;
        boolean generated = false;
        boolean check = false;
        boolean unique = false;
        Object def = null;
        String collation = null;
        for (; i < item.size(); i++) {
            Token x = item.get(i);
            if (x.is("NOT") && i + 1 < item.size() && item.get(i + 1).is("NULL")) {
                notNull = true;
                i++;
            } else if (x.is("PRIMARY")) {
                primaryKey = true;
                if (i + 2 < item.size() && item.get(i + 2).is("DESC")) {
                    pkDesc = true;
                }
            } else if (x.is("UNIQUE")) {
                unique = true;
            } else if (x.is("CHECK")) {
                check = true;
                i = skipParens(item, i + 1);
            } else if (x.is("COLLATE") && i + 1 < item.size()) {
                collation = item.get(++i).name();
            } else if (x.is("DEFAULT") && i + 1 < item.size()) {
                int[] pos = {i + 1};
                def = literal(item, pos);
                i = pos[0] - 1;
            } else if (x.is("AS")) {
                generated = true;
                virtual = true;
                i = skipParens(item, i + 1);
                if (i + 1 < item.size() && item.get(i + 1).is("STORED")) {
                    virtual = false;
                    i++;
                }
            }
        }
        Affinity aff = Affinity.of(declared);
        return new ColumnParse(new Column(name, declared, aff, notNull, aff.apply(def), virtual, generated, collation),
                primaryKey, pkDesc, check, unique);
    }

    /** Parses a literal at pos[0] (advancing it): numbers with sign, strings, blobs, NULL, TRUE/FALSE, (literal). */
    static Object literal(List<Token> item, int[] pos) {
        return literal(item, pos, 0);
    }

    private static Object literal(List<Token> item, int[] pos, int depth) {
        int i = pos[0];
        if (i >= item.size() || depth > 100) {
            return null;
        }
        Token x = item.get(i);
        if (x.punct('(')) {
            int end = skipParens(item, i);
            int[] inner = {i + 1};
            Object v = inner[0] < end ? literal(item, inner, depth + 1) : null;
            if (inner[0] != end) {
                v = null;
            }
            pos[0] = end + 1;
            return v;
        }
        boolean neg = false;
        if (x.punct('-') || x.punct('+')) {
            neg = x.punct('-');
            i++;
            if (i >= item.size()) {
                pos[0] = i;
                return null;
            }
            x = item.get(i);
        }
        pos[0] = i + 1;
        return switch (x.kind()) {
            case NUMBER -> {
                Object n = number(x.text());
                if (n instanceof Long l) {
                    yield neg ? -l : l;
                }
                if (n instanceof Double d) {
                    yield neg ? -d : d;
                }
                yield null;
            }
            case STRING -> x.text();
            case BLOB -> {
                try {
                    yield HexFormat.of().parseHex(x.text());
                } catch (IllegalArgumentException e) {
                    yield null;
                }
            }
            case WORD -> x.is("TRUE") ? (Object) 1L : x.is("FALSE") ? (Object) 0L : null;
            default -> null;
        };
    }

    private static Object number(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e2) {
                return null;
            }
        }
    }

    private static int skipParens(List<Token> item, int i) {
        if (i >= item.size() || !item.get(i).punct('(')) {
            return i - 1;
        }
        int depth = 0;
        for (; i < item.size(); i++) {
            if (item.get(i).punct('(')) {
                depth++;
            } else if (item.get(i).punct(')')) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return item.size() - 1;
    }

    /** End (exclusive) of the comma-separated item starting at {@code i} inside the column list. */
    static int endOfItem(List<Token> t, int i) {
        int depth = 0;
        for (; i < t.size(); i++) {
            Token x = t.get(i);
            if (x.punct('(')) {
                depth++;
            } else if (x.punct(')')) {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (x.punct(',') && depth == 0) {
                return i;
            }
        }
        return i;
    }

    private static int indexOf(List<Column> cols, String n) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equalsIgnoreCase(n)) {
                return i;
            }
        }
        return -1;
    }
}
