package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rows walkit reads through a WAL as of each commit equal what SQLite returned at that point. */
class WalViewTest {

    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("testdata"))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void sampleRowsAsOfLastCommit() throws Exception {
        Path dir = projectRoot().resolve("testdata/wal");
        try (Database db = Database.open(dir.resolve("sample.db"), dir.resolve("sample.db-wal"), null)) {
            assertEquals(3, db.pageCount());
            TableReader r = TableReader.open(db, "person");
            List<String> rows = new ArrayList<>();
            r.scan((id, v) -> rows.add(id + ":" + java.util.Arrays.toString(v)));
            assertEquals(List.of("1:[1, Ada, ada@lovelace.example]", "3:[3, Edsger, edsger@example.org]"), rows);
            assertEquals("[3, Edsger, edsger@example.org]", java.util.Arrays.toString(r.lookup(3)));
        }
        // The database file alone (commit 0) has the schema-less first page only.
        try (Database db = Database.open(dir.resolve("sample.db"), dir.resolve("sample.db-wal"), 0)) {
            assertEquals(0, db.schema().tables().size());
        }
    }

    @Test
    void rowsAsOfEveryCommitEqualSqliteSnapshots(@TempDir Path dir) throws Exception {
        int shrinking = 0;
        for (long seed : DifferentialReadTest.seeds(Integer.getInteger("walkit.wal.count", 4))) {
            shrinking += runWorkload(dir.resolve("s" + seed), seed) ? 1 : 0;
        }
        assertTrue(shrinking > 0, "some workload shrank the database in a commit");
    }

    /** Runs one workload; returns whether some commit shrank the database. */
    static boolean runWorkload(Path dir, long seed) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        Path live = dir.resolve("live.db");
        List<Map<String, List<Object[]>>> snapshots = new ArrayList<>();
        List<String> script = new ArrayList<>();
        int pageSize = 1 << (9 + rnd.nextInt(5));
        try (Connection c = Sqlite.open(live)) {
            for (String pragma : List.of("PRAGMA page_size=" + pageSize,
                    "PRAGMA auto_vacuum=" + (rnd.nextBoolean() ? "FULL" : "NONE"), "PRAGMA journal_mode=WAL", "PRAGMA wal_autocheckpoint=0")) {
                // Closed at once: a PRAGMA's open result set would block VACUUM later.
                try (Statement p = c.createStatement()) {
                    if (p.execute(pragma)) {
                        p.getResultSet().close();
                    }
                }
            }
            Statement s = c.createStatement();
            String[] steps = new String[40];
            steps[0] = "CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT, n REAL)";
            steps[1] = "CREATE TABLE b(k TEXT PRIMARY KEY, w BLOB) WITHOUT ROWID";
            steps[2] = "CREATE INDEX a_v ON a(v)";
            for (int i = 3; i < steps.length; i++) {
                steps[i] = switch (rnd.nextInt(7)) {
                    // With auto_vacuum=FULL a large DELETE shrinks the database: later commits carry a
                    // smaller size and pages above it must disappear from the view.
                    case 6 -> "DELETE FROM a WHERE id % 3 <> 0";
                    case 0, 1 -> "INSERT INTO a(v, n) SELECT hex(randomblob(" + (1 + rnd.nextInt(3000)) + ")), " + rnd.nextInt(1000)
                            + ".5 FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)";
                    case 2 -> "INSERT OR REPLACE INTO b VALUES('k" + rnd.nextInt(50) + "', randomblob(" + rnd.nextInt(2000) + "))";
                    case 3 -> "DELETE FROM a WHERE id IN (SELECT id FROM a ORDER BY random() LIMIT 2)";
                    case 4 -> "UPDATE a SET v = 'u" + i + "' WHERE id IN (SELECT id FROM a ORDER BY random() LIMIT 1)";
                    default -> "INSERT INTO a(v) VALUES('" + "x".repeat(rnd.nextInt(10000)) + "')";
                };
            }
            long walSize = 0;
            for (String step : steps) {
                s.executeUpdate(step);
                script.add(step);
                Path livewal = dir.resolve("live.db-wal");
                long now = Files.exists(livewal) ? Files.size(livewal) : 0;
                if (now == walSize) {
                    script.add("-- (no commit)");
                    continue;
                }
                walSize = now;
                Map<String, List<Object[]>> snap = new LinkedHashMap<>();
                snap.put("a", Sqlite.query(c, "SELECT rowid, * FROM a ORDER BY rowid"));
                if (step.startsWith("CREATE TABLE a")) {
                    snapshots.add(snap);
                    continue;
                }
                try {
                    snap.put("b", Sqlite.query(c, "SELECT * FROM b ORDER BY k"));
                } catch (java.sql.SQLException e) {
                    // b does not exist yet
                }
                snapshots.add(snap);
            }
            Files.copy(live, dir.resolve("copy.db"));
            Files.copy(dir.resolve("live.db-wal"), dir.resolve("copy.db-wal"));
        }
        Path db = dir.resolve("copy.db");
        Path wal = dir.resolve("copy.db-wal");
        int commits;
        boolean shrank = false;
        try (ByteSource w = ByteSource.map(wal)) {
            WalScan scan = WalScanner.scan(w);
            commits = scan.commitCount();
            int max = 0;
            for (var commit : scan.commits()) {
                shrank |= commit.databaseSize() < max;
                max = Math.max(max, commit.databaseSize());
            }
        }
        assertEquals(snapshots.size(), commits, "commits in the WAL (seed " + seed + ")\n" + String.join("\n", script));
        List<Map<String, List<Object[]>>> distinct = snapshots;
        for (int k = 1; k <= commits; k++) {
            Map<String, List<Object[]>> expected = distinct.get(k - 1);
            try (Database d = Database.open(db, wal, k)) {
                for (var e : expected.entrySet()) {
                    TableReader r = TableReader.open(d, e.getKey());
                    assertNotNull(r, "table " + e.getKey() + " at commit " + k);
                    List<Object[]> actual = new ArrayList<>();
                    boolean rowid = !r.info().withoutRowid();
                    r.scan((id, v) -> {
                        Object[] row = new Object[v.length + (rowid ? 1 : 0)];
                        if (rowid) {
                            row[0] = id;
                        }
                        System.arraycopy(v, 0, row, rowid ? 1 : 0, v.length);
                        return actual.add(row);
                    });
                    try {
                        DifferentialReadTest.assertRows(e.getKey() + " at commit " + k, e.getValue(), actual);
                    } catch (AssertionError err) {
                        fail("seed " + seed + ": " + err.getMessage() + "\n" + String.join("\n", script), err);
                    }
                }
            }
        }
        return shrank;
    }

    static boolean same(Map<String, List<Object[]>> a, Map<String, List<Object[]>> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            List<Object[]> x = a.get(k);
            List<Object[]> y = b.get(k);
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!Sqlite.rowEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }
}
