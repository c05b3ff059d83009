package io.walkit.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Real SQLite (sqlite-jdbc) as the oracle of differential tests: seeded workloads that leave a WAL
 * in place, and "what does SQLite recover from these files" queries run on private copies.
 */
public final class Sqlite {

    private Sqlite() {}

    /** A database and its WAL copied while the writing connection was still open. */
    public record Capture(Path db, Path wal, Path shm, int commitsInWal, String script) {}

    /** What a fresh connection makes of a db + WAL pair. */
    public record Recovered(long mxFrame, byte[] shm, String digest, String integrity) {}

    public static Connection open(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
    }

    /** Opens {@code db} in WAL mode with no automatic checkpoints and the given page size. */
    public static Connection openWal(Path db, int pageSize, int cacheSize) throws SQLException {
        Connection c = open(db);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + pageSize);
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            if (cacheSize > 0) {
                s.execute("PRAGMA cache_size=" + cacheSize);
            }
        }
        return c;
    }

    public static void createSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.execute("CREATE TABLE t1(id INTEGER PRIMARY KEY, a TEXT, b BLOB)");
            s.execute("CREATE INDEX t1a ON t1(a)");
            s.execute("CREATE TABLE t2(k TEXT PRIMARY KEY, v INTEGER, w REAL) WITHOUT ROWID");
            s.execute("CREATE TABLE t3(x, y, z)");
            s.execute("CREATE INDEX t3yz ON t3(y, z)");
            s.execute("COMMIT");
        }
    }

    /**
     * Runs one random transaction (inserts, large rows, updates, deletes over several tables and
     * indexes); it always inserts at least one row, so it always commits a frame.
     */
    public static String randomTransaction(Connection c, SplittableRandom r, int pageSize) throws SQLException {
        StringBuilder log = new StringBuilder("txn[");
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN");
            int ops = 1 + r.nextInt(8);
            for (int i = 0; i < ops; i++) {
                int kind = i == 0 ? 0 : r.nextInt(6);
                switch (kind) {
                    case 0, 1 -> {
                        int len = r.nextInt(10) == 0 ? pageSize * (1 + r.nextInt(3)) : r.nextInt(200);
                        s.execute("INSERT INTO t1(a,b) VALUES('" + word(r) + "', randomblob(" + len + "))");
                        log.append("ins1(").append(len).append(") ");
                    }
                    case 2 -> {
                        s.execute("INSERT OR REPLACE INTO t2 VALUES('" + word(r) + "', " + r.nextInt() + ", "
                                + r.nextDouble() + ")");
                        s.execute("INSERT INTO t3 VALUES(" + r.nextInt(100) + ", '" + word(r) + "', zeroblob("
                                + r.nextInt(300) + "))");
                        log.append("ins23 ");
                    }
                    case 3 -> {
                        s.execute("UPDATE t1 SET a = a || 'x' WHERE id % " + (2 + r.nextInt(5)) + " = 0");
                        log.append("upd ");
                    }
                    case 4 -> {
                        s.execute("DELETE FROM t1 WHERE id % " + (3 + r.nextInt(7)) + " = 1");
                        log.append("del1 ");
                    }
                    default -> {
                        s.execute("DELETE FROM t3 WHERE x < " + r.nextInt(30));
                        log.append("del3 ");
                    }
                }
            }
            s.execute("COMMIT");
        }
        return log.append(']').toString();
    }

    private static String word(SplittableRandom r) {
        char[] cs = new char[1 + r.nextInt(12)];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(cs);
    }

    /**
     * A seeded workload in {@code dir}/w.db: schema, {@code transactions} random transactions
     * (optionally a {@code PRAGMA wal_checkpoint(RESTART)} after the first {@code restartAfter}, so
     * the following transactions restart the log over the old frames), then db, WAL and -shm are
     * copied to {@code dir}/capture.* while the connection is open.
     */
    public static Capture workload(Path dir, int pageSize, long seed, int transactions, int restartAfter)
            throws SQLException, IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Path db = dir.resolve("w.db");
        StringBuilder script = new StringBuilder("pageSize " + pageSize + " seed " + seed + ": ");
        int cache = r.nextInt(3) == 0 ? 10 : 0;
        if (cache > 0) {
            script.append("cache_size 10; ");
        }
        try (Connection c = openWal(db, pageSize, cache)) {
            createSchema(c);
            int commits = 1;
            for (int t = 0; t < transactions; t++) {
                if (t == restartAfter) {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
                        rs.next();
                        script.append("checkpoint RESTART -> (").append(rs.getInt(1)).append(',').append(rs.getInt(2))
                                .append(',').append(rs.getInt(3)).append("); ");
                    }
                    commits = 0;
                }
                script.append(randomTransaction(c, r, pageSize)).append(' ');
                commits++;
            }
            Path cdb = dir.resolve("capture.db");
            Path cwal = dir.resolve("capture.db-wal");
            Path cshm = dir.resolve("capture.db-shm");
            Files.copy(db, cdb);
            Files.copy(dir.resolve("w.db-wal"), cwal);
            Files.copy(dir.resolve("w.db-shm"), cshm);
            return new Capture(cdb, cwal, cshm, commits, script.toString());
        }
    }

    /**
     * Copies {@code db} and {@code wal} into a fresh directory under {@code work}, opens them with
     * a new connection (SQLite recovers the WAL and builds a -shm), and reports the recovered
     * mxFrame (the {@code log} column of {@code PRAGMA wal_checkpoint(PASSIVE)}), the -shm recovery
     * wrote, a digest of every table's content and {@code PRAGMA integrity_check}.
     */
    public static Recovered recover(Path db, byte[] wal, Path work) throws SQLException, IOException {
        Path d = Files.createTempDirectory(work, "recover");
        Path rdb = d.resolve("r.db");
        Files.copy(db, rdb);
        Files.write(d.resolve("r.db-wal"), wal);
        try (Connection c = open(rdb)) {
            String digest = digest(c);
            byte[] shm = Files.exists(d.resolve("r.db-shm")) ? Files.readAllBytes(d.resolve("r.db-shm")) : null;
            String integrity;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                integrity = rs.getString(1);
            }
            long log;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                log = rs.getLong(2);
            }
            return new Recovered(log, shm, digest, integrity);
        }
    }

    /** Only the recovered mxFrame (cheaper than {@link #recover}: no digest, no integrity check). */
    public static long recoveredMxFrame(Path db, byte[] wal, Path work) throws SQLException, IOException {
        Path d = Files.createTempDirectory(work, "mx");
        Path rdb = d.resolve("r.db");
        Files.copy(db, rdb);
        Files.write(d.resolve("r.db-wal"), wal);
        try (Connection c = open(rdb);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** SHA-256 over every table's rows (tables by name, rows in storage order), hex. */
    public static String digest(Connection c) throws SQLException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                md.update(t.getBytes(StandardCharsets.UTF_8));
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    long rows = 0;
                    while (rs.next()) {
                        rows++;
                        for (int i = 1; i <= n; i++) {
                            byte[] b = rs.getBytes(i);
                            md.update(b == null ? new byte[] {0} : b);
                            md.update((byte) 1);
                        }
                    }
                    md.update(Long.toString(rows).getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
