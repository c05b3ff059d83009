package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reserved bytes per page (header offset 20), which sqlite-jdbc cannot set: databases are made by
 * the sqlite3 CLI with {@code .filectrl reserve_bytes N}, then walkit's rows are compared with
 * sqlite-jdbc's and both integrity checks must say ok. Skips when the sqlite3 CLI is absent.
 */
class ReservedBytesTest {

    static boolean haveCli() {
        try {
            Process p = new ProcessBuilder("sqlite3", "-version").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void rowsEqualSqliteWithReservedBytes(@TempDir Path dir) throws Exception {
        assumeTrue(haveCli(), "the sqlite3 CLI is not installed; skipping the reserved-bytes differential test");
        for (long seed : DifferentialReadTest.seeds(6)) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int pageSize = 1 << (9 + rnd.nextInt(8));
            int reserve = 1 + rnd.nextInt(Math.min(255, pageSize - 480));
            DbGen values = new DbGen(seed);
            StringBuilder sql = new StringBuilder();
            sql.append("PRAGMA page_size=").append(pageSize).append(";\n");
            sql.append("PRAGMA auto_vacuum=").append(rnd.nextInt(3)).append(";\n");
            sql.append("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c, d REAL);\n");
            sql.append("CREATE INDEX tb ON t(b);\n");
            sql.append("CREATE TABLE w(k INT PRIMARY KEY, v) WITHOUT ROWID;\n");
            sql.append("BEGIN;\n");
            for (int i = 0; i < 80; i++) {
                sql.append("INSERT INTO t(b, c, d) VALUES(").append(literal(values.value())).append(", ")
                        .append(literal(values.value())).append(", ").append(literal(values.value())).append(");\n");
                sql.append("INSERT OR IGNORE INTO w VALUES(").append(rnd.nextInt(1000)).append(", ")
                        .append(literal(values.value())).append(");\n");
            }
            sql.append("COMMIT;\nDELETE FROM t WHERE a % 4 = ").append(rnd.nextInt(4)).append(";\n");
            Path db = dir.resolve("r" + seed + ".db");
            Path script = dir.resolve("r" + seed + ".sql");
            Files.writeString(script, sql, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder("sqlite3", db.toString(), ".filectrl reserve_bytes " + reserve, ".read " + script)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sqlite3 finished");
            assertEquals(reserve, Files.readAllBytes(db)[20] & 0xFF, "reserved bytes in the header (" + out + ")");
            DifferentialReadTest.compareAll(db);
            assertTrue(Sqlite.integrityOk(db));
            assertTrue(IntegrityCheckDifferentialTest.check(db).ok(), "seed " + seed + " reserve " + reserve);
        }
    }

    static String literal(Object v) {
        return switch (v) {
            case null -> "NULL";
            case Long l -> l.toString();
            case Double d -> d.toString();
            case String s -> "'" + s.replace("'", "''") + "'";
            case byte[] b -> "X'" + HexFormat.of().formatHex(b) + "'";
            default -> throw new AssertionError(v);
        };
    }
}
