package io.walkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walkit.db.Database;
import io.walkit.db.IntegrityCheck;
import io.walkit.db.TableReader;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Runs every {@code @Benchmark} method of {@link TableScanBenchmark} and
 * {@link IntegrityCheckBenchmark} once on a tiny database made by real SQLite (sqlite-jdbc), and
 * checks what the side-by-side script relies on: the row sums and the {@code sha3_query} digest
 * that {@link DbFiles} computes equal SQLite's, and the integrity verdicts agree on an intact and
 * a damaged copy. No timing.
 */
class DbBenchmarksSmokeTest {

    @TempDir
    Path dir;

    /** Rows of every storage class, a REAL-affinity column, NULLs and blobs that overflow 1 KiB pages. */
    private Path tinyDb(int pageSize) throws Exception {
        Path db = dir.resolve("tiny-" + pageSize + ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + pageSize);
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, r REAL, x TEXT, v BLOB)");
            s.execute("CREATE INDEX t_k ON t(k)");
            c.setAutoCommit(false);
            SplittableRandom rnd = new SplittableRandom(42);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t(k, r, x, v) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 300; i++) {
                    switch (i % 7) {
                        case 0 -> p.setNull(1, Types.INTEGER);
                        case 1 -> p.setLong(1, Long.MIN_VALUE + i);
                        default -> p.setLong(1, rnd.nextLong(-(1L << 40), 1L << 40));
                    }
                    if (i % 5 == 0) {
                        p.setLong(2, i); // integral value in a REAL column: stored as an integer
                    } else {
                        p.setDouble(2, rnd.nextDouble() * 1e6);
                    }
                    p.setString(3, i % 3 == 0 ? null : "text é " + i);
                    byte[] blob = new byte[rnd.nextInt(0, i % 10 == 0 ? 5000 : 900)];
                    rnd.nextBytes(blob);
                    p.setBytes(4, blob);
                    p.executeUpdate();
                }
            }
            c.commit();
        }
        return db;
    }

    private static int runEachBenchmarkOnce(Object bench) throws Exception {
        Class<?> c = bench.getClass();
        for (Method m : c.getMethods()) {
            if (m.isAnnotationPresent(Setup.class)) {
                m.invoke(bench);
            }
        }
        int n = 0;
        for (Method m : c.getMethods()) {
            if (!m.isAnnotationPresent(Benchmark.class)) {
                continue;
            }
            Class<?> p = m.getParameterTypes()[0];
            Object counter = p.getConstructor().newInstance();
            Object r = m.invoke(bench, counter);
            long counted = (long) p.getField(p == RowCounter.class ? "rows" : "pages").get(counter);
            assertTrue(counted > 0, m.getName() + " counted nothing");
            assertTrue(r != null, m.getName());
            n++;
        }
        return n;
    }

    @Test
    void benchmarksRunOnceOnTinyDatabases() throws Exception {
        for (int pageSize : new int[] {1024, 4096}) {
            Path db = tinyDb(pageSize);
            TableScanBenchmark scan = new TableScanBenchmark();
            scan.file = db.toString();
            scan.rows = "0";
            scan.pageSize = "0";
            scan.table = "t";
            assertEquals(2, runEachBenchmarkOnce(scan));
            IntegrityCheckBenchmark check = new IntegrityCheckBenchmark();
            check.file = db.toString();
            check.rows = "0";
            check.pageSize = "0";
            assertEquals(1, runEachBenchmarkOnce(check));
        }
    }

    @Test
    void rowSumsAndDigestEqualSqlites() throws Exception {
        for (int pageSize : new int[] {1024, 4096}) {
            Path db = tinyDb(pageSize);
            long[] expected = new long[3];
            String expectedSha3;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
                // wrapping sum of the values stored as integers (rowid, k, integral values of the REAL
                // column, which SQLite stores as integers) and the sum of text/blob lengths in bytes
                try (ResultSet rs = s.executeQuery("SELECT id, k, r, length(CAST(x AS BLOB)), length(v) FROM t")) {
                    while (rs.next()) {
                        expected[0]++;
                        expected[1] += rs.getLong(1) + rs.getLong(2);
                        double r = rs.getDouble(3);
                        expected[1] += r == Math.rint(r) ? (long) r : 0;
                        expected[2] += rs.getLong(4) + rs.getLong(5);
                    }
                }
                expectedSha3 = sha3OfResult(c, "SELECT * FROM t");
            }
            try (Database d = Database.open(db, null, null)) {
                TableReader t = DbFiles.table(d, "t");
                long[] a = new long[4];
                DbFiles.decodeRecords(d, t, a);
                long[] b = new long[4];
                DbFiles.selectStar(t, b);
                assertEquals(expected[0], a[0], "rows (records)");
                assertEquals(expected[0], b[0], "rows (select *)");
                assertEquals(expected[1], a[1], "integer sum (records)");
                assertEquals(expected[2], a[2], "text+blob bytes (records)");
                assertEquals(expected[2], b[2] - textCharsMinusBytes(d), "text+blob bytes (select *)");
                assertEquals(expectedSha3, DbFiles.sha3SelectStar(t, "SELECT * FROM t"), "sha3_query digest");
                String cli = SqliteCli.sha3Query(db, "SELECT * FROM t");
                if (cli != null) {
                    assertEquals(cli, expectedSha3, "the sqlite3 CLI's sha3_query");
                }
            }
        }
    }

    /** selectStar counts text in chars; the fixture's only non-ASCII char is one 'é' (2 bytes) per text. */
    private static long textCharsMinusBytes(Database d) throws Exception {
        long[] n = {0};
        DbFiles.table(d, "t").scan((rowid, v) -> {
            if (v[3] instanceof String s) {
                n[0] += s.length() - s.getBytes(StandardCharsets.UTF_8).length;
            }
            return true;
        });
        return n[0];
    }

    /** sha3_query's encoding computed from a JDBC result set (types as SQLite reports them). */
    private static String sha3OfResult(Connection c, String sql) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA3-256");
        md.update(("S" + sql.length() + ":" + sql).getBytes(StandardCharsets.UTF_8));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                md.update((byte) 'R');
                for (int i = 1; i <= n; i++) {
                    Object o = rs.getObject(i);
                    switch (o) {
                        case null -> md.update((byte) 'N');
                        case Integer v -> md.update(ByteBuffer.allocate(9).put((byte) 'I').putLong(v).array());
                        case Long v -> md.update(ByteBuffer.allocate(9).put((byte) 'I').putLong(v).array());
                        case Double v -> md.update(ByteBuffer.allocate(9).put((byte) 'F')
                                .putLong(Double.doubleToRawLongBits(v)).array());
                        case String v -> {
                            byte[] b = v.getBytes(StandardCharsets.UTF_8);
                            md.update(("T" + b.length + ":").getBytes(StandardCharsets.US_ASCII));
                            md.update(b);
                        }
                        case byte[] v -> {
                            md.update(("B" + v.length + ":").getBytes(StandardCharsets.US_ASCII));
                            md.update(v);
                        }
                        default -> throw new IllegalStateException(o.getClass().toString());
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : md.digest()) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    @Test
    void crossCheckExperimentVariantsAgreeOnAnIntactDatabase() throws Exception {
        try (Database d = Database.open(tinyDb(1024), null, null)) {
            assertEquals(0, CrossCheckExperiment.run(d, "integrity", "t", "t_k"));
            assertEquals(300, CrossCheckExperiment.run(d, "indexStrings", "t", "t_k"));
            assertEquals(0, CrossCheckExperiment.run(d, "stringCrossCheck", "t", "t_k"), "every row's key found");
            assertEquals(0, CrossCheckExperiment.run(d, "primitiveCrossCheck", "t", "t_k"), "same multiset");
        }
    }

    @Test
    void integrityVerdictsAgreeOnIntactAndDamagedCopies() throws Exception {
        Path db = tinyDb(1024);
        assertTrue(check(db).ok());
        assertEquals(List.of("ok"), sqliteIntegrity(db));
        // damage: zero the cell-pointer area of the last page (a table leaf or overflow page)
        byte[] bytes = Files.readAllBytes(db);
        int last = bytes.length / 1024 - 1;
        for (int i = 0; i < 64; i++) {
            bytes[last * 1024 + i] = (byte) 0xFF;
        }
        Path bad = dir.resolve("damaged.db");
        Files.write(bad, bytes);
        assertFalse(check(bad).ok(), "walkit finds the damage");
        assertFalse(sqliteIntegrity(bad).equals(List.of("ok")), "SQLite finds the damage");
    }

    private static IntegrityCheck.Report check(Path db) throws Exception {
        try (Database d = Database.open(db, null, null)) {
            return IntegrityCheck.check(d, 100);
        }
    }

    private static List<String> sqliteIntegrity(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            // SQLite may refuse to finish the check on a malformed image: that is a "damaged" verdict too
            assertTrue(e.getMessage().contains("SQLITE_CORRUPT"), e.getMessage());
            return List.of("SQLITE_CORRUPT");
        }
    }

    @Test
    void syntheticDatabaseIsMadeByTheCliAndCached() throws Exception {
        assumeTrue(BenchmarksSmokeTest.run(List.of("sqlite3", "-version")) != null, "sqlite3 CLI not installed");
        Path db = SyntheticDb.cached(dir, 200, 1024);
        assertEquals(db, SyntheticDb.cached(dir, 200, 1024));
        try (Database d = Database.open(db, null, null)) {
            assertEquals(1024, d.pageSize());
            long[] a = new long[4];
            DbFiles.decodeRecords(d, DbFiles.table(d, "t"), a);
            assertEquals(200, a[0]);
            assertEquals(200L * 201 / 2, a[1] - sumK(db), "rowids 1..200");
            assertTrue(IntegrityCheck.check(d, 100).ok());
        }
    }

    private static long sumK(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sum(k) FROM t")) {
            return rs.getLong(1);
        }
    }

    /** The sqlite3 CLI, when installed. */
    static final class SqliteCli {
        static String sha3Query(Path db, String sql) {
            String out = BenchmarksSmokeTest.run(List.of("sqlite3", "-readonly", db.toString(),
                    "SELECT lower(hex(sha3_query('" + sql.replace("'", "''") + "')))"));
            return out == null ? null : out.strip();
        }
    }
}
