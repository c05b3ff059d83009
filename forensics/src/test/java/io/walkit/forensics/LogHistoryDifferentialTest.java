package io.walkit.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential proof of {@link LogHistory} against real SQLite (sqlite-jdbc): seeded workloads in WAL
 * mode (inserts, large rows with overflow, updates, deletes of many rows so pages merge, a WITHOUT ROWID
 * table, optionally a checkpoint RESTART half way) record what SQLite reads after every commit; walkit
 * must read the same rows at every commit of the captured WAL, and its diff between consecutive commits
 * must be exactly the difference of SQLite's two readings. Failures print the seed and the script.
 */
class LogHistoryDifferentialTest {

    @TempDir
    Path dir;

    private static final String[] TABLES = {"t", "k"};

    @Test
    void everyCommitReadsAsSqliteReadItAndDiffsAreExact() throws Exception {
        for (long seed = 1; seed <= 8; seed++) {
            run(seed, seed % 3 == 0);
        }
    }

    private void run(long seed, boolean restart) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path d = Files.createDirectory(dir.resolve("s" + seed));
        Path db = d.resolve("h.db");
        int pageSize = new int[] {512, 1024, 4096}[rnd.nextInt(3)];
        StringBuilder script = new StringBuilder("seed " + seed + " page_size " + pageSize + ": ");
        // states.get(i) = SQLite's reading after the i-th commit of the captured WAL's generation.
        List<Map<String, Map<Object, List<Object>>>> states = new ArrayList<>();
        int transactions = 40;
        int restartAt = restart ? 20 : -1;
        try (Connection c = Sqlite.openWal(db, pageSize, 0); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b REAL, c BLOB)");
            s.execute("CREATE TABLE k(name TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID");
            states.add(Map.of());          // commit 0: the empty database file
            states.add(read(c));           // commit 1: the first CREATE TABLE ... autocommit
            states.add(read(c));
            for (int t = 0; t < transactions; t++) {
                if (t == restartAt) {
                    try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
                        rs.next();
                    }
                    script.append("RESTART; ");
                    Map<String, Map<Object, List<Object>>> last = states.getLast();
                    states.clear();
                    states.add(last);      // commit 0 is now the checkpointed database file
                }
                long changesBefore = totalChanges(s);
                s.execute("BEGIN");
                int ops = 1 + rnd.nextInt(6);
                for (int o = 0; o < ops; o++) {
                    String sql = switch (rnd.nextInt(8)) {
                        case 0, 1 -> "INSERT INTO t(a,b,c) VALUES('" + "w".repeat(rnd.nextInt(40)) + rnd.nextInt(1000) + "', "
                                + rnd.nextInt(100) + (rnd.nextBoolean() ? ".25" : "") + ", randomblob(" + rnd.nextInt(60) + "))";
                        case 2 -> "INSERT INTO t(a,c) VALUES('big', zeroblob(" + (pageSize + rnd.nextInt(3 * pageSize)) + "))";
                        case 3 -> "UPDATE t SET a = a || 'u', b = NULL WHERE id % " + (2 + rnd.nextInt(5)) + " = " + rnd.nextInt(2);
                        case 4 -> "DELETE FROM t WHERE id % " + (2 + rnd.nextInt(4)) + " = 0";
                        case 5 -> "INSERT OR REPLACE INTO k VALUES('k" + rnd.nextInt(30) + "', " + rnd.nextLong() + ")";
                        case 6 -> "DELETE FROM k WHERE v % 3 = " + rnd.nextInt(3);
                        default -> "INSERT INTO t(a,b) SELECT a || 'c', b FROM t WHERE id % 4 = 1 LIMIT 20";
                    };
                    s.execute(sql);
                    script.append(sql).append("; ");
                }
                s.execute("COMMIT");
                script.append("COMMIT; ");
                // A transaction that changed no row dirtied no page and wrote no commit frame.
                if (totalChanges(s) != changesBefore) {
                    states.add(read(c));
                }
            }
            Files.copy(db, d.resolve("c.db"));
            Files.copy(d.resolve("h.db-wal"), d.resolve("c.db-wal"));
        }
        // The workload replays from the seed; the script's start says which one.
        String ctx = script.length() > 400 ? script.substring(0, 400) + "..." : script.toString();
        try (LogHistory h = LogHistory.open(d.resolve("c.db"), d.resolve("c.db-wal"))) {
            assertEquals(states.size() - 1, h.commitCount(), ctx);
            TableSnapshot[] prev = new TableSnapshot[TABLES.length];
            for (int i = 0; i < states.size(); i++) {
                for (int ti = 0; ti < TABLES.length; ti++) {
                    String table = TABLES[ti];
                    TableSnapshot snap = h.snapshot(i, table);
                    Map<Object, List<Object>> expected = states.get(i).getOrDefault(table, Map.of());
                    assertEquals(expected, normalise(snap), "commit " + i + " table " + table + "\n" + ctx);
                    if (i > 0) {
                        Map<Object, List<Object>> before = states.get(i - 1).getOrDefault(table, Map.of());
                        assertEquals(expectedDiff(before, expected), describe(TableSnapshot.diff(prev[ti], snap)),
                                "diff " + (i - 1) + ".." + i + " table " + table + "\n" + ctx);
                    }
                    prev[ti] = snap;
                }
            }
            // A jump over many commits equals the difference of the two readings too.
            int last = states.size() - 1;
            assertEquals(expectedDiff(states.get(0).getOrDefault("t", Map.of()), states.get(last).get("t")),
                    describe(TableSnapshot.diff(h.snapshot(0, "t"), h.snapshot(last, "t"))), ctx);
        }
    }

    private static long totalChanges(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT total_changes()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** What SQLite reads now: table -> key (rowid, or the k column) -> values (blobs as hex strings). */
    private static Map<String, Map<Object, List<Object>>> read(Connection c) throws Exception {
        Map<String, Map<Object, List<Object>>> out = new TreeMap<>();
        for (String table : TABLES) {
            Map<Object, List<Object>> rows = new TreeMap<>(LogHistoryDifferentialTest::compareKeys);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<Object> values = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        values.add(value(rs.getObject(i)));
                    }
                    rows.put(values.get(0), values);
                }
            }
            out.put(table, rows);
        }
        return out;
    }

    private static int compareKeys(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        return a.toString().compareTo(b.toString());
    }

    private static Object value(Object v) {
        return switch (v) {
            case Integer i -> i.longValue();
            case byte[] b -> "x'" + java.util.HexFormat.of().formatHex(b) + "'";
            case null, default -> v;
        };
    }

    private static Map<Object, List<Object>> normalise(TableSnapshot s) {
        Map<Object, List<Object>> out = new TreeMap<>(LogHistoryDifferentialTest::compareKeys);
        for (Map.Entry<Object, Object[]> e : s.rows().entrySet()) {
            List<Object> values = Arrays.stream(e.getValue()).map(LogHistoryDifferentialTest::value).toList();
            out.put(values.get(0), values);
        }
        return out;
    }

    private static List<String> expectedDiff(Map<Object, List<Object>> before, Map<Object, List<Object>> after) {
        Map<Object, String> out = new TreeMap<>(LogHistoryDifferentialTest::compareKeys);
        before.forEach((k, v) -> {
            List<Object> n = after.get(k);
            if (n == null) {
                out.put(k, "delete " + k + " " + v + " -> null");
            } else if (!n.equals(v)) {
                out.put(k, "update " + k + " " + v + " -> " + n);
            }
        });
        after.forEach((k, v) -> {
            if (!before.containsKey(k)) {
                out.put(k, "insert " + k + " null -> " + v);
            }
        });
        return new ArrayList<>(out.values());
    }

    private static List<String> describe(List<RowChange> changes) {
        List<String> out = new ArrayList<>();
        for (RowChange c : changes) {
            Object key = c.rowid() != null ? c.rowid() : c.key().getFirst();
            out.add(c.change().jsonName() + " " + key + " " + list(c.oldValues()) + " -> " + list(c.newValues()));
        }
        assertTrue(out.stream().distinct().count() == out.size(), "one change per key: " + out);
        return out;
    }

    private static Object list(Object[] vs) {
        return vs == null ? "null" : Arrays.stream(vs).map(LogHistoryDifferentialTest::value).toList();
    }
}
