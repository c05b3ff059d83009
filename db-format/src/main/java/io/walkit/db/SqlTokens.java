package io.walkit.db;

import java.util.ArrayList;
import java.util.List;

/**
 * A small SQL tokenizer for the CREATE statements stored in sqlite_schema: identifiers (bare,
 * "double", [bracket], `backtick`), string literals, numbers, blob literals and punctuation;
 * comments and whitespace are dropped. Linear in the text length.
 */
final class SqlTokens {

    enum Kind { WORD, QUOTED_ID, STRING, NUMBER, BLOB, PUNCT }

    record Token(Kind kind, String text) {
        boolean is(String word) {
            return (kind == Kind.WORD) && text.equalsIgnoreCase(word);
        }

        boolean punct(char c) {
            return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
        }

        /** The identifier (or string used as an identifier) this token names. */
        String name() {
            return text;
        }
    }

    private SqlTokens() {}

    static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int e = sql.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 2;
            } else if (c == '"' || c == '`' || c == '\'') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < n) {
                    char d = sql.charAt(j);
                    if (d == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            sb.append(c);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    sb.append(d);
                    j++;
                }
                out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED_ID, sb.toString()));
                i = j + 1;
            } else if (c == '[') {
                int e = sql.indexOf(']', i + 1);
                if (e < 0) {
                    e = n;
                }
                out.add(new Token(Kind.QUOTED_ID, sql.substring(i + 1, e)));
                i = e + 1;
            } else if ((c == 'x' || c == 'X') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                int e = sql.indexOf('\'', i + 2);
                if (e < 0) {
                    e = n;
                }
                out.add(new Token(Kind.BLOB, sql.substring(i + 2, e)));
                i = e + 1;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.'
                        || ((sql.charAt(j) == '+' || sql.charAt(j) == '-') && j > i
                        && (sql.charAt(j - 1) == 'e' || sql.charAt(j - 1) == 'E') && !sql.substring(i, j).startsWith("0x")))) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_' || c > 127 || c == '$') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) > 127
                        || sql.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, j)));
                i = j;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c)));
                i++;
            }
        }
        return out;
    }
}
