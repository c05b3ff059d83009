package io.walkit.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random databases built with real SQLite (sqlite-jdbc): every affinity, rowid aliases,
 * WITHOUT ROWID, indexes (unique, partial, expression), overflow rows, UTF-16, page sizes
 * 512..65536, auto_vacuum modes, ALTER TABLE ADD COLUMN defaults, many deletes.
 */
final class DbGen {

    final long seed;
    final SplittableRandom rnd;
    final List<String> script = new ArrayList<>();
    int pageSize;
    String encoding;
    int autoVacuum;

    DbGen(long seed) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
    }

    static final String[] TYPES = {"INTEGER", "TEXT", "REAL", "NUMERIC", "BLOB", "", "VARCHAR(20)", "DOUBLE", "BOOLEAN",
            "INT", "CLOB", "DATE"};

    /** Builds the database at {@code file}; returns the table names. */
    List<String> build(Path file, int scale) throws SQLException {
        pageSize = 1 << (9 + rnd.nextInt(8));
        encoding = new String[] {"UTF-8", "UTF-16le", "UTF-16be"}[rnd.nextInt(3)];
        autoVacuum = rnd.nextInt(3);
        List<String> tables = new ArrayList<>();
        try (Connection c = Sqlite.open(file); Statement s = c.createStatement()) {
            exec(s, "PRAGMA page_size=" + pageSize);
            exec(s, "PRAGMA encoding='" + encoding + "'");
            exec(s, "PRAGMA auto_vacuum=" + autoVacuum);
            int nt = 1 + rnd.nextInt(4);
            for (int t = 0; t < nt; t++) {
                String name = "t" + t;
                tables.add(name);
                int ncol = 1 + rnd.nextInt(6);
                List<String> cols = new ArrayList<>();
                List<String> types = new ArrayList<>();
                boolean withoutRowid = rnd.nextInt(4) == 0;
                int ipk = withoutRowid || rnd.nextBoolean() ? -1 : 0;
                StringBuilder sql = new StringBuilder("CREATE TABLE " + name + "(");
                for (int i = 0; i < ncol; i++) {
                    String type = i == ipk ? "INTEGER" : TYPES[rnd.nextInt(TYPES.length)];
                    cols.add("c" + i);
                    types.add(type);
                    if (i > 0) {
                        sql.append(", ");
                    }
                    sql.append("c").append(i).append(' ').append(type);
                    if (i == ipk) {
                        sql.append(" PRIMARY KEY");
                    }
                }
                if (withoutRowid) {
                    sql.append(", PRIMARY KEY(c0)) WITHOUT ROWID");
                } else {
                    sql.append(')');
                }
                exec(s, sql.toString());
                int rows = rnd.nextInt(scale + 1);
                c.setAutoCommit(false);
                String ph = "?,".repeat(ncol);
                try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO " + name + " VALUES(" + ph.substring(0, ph.length() - 1) + ")")) {
                    for (int r = 0; r < rows; r++) {
                        for (int i = 0; i < ncol; i++) {
                            Object v = (i == 0 && (withoutRowid || i == ipk)) ? (Object) (long) (r * 7 + rnd.nextInt(5)) : value();
                            if (i == ipk && rnd.nextInt(10) == 0) {
                                v = null;
                            }
                            ps.setObject(i + 1, v);
                        }
                        ps.executeUpdate();
                    }
                }
                c.commit();
                c.setAutoCommit(true);
                int ni = rnd.nextInt(3);
                for (int k = 0; k < ni; k++) {
                    int col = rnd.nextInt(ncol);
                    String kind = rnd.nextInt(5) == 0 ? "UNIQUE " : "";
                    String idx = "CREATE " + kind + "INDEX " + name + "_i" + k + " ON " + name + "(c" + col
                            + (ncol > 1 && rnd.nextBoolean() ? ", c" + rnd.nextInt(ncol) + " DESC" : "") + ")";
                    if (rnd.nextInt(6) == 0) {
                        idx += " WHERE c" + col + " IS NOT NULL";
                    }
                    try {
                        exec(s, idx);
                    } catch (SQLException e) {
                        script.add("-- failed: " + e.getMessage());
                    }
                }
                if (rnd.nextInt(4) == 0) {
                    exec(s, "DELETE FROM " + name + " WHERE " + cols.get(rnd.nextInt(ncol)) + " IS NULL OR length(CAST(c0 AS TEXT)) % 3 = " + rnd.nextInt(3));
                }
                if (rnd.nextInt(4) == 0) {
                    exec(s, "ALTER TABLE " + name + " ADD COLUMN extra" + t + " TEXT DEFAULT 'dflt'");
                    exec(s, "ALTER TABLE " + name + " ADD COLUMN n" + t + " INTEGER DEFAULT -5");
                    if (rnd.nextBoolean() && !withoutRowid) {
                        exec(s, "INSERT INTO " + name + " DEFAULT VALUES");
                    }
                }
                if (rnd.nextInt(5) == 0) {
                    tryExec(s, "UPDATE " + name + " SET " + cols.get(ncol - 1) + " = NULL WHERE length(CAST(c0 AS TEXT)) % 2 = " + rnd.nextInt(2));
                }
            }
            if (rnd.nextInt(5) == 0) {
                exec(s, "DROP TABLE t0");
                tables.remove("t0");
            }
            if (autoVacuum == 2 && rnd.nextBoolean()) {
                exec(s, "PRAGMA incremental_vacuum(3)");
            }
        }
        return tables;
    }

    Object value() {
        return switch (rnd.nextInt(12)) {
            case 0 -> null;
            case 1 -> (long) rnd.nextInt(3) - 1;
            case 2 -> (long) rnd.nextInt(1 << 20) - (1 << 19);
            case 3 -> rnd.nextLong();
            case 4 -> rnd.nextDouble() * 1e6 - 5e5;
            case 5 -> (double) rnd.nextInt(100);
            case 6 -> text(rnd.nextInt(30));
            case 7 -> text(rnd.nextInt(4) == 0 ? 2000 + rnd.nextInt(70000) : rnd.nextInt(600));
            case 8 -> blob(rnd.nextInt(4) == 0 ? 3000 + rnd.nextInt(70000) : rnd.nextInt(100));
            case 9 -> Long.toString(rnd.nextInt(1000));
            case 10 -> "  " + rnd.nextInt(50) + ".5";
            default -> (long) rnd.nextInt(1 << 30) << rnd.nextInt(20);
        };
    }

    String text(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(20);
            if (k == 0) {
                sb.append('é');
            } else if (k == 1) {
                sb.appendCodePoint(0x1F600);
            } else if (k == 2) {
                sb.append('中');
            } else {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
        }
        return sb.toString();
    }

    byte[] blob(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    void tryExec(Statement s, String sql) {
        try {
            exec(s, sql);
        } catch (SQLException e) {
            script.add("-- failed: " + e.getMessage());
        }
    }

    void exec(Statement s, String sql) throws SQLException {
        script.add(sql);
        s.executeUpdate(sql);
    }

    String describe() {
        return "seed=" + seed + " pageSize=" + pageSize + " encoding=" + encoding + " autoVacuum=" + autoVacuum
                + "\n  " + String.join(";\n  ", script);
    }
}
