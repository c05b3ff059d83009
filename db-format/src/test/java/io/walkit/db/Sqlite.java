package io.walkit.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** sqlite-jdbc helpers for differential tests. */
final class Sqlite {

    private Sqlite() {}

    static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** Rows of {@code sql} with values normalised (Integer → Long). */
    static List<Object[]> query(Connection c, String sql) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = norm(rs.getObject(i + 1));
                }
                out.add(row);
            }
        }
        return out;
    }

    static Object norm(Object o) {
        if (o instanceof Integer i) {
            return i.longValue();
        }
        if (o instanceof Float f) {
            return f.doubleValue();
        }
        return o;
    }

    /** PRAGMA integrity_check result lines; an SQL error is returned as one line "error: ...". */
    static List<String> integrityCheck(Path file) {
        try (Connection c = open(file)) {
            List<String> out = new ArrayList<>();
            for (Object[] r : query(c, "PRAGMA integrity_check")) {
                out.add(String.valueOf(r[0]));
            }
            return out;
        } catch (SQLException e) {
            return List.of("error: " + e.getMessage());
        }
    }

    /**
     * PRAGMA integrity_check's problem lines in order (rows split at newlines, without the
     * "*** in database main ***" heading), keeping the rows read before a statement error, which
     * ends the list as "error: MESSAGE".
     */
    static List<String> integrityLines(Path file) {
        List<String> out = new ArrayList<>();
        try (Connection c = open(file); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
                for (String line : rs.getString(1).split("\n")) {
                    if (!line.startsWith("*** in database ")) {
                        out.add(line);
                    }
                }
            }
        } catch (SQLException e) {
            out.add("error: " + e.getMessage());
        }
        return out;
    }

    static boolean integrityOk(Path file) {
        List<String> r = integrityCheck(file);
        return r.equals(List.of("ok"));
    }

    static String show(Object[] row) {
        Object[] o = row.clone();
        for (int i = 0; i < o.length; i++) {
            if (o[i] instanceof byte[] b) {
                o[i] = "x'" + java.util.HexFormat.of().formatHex(b) + "'";
            } else if (o[i] instanceof String s && s.length() > 40) {
                o[i] = "'" + s.substring(0, 40) + "…'(" + s.length() + ")";
            }
        }
        return Arrays.toString(o);
    }

    static boolean rowEquals(Object[] a, Object[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!valueEquals(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    static boolean valueEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Double x && b instanceof Double y) {
            return Double.compare(x, y) == 0 || x.doubleValue() == y.doubleValue();
        }
        return java.util.Objects.equals(a, b);
    }
}
