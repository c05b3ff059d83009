package io.walkit.db;

import java.util.Locale;

/** Column type affinity (SQLite: {@code sqlite3AffinityType}), from a declared type name. Thread-safe (an enum). */
public enum Affinity {
    /** No conversion (SQLite: SQLITE_AFF_BLOB, once called NONE): a BLOB or missing declared type. */
    BLOB,
    /** Numbers stored into the column become text. */
    TEXT,
    /** Numeric-looking text becomes an integer or a real. */
    NUMERIC,
    /** As NUMERIC; the declared type contains "INT". */
    INTEGER,
    /** As NUMERIC, but integers are stored as reals (on disk they may still be integers). */
    REAL;

    /**
     * SQLite's rules, in order: INT → INTEGER; CHAR/CLOB/TEXT → TEXT; BLOB or none → BLOB; REAL/FLOA/DOUB → REAL; else NUMERIC.
     *
     * @param declaredType the column's declared type, or {@code null}/blank for none
     * @return the affinity
     */
    public static Affinity of(String declaredType) {
        if (declaredType == null || declaredType.isBlank()) {
            return BLOB;
        }
        String t = declaredType.toUpperCase(Locale.ROOT);
        if (t.contains("INT")) {
            return INTEGER;
        }
        if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return TEXT;
        }
        if (t.contains("BLOB")) {
            return BLOB;
        }
        if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return REAL;
        }
        return NUMERIC;
    }

    /** {@return whether this affinity converts numeric-looking text (NUMERIC, INTEGER, REAL)} */
    public boolean numeric() {
        return this == NUMERIC || this == INTEGER || this == REAL;
    }

    /**
     * Applies this affinity to {@code v} as SQLite does when storing (used for column defaults):
     * numeric affinities turn well-formed numeric text into numbers; TEXT turns numbers into text.
     *
     * @param v the value: {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}
     * @return the converted value, or {@code v} itself when no conversion applies
     */
    public Object apply(Object v) {
        if (v == null) {
            return null;
        }
        if (numeric() && v instanceof String s) {
            Object n = parseNumber(s);
            if (n != null) {
                if (this != REAL && n instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                    return d.longValue();
                }
                if (this == REAL && n instanceof Long l) {
                    return l.doubleValue();
                }
                return n;
            }
            return v;
        }
        if (this == REAL && v instanceof Long l) {
            return l.doubleValue();
        }
        if (this == TEXT && (v instanceof Long || v instanceof Double)) {
            return v instanceof Long ? v.toString() : realToText((Double) v);
        }
        return v;
    }

    /**
     * Text of a numeric literal as a Long or Double, or null when it is not one (leading/trailing spaces allowed).
     *
     * @param s the text (no hexadecimal, no thousands separators)
     * @return a {@link Long} for an integer that fits, a {@link Double} for other decimal numbers, or {@code null}
     */
    public static Object parseNumber(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException ignored) {
            // not an integer
        }
        if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return null;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String realToText(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return (long) d + ".0";
        }
        return Double.toString(d);
    }
}
