package io.walkit.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LogVersions} against real SQLite (sqlite-jdbc). Every row version SQLite read at some commit
 * of the WAL that is not live at the last one is reported exactly once as {@code wal-superseded}, and
 * nothing else is (the test knows every committed state); rows of a transaction still open when the
 * files were copied (its pages spilled into the WAL) come out as {@code uncommitted} and only those;
 * rows of the generation before a checkpoint RESTART come out as {@code wal-stale}, generation 1, and
 * each was committed in that generation. Failures print the seed.
 */
class LogVersionsDifferentialTest {

    @TempDir
    Path dir;

    @Test
    void supersededVersionsAreExactlyTheCommittedStatesNoLongerLive() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Path d = Files.createDirectory(dir.resolve("s" + seed));
            Path db = d.resolve("v.db");
            Set<String> everCommitted = new HashSet<>();
            Set<String> live;
            try (Connection c = Sqlite.openWal(db, 1024, 0); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, n REAL)");
                for (int i = 0; i < 30; i++) {
                    s.execute(switch (rnd.nextInt(4)) {
                        case 0, 1 -> "INSERT INTO t(a, n) VALUES('v" + rnd.nextInt(1000) + "', " + rnd.nextInt(50) + ".5)";
                        case 2 -> "UPDATE t SET a = a || 'x' WHERE id % 3 = " + rnd.nextInt(3);
                        default -> "DELETE FROM t WHERE id % 4 = " + rnd.nextInt(4);
                    });
                    everCommitted.addAll(rows(s));
                }
                live = rows(s);
                Files.copy(db, d.resolve("c.db"));
                Files.copy(d.resolve("v.db-wal"), d.resolve("c.db-wal"));
            }
            Set<String> expected = new HashSet<>(everCommitted);
            expected.removeAll(live);
            try (LogHistory h = LogHistory.open(d.resolve("c.db"), d.resolve("c.db-wal"))) {
                List<RecoveredRecord> found = LogVersions.find(h, "c.db", "c.db-wal");
                Set<String> got = new HashSet<>();
                for (RecoveredRecord r : found) {
                    assertEquals(SourceKind.WAL_SUPERSEDED, r.source().kind(), "seed " + seed + " " + r);
                    String row = row(r.values());
                    assertTrue(got.add(row), "seed " + seed + ": reported twice " + r);
                    assertFalse(live.contains(row), "seed " + seed + ": live row reported " + r);
                    boolean rowidLive = live.stream().anyMatch(x -> x.startsWith(r.rowid() + "|"));
                    assertEquals(rowidLive ? RecordStatus.SUPERSEDED : RecordStatus.DELETED, r.status(), "seed " + seed + " " + r);
                }
                assertEquals(expected, got, "seed " + seed);
            }
        }
    }

    @Test
    void anOpenTransactionsSpilledRowsAreUncommittedAndOnlyThose() throws Exception {
        Path db = dir.resolve("u.db");
        Path d = Files.createDirectory(dir.resolve("copy"));
        Set<String> committed;
        try (Connection c = Sqlite.openWal(db, 1024, 10); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, n REAL)");
            s.execute("INSERT INTO t(a, n) VALUES('committed', 1.5)");
            committed = rows(s);
            s.execute("BEGIN");
            // Far more than 10 pages of cache: SQLite spills dirty pages into the WAL before COMMIT.
            s.execute("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3000) "
                    + "INSERT INTO t(a, n) SELECT 'open-' || i, i FROM r");
            Files.copy(db, d.resolve("c.db"));
            Files.copy(dir.resolve("u.db-wal"), d.resolve("c.db-wal"));
            s.execute("ROLLBACK");
        }
        try (LogHistory h = LogHistory.open(d.resolve("c.db"), d.resolve("c.db-wal"))) {
            assertTrue(h.wal().lastValidFrame() > h.wal().mxFrame(), "the copy holds spilled frames past the last commit");
            List<RecoveredRecord> found = LogVersions.find(h, "c.db", "c.db-wal");
            int uncommitted = 0;
            for (RecoveredRecord r : found) {
                assertEquals(RecordStatus.UNCOMMITTED, r.status(), r.toString());
                assertEquals(SourceKind.WAL_UNCOMMITTED, r.source().kind(), r.toString());
                assertTrue(((String) r.values()[1]).startsWith("open-"), r.toString());
                assertEquals(Double.valueOf(((String) r.values()[1]).substring(5)), r.values()[2], r.toString());
                assertFalse(committed.contains(row(r.values())));
                uncommitted++;
            }
            assertTrue(uncommitted > 100, "spilled rows found: " + uncommitted);
        }
    }

    @Test
    void rowsOfTheGenerationBeforeARestartAreStale() throws Exception {
        Path db = dir.resolve("r.db");
        Path d = Files.createDirectory(dir.resolve("copy"));
        Set<String> oldGeneration = new HashSet<>();
        try (Connection c = Sqlite.openWal(db, 1024, 0); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, n REAL)");
            for (int i = 0; i < 40; i++) {
                s.execute("INSERT INTO t(a, n) VALUES('gen1-" + i + "', " + i + ".25)");
                oldGeneration.addAll(rows(s));
            }
            s.execute("DELETE FROM t WHERE id % 2 = 0");
            oldGeneration.addAll(rows(s));
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            s.execute("UPDATE t SET a = 'gen2' WHERE id = 1");
            Files.copy(db, d.resolve("c.db"));
            Files.copy(dir.resolve("r.db-wal"), d.resolve("c.db-wal"));
        }
        try (LogHistory h = LogHistory.open(d.resolve("c.db"), d.resolve("c.db-wal"))) {
            List<RecoveredRecord> found = LogVersions.find(h, "c.db", "c.db-wal");
            int stale = 0;
            for (RecoveredRecord r : found) {
                if (r.source().kind() == SourceKind.WAL_STALE) {
                    stale++;
                    assertEquals(1, r.source().generation(), r.toString());
                    assertTrue(oldGeneration.contains(row(r.values())), "committed in the old generation: " + r);
                    assertTrue(r.status() == RecordStatus.DELETED || r.status() == RecordStatus.SUPERSEDED, r.toString());
                }
            }
            assertTrue(stale > 0, "stale rows found: " + found);
        }
    }

    private static Set<String> rows(Statement s) throws Exception {
        Set<String> out = new HashSet<>();
        try (ResultSet rs = s.executeQuery("SELECT id, a, n FROM t")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getDouble(3));
            }
        }
        return out;
    }

    private static String row(Object[] v) {
        List<Object> l = new ArrayList<>(List.of(v));
        return l.get(0) + "|" + l.get(1) + "|" + ((Number) l.get(2)).doubleValue();
    }
}
