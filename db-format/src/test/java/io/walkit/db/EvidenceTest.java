package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.Problem;
import io.walkit.testkit.HotJournals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence facade: SQLite's view of db + -wal (+ -shm) or db + hot -journal, read-only, as of any commit. */
class EvidenceTest {

    @TempDir
    Path dir;

    /** db + -wal + -shm copied while the connection is open: 1 + 5 commits in the WAL, 3 rows each after the first. */
    private Path walEvidence() throws Exception {
        Path live = dir.resolve("live.db");
        Path evidence = Files.createDirectories(dir.resolve("evidence")).resolve("app.db");
        try (Connection c = Sqlite.open(live); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, b BLOB)");
            for (int k = 0; k < 5; k++) {
                s.execute("INSERT INTO t(v, b) VALUES ('a" + k + "', x'00ff'), ('b" + k + "', NULL), ('" + "w".repeat(1500) + k + "', x'01')");
            }
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.copy(Path.of(live + suffix), Path.of(evidence + suffix));
            }
        }
        return evidence;
    }

    private static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                out.put(p.getFileName().toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))) + " " + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }

    private static List<String> sqliteRows(Path db) throws Exception {
        Path copy = Files.createTempDirectory("sqlite-copy").resolve("c.db");
        for (String suffix : new String[] {"", "-wal", "-journal"}) {
            if (Files.exists(Path.of(db + suffix))) {
                Files.copy(Path.of(db + suffix), Path.of(copy + suffix));
            }
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = Sqlite.open(copy)) {
            for (Object[] r : Sqlite.query(c, "SELECT id, * FROM t ORDER BY id")) {
                rows.add(Sqlite.show(r));
            }
        }
        return rows;
    }

    private static List<String> walkitRows(Evidence e) throws Exception {
        List<String> rows = new ArrayList<>();
        e.forEachRow("t", r -> {
            Object[] v = new Object[r.size() + 1];
            v[0] = r.rowid();
            for (int i = 0; i < r.size(); i++) {
                v[i + 1] = r.get(i);
            }
            return rows.add(Sqlite.show(v));
        });
        return rows;
    }

    @Test
    void showsTheWalsLastCommitLikeSqliteAndChangesNothing() throws Exception {
        Path db = walEvidence();
        Map<String, String> before = snapshot(db.getParent());
        try (Evidence e = Evidence.open(db)) {
            assertEquals(Evidence.View.WAL_COMMIT, e.view());
            assertEquals(6, e.walCommits(), "CREATE TABLE + 5 inserts");
            assertEquals(6, e.commit());
            assertEquals(List.of("t"), e.tableNames());
            assertEquals(List.of("id", "v", "b"), e.columnNames("t"));
            assertEquals(sqliteRows(db), walkitRows(e));
            assertEquals(15, e.rows("t").count());
            assertTrue(e.shm().isPresent());
            assertFalse(e.hotJournal());
            assertTrue(e.integrityCheck(100).ok());
            assertTrue(e.notes().stream().noneMatch(n -> n.severity() == Problem.Severity.ERROR), e.notes().toString());
        }
        assertEquals(before, snapshot(db.getParent()), "no file created, changed or removed beside the evidence");
    }

    @Test
    void streamIteratorAndCallbackAgreeAndStreamsAreLazy() throws Exception {
        Path db = walEvidence();
        try (Evidence e = Evidence.open(db)) {
            List<Evidence.Row> viaStream = e.rows("t").toList();
            List<Evidence.Row> viaIterator = new ArrayList<>();
            e.iterator("t").forEachRemaining(viaIterator::add);
            List<Evidence.Row> viaCallback = new ArrayList<>();
            e.forEachRow("t", viaCallback::add);
            assertEquals(viaCallback, viaStream);
            assertEquals(viaCallback, viaIterator);
            assertEquals(List.of(1L, 2L), e.rows("t").limit(2).map(Evidence.Row::rowid).toList());
            boolean stopped = e.forEachRow("t", r -> r.rowid() < 4);
            assertFalse(stopped, "the callback stopped the scan");
        }
    }

    @Test
    void earlierCommitsShowEarlierContent() throws Exception {
        Path db = walEvidence();
        try (Evidence e = Evidence.open(db); Evidence first = e.atCommit(2); Evidence file = e.atCommit(0)) {
            assertEquals(2, first.commit());
            assertEquals(3, first.rows("t").count(), "commit 2 = the first INSERT");
            assertEquals(Evidence.View.DATABASE_FILE, file.view());
            assertThrows(IllegalArgumentException.class, () -> e.atCommit(7));
            try (Evidence noWal = Evidence.open(db, Evidence.Options.DEFAULT.withoutWal())) {
                assertEquals(0, noWal.walCommits());
                assertEquals(Evidence.View.DATABASE_FILE, noWal.view());
            }
        }
    }

    @Test
    void rowsAreDefensiveCopiesAndCloseIsIdempotent() throws Exception {
        Path db = walEvidence();
        Evidence e = Evidence.open(db);
        Iterator<Evidence.Row> it = e.iterator("t");
        Evidence.Row row = it.next();
        byte[] b = (byte[]) row.get(2);
        b[0] = 9;
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) row.get(2));
        assertThrows(UnsupportedOperationException.class, () -> row.values().set(0, "x"));
        assertThrows(UnsupportedOperationException.class, () -> e.notes().add(null));
        e.close();
        e.close();
        assertThrows(IllegalStateException.class, it::hasNext);
        assertThrows(IllegalStateException.class, () -> e.rows("t"));
        assertTrue(e.toString().endsWith("closed)"), e.toString());
    }

    @Test
    void uncommittedWalFramesAreNotedAndNotShown() throws Exception {
        Path db = walEvidence();
        // Cut the last (commit) frame: the rest of its transaction becomes an uncommitted tail.
        byte[] wal = Files.readAllBytes(Path.of(db + "-wal"));
        int frame = 24 + 1024;
        int frames = (wal.length - 32) / frame;
        Files.write(Path.of(db + "-wal"), java.util.Arrays.copyOf(wal, 32 + (frames - 1) * frame));
        Files.delete(Path.of(db + "-shm"));
        try (Evidence e = Evidence.open(db)) {
            assertEquals(5, e.walCommits());
            assertEquals(12, e.rows("t").count());
            assertTrue(e.notes().stream().anyMatch(n -> n.code() == Evidence.Note.UNCOMMITTED_WAL_FRAMES), e.notes().toString());
        }
    }

    @Test
    void aHotJournalIsRolledBackAndSaidSo() throws Exception {
        Path db = HotJournals.killedWriter(dir.resolve("hot"), "FULL");
        Map<String, String> before = snapshot(db.getParent());
        try (Evidence e = Evidence.open(db)) {
            assertTrue(e.hotJournal());
            assertEquals(Evidence.View.JOURNAL_ROLLED_BACK, e.view());
            assertTrue(e.notes().stream().anyMatch(n -> n.code() == Evidence.Note.HOT_JOURNAL), e.notes().toString());
            assertEquals(sqliteRows(db), walkitRows(e));
        }
        try (Evidence raw = Evidence.open(db, Evidence.Options.DEFAULT.withoutJournal())) {
            assertEquals(Evidence.View.DATABASE_FILE, raw.view());
            assertTrue(raw.hotJournal(), "still says a hot journal is present");
        }
        assertEquals(before, snapshot(db.getParent()), "the journal is neither played back nor deleted on disk");
    }
}
