package io.walkit.db;

import io.walkit.db.SqlTokens.Kind;
import io.walkit.db.SqlTokens.Token;
import io.walkit.io.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The subset of SQLite's schema loading ({@code sqlite3InitCallback}, {@code sqlite3CheckObjectName})
 * that turns a damaged {@code sqlite_schema} into "malformed database schema (NAME)": SQL that is not
 * a CREATE statement or holds characters no SQL token can hold, a type / name / tbl_name that
 * disagrees with the statement, unbalanced parentheses, duplicate column names, index columns that
 * do not exist, and orphan automatic indexes. walkit does not contain SQLite's full SQL grammar, so
 * this is a structural approximation; it is linear in the schema text.
 */
final class SchemaCheck {

    private SchemaCheck() {}

    /**
     * The schema entries SQLite would reject ({@link IntegrityCode#SCHEMA_REJECTED}: field is the
     * entry's name, found the reason), positioned on page 1.
     */
    static List<Problem> problems(Schema schema, long pageCount) {
        List<Problem> out = new ArrayList<>();
        for (SchemaEntry e : schema.entries()) {
            String why = check(schema, e);
            // sqlite3InitCallback (extra schema checks, on by default): the root page must be a u32
            // no larger than the database; automatic indexes need a root of at least 2.
            if (why == null && (e.isTable() || e.isIndex())
                    && (e.rootPage() < 0 || e.rootPage() > 0xFFFF_FFFFL || e.rootPage() > pageCount
                    || (e.isIndex() && (e.sql() == null || e.sql().isEmpty()) && e.rootPage() < 2))) {
                why = "invalid rootpage";
            }
            if (why != null) {
                out.add(new Problem(Problem.Severity.ERROR, IntegrityCode.SCHEMA_REJECTED, null, new Problem.Position.Page(1),
                        null, e.name() == null ? "?" : e.name(), null, why, null));
            }
        }
        return out;
    }

    private static String check(Schema schema, SchemaEntry e) {
        String sql = e.sql();
        if (e.name() == null) {
            return "no name";
        }
        if (sql == null || sql.isEmpty()) {
            if (!e.isIndex()) {
                return "no SQL";
            }
            return schema.index(e) == null ? "orphan index" : null;
        }
        if (sql.length() < 2 || Character.toLowerCase(sql.charAt(0)) != 'c' || Character.toLowerCase(sql.charAt(1)) != 'r') {
            return "not a CREATE statement";
        }
        String bad = illegalCharacter(sql);
        if (bad != null) {
            return bad;
        }
        List<Token> t = SqlTokens.tokenize(sql);
        int i = 0;
        if (!t.get(i++).is("CREATE")) {
            return "syntax error";
        }
        while (i < t.size() && (t.get(i).is("TEMP") || t.get(i).is("TEMPORARY") || t.get(i).is("UNIQUE") || t.get(i).is("VIRTUAL"))) {
            i++;
        }
        if (i >= t.size()) {
            return "syntax error";
        }
        String kind = t.get(i++).text().toLowerCase(Locale.ROOT);
        if (!Set.of("table", "index", "view", "trigger").contains(kind)) {
            return "syntax error";
        }
        if (i + 2 < t.size() && t.get(i).is("IF") && t.get(i + 1).is("NOT") && t.get(i + 2).is("EXISTS")) {
            i += 3;
        }
        if (i >= t.size() || !isName(t.get(i))) {
            return "syntax error";
        }
        String name = t.get(i++).name();
        if (i + 1 < t.size() && t.get(i).punct('.') && isName(t.get(i + 1))) {
            name = t.get(i + 1).name();
            i += 2;
        }
        if (!kind.equals(e.type()) || !name.equalsIgnoreCase(e.name())) {
            return "type or name disagrees with the SQL";
        }
        int depth = 0;
        for (Token x : t) {
            if (x.punct('(')) {
                depth++;
            } else if (x.punct(')')) {
                if (--depth < 0) {
                    return "syntax error";
                }
            }
        }
        if (depth != 0) {
            return "syntax error";
        }
        switch (kind) {
            case "table" -> {
                if (!name.equalsIgnoreCase(e.tableName())) {
                    return "tbl_name disagrees with the SQL";
                }
                if (i < t.size() && t.get(i).punct('(')) {
                    TableInfo info = TableParser.parse(name, sql);
                    Set<String> seen = new HashSet<>();
                    for (Column c : info.columns()) {
                        if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                            return "duplicate column name: " + c.name();
                        }
                    }
                    if (info.columns().isEmpty()) {
                        return "syntax error";
                    }
                    String typeProblem = typeArguments(t, i + 1);
                    if (typeProblem != null) {
                        return typeProblem;
                    }
                } else if (!(i < t.size() && (t.get(i).is("AS") || t.get(i).is("USING")))) {
                    return "syntax error";
                }
            }
            case "index" -> {
                if (i + 1 >= t.size() || !t.get(i).is("ON") || !isName(t.get(i + 1))) {
                    return "syntax error";
                }
                String table = t.get(i + 1).name();
                if (!table.equalsIgnoreCase(e.tableName())) {
                    return "tbl_name disagrees with the SQL";
                }
                SchemaEntry te = schema.find(table);
                if (te == null || !te.isTable()) {
                    return "no such table: " + table;
                }
                TableInfo info = schema.table(te);
                // Single-identifier key terms must name columns ("no such column").
                int j = i + 2;
                if (j >= t.size() || !t.get(j).punct('(')) {
                    return "syntax error";
                }
                int d = 0;
                List<Token> term = new ArrayList<>();
                for (j++; j < t.size(); j++) {
                    Token x = t.get(j);
                    if (d == 0 && (x.punct(',') || x.punct(')'))) {
                        String col = singleIdentifier(term);
                        if (col != null && info.columnIndex(col) < 0 && !col.equalsIgnoreCase("rowid")) {
                            return "no such column: " + col;
                        }
                        term.clear();
                        if (x.punct(')')) {
                            break;
                        }
                        continue;
                    }
                    if (x.punct('(')) {
                        d++;
                    } else if (x.punct(')')) {
                        d--;
                    }
                    term.add(x);
                }
            }
            default -> {
                // views and triggers: structure only
            }
        }
        return null;
    }

    /**
     * Column definitions must start with a name, and a type's parenthesised arguments must be one or
     * two signed numbers (SQLite's {@code typetoken}).
     */
    private static String typeArguments(List<Token> t, int i) {
        while (i < t.size()) {
            int end = TableParser.endOfItem(t, i);
            List<Token> item = t.subList(i, end);
            if (item.isEmpty()) {
                return "syntax error";
            }
            Token first = item.get(0);
            boolean constraint = first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE") || first.is("CHECK")
                    || first.is("FOREIGN");
            if (!constraint) {
                if (!isName(first)) {
                    return "syntax error";
                }
                int k = 1;
                while (k < item.size() && !item.get(k).punct('(')
                        && !(item.get(k).kind() == Kind.WORD && TableParser.CONSTRAINT_WORDS.contains(item.get(k).text().toUpperCase(Locale.ROOT)))) {
                    if (!isName(item.get(k))) {
                        return "syntax error";
                    }
                    k++;
                }
                if (k < item.size() && item.get(k).punct('(')) {
                    int args = 0;
                    k++;
                    while (true) {
                        if (k < item.size() && (item.get(k).punct('+') || item.get(k).punct('-'))) {
                            k++;
                        }
                        if (k >= item.size() || item.get(k).kind() != Kind.NUMBER) {
                            return "syntax error";
                        }
                        k++;
                        args++;
                        if (k < item.size() && item.get(k).punct(',') && args < 2) {
                            k++;
                            continue;
                        }
                        if (k >= item.size() || !item.get(k).punct(')')) {
                            return "syntax error";
                        }
                        break;
                    }
                }
            }
            if (end >= t.size() || t.get(end).punct(')')) {
                break;
            }
            i = end + 1;
        }
        return null;
    }

    private static String singleIdentifier(List<Token> term) {
        int n = term.size();
        while (n > 0 && (term.get(n - 1).is("ASC") || term.get(n - 1).is("DESC"))) {
            n--;
        }
        if (n >= 2 && term.get(n - 2).is("COLLATE")) {
            n -= 2;
        }
        if (n == 1 && (term.get(0).kind() == Kind.WORD || term.get(0).kind() == Kind.QUOTED_ID)) {
            return term.get(0).name();
        }
        return null;
    }

    private static boolean isName(Token t) {
        return t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_ID || t.kind() == Kind.STRING;
    }

    /** A character outside quotes and comments that starts no legal token in a CREATE statement. */
    private static String illegalCharacter(String sql) {
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                if (j >= n) {
                    return "unterminated quote";
                }
                i = j;
            } else if (c == '[') {
                int j = sql.indexOf(']', i + 1);
                if (j < 0) {
                    return "unterminated [identifier]";
                }
                i = j;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int j = sql.indexOf('\n', i);
                i = j < 0 ? n : j;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int j = sql.indexOf("*/", i + 2);
                i = j < 0 ? n : j + 1;
            } else if (c == '!' && !(i + 1 < n && sql.charAt(i + 1) == '=')) {
                return "unrecognized token: \"!\"";
            } else if (!(Character.isLetterOrDigit(c) || c == '_' || c > 127 || c == ' ' || c == '\t' || c == '\n'
                    || c == '\r' || c == '\f' || "()[],;.-+*/%<>=!|&~".indexOf(c) >= 0)) {
                return "unrecognized token: \"" + c + "\"";
            }
        }
        return null;
    }
}
