package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real hot journals: a {@code sqlite3} process is killed with SIGKILL in the middle of a big
 * transaction with a tiny page cache (so it spilled changed pages into the database file); walkit's
 * rolled-back view must equal what SQLite shows on a copy of the files, and differ from the
 * database file as it is on disk.
 */
public class HotJournalDifferentialTest {

    /** Makes {@code dir/h.db} + a hot {@code h.db-journal} by killing a writer; skips without sqlite3. */
    public static Path killedWriter(Path dir, String synchronous) throws Exception {
        Files.createDirectories(dir);
        Path db = dir.resolve("h.db");
        try {
            Process p = new ProcessBuilder("sqlite3", db.toString(),
                    "PRAGMA page_size=1024; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, n REAL);"
                            + "CREATE INDEX t_v ON t(v);"
                            + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<3000)"
                            + " INSERT INTO t SELECT x, hex(randomblob(40)), x*0.5 FROM c;")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            Assumptions.assumeTrue(p.waitFor() == 0, "sqlite3 failed to make the database");
        } catch (java.io.IOException e) {
            Assumptions.abort("sqlite3 not installed (apt-get install sqlite3): " + e.getMessage());
        }
        byte[] before = Files.readAllBytes(db);
        Process w = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
        try {
            Writer in = new OutputStreamWriter(w.getOutputStream(), StandardCharsets.UTF_8);
            in.write("PRAGMA cache_size=8; PRAGMA synchronous=" + synchronous + "; BEGIN;\n"
                    + "UPDATE t SET v = 'changed-' || id, n = -n;\n"
                    + "INSERT INTO t SELECT id + 100000, v || 'x', n FROM t;\n"
                    + "DELETE FROM t WHERE id % 7 = 0;\n"
                    + "SELECT 'ready';\n");
            in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // sqlite3 echoes nothing else; wait for the marker
            }
            assertEquals("ready", line, "the writer reached the end of its statements");
        } finally {
            w.destroyForcibly(); // SIGKILL: no rollback, no journal deletion
            w.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.size(HotJournal.defaultJournal(db)) > 0, "the killed writer left a journal");
        assertFalse(Arrays.equals(before, Files.readAllBytes(db)), "the writer spilled pages into the database file");
        return db;
    }

    static List<String> walkitRows(PageSource pages) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Database db = Database.open(pages)) {
            TableReader.open(db, "t").scan((id, v) -> rows.add(id + ":" + Arrays.toString(v)));
        }
        return rows;
    }

    static List<String> sqliteRows(Path db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = Sqlite.open(db)) {
            for (Object[] r : Sqlite.query(c, "SELECT id, id, v, n FROM t ORDER BY id")) {
                rows.add(r[0] + ":" + Arrays.toString(Arrays.copyOfRange(r, 1, r.length)));
            }
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"FULL", "OFF"})
    void rolledBackViewEqualsSqlite(String synchronous, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path db = killedWriter(dir.resolve("evidence"), synchronous);
        Path journal = HotJournal.defaultJournal(db);
        byte[] dbBytes = Files.readAllBytes(db);
        byte[] journalBytes = Files.readAllBytes(journal);

        HotJournal hot = HotJournal.check(db, journal);
        assertEquals(HotJournal.State.HOT, hot.state());
        List<String> walkit;
        long dbOrigSize;
        try (PageSource pages = JournalPageSource.open(db, hot)) {
            assertTrue(pages instanceof JournalPageSource, "the journal applies");
            Journal j = ((JournalPageSource) pages).journal();
            if (synchronous.equals("OFF")) {
                assertEquals(JournalHeader.NREC_UNKNOWN, j.firstHeader().nRec(), "no-sync journals count from the file size");
            }
            assertTrue(j.playback(true).pagesRestored() > 0);
            dbOrigSize = j.dbOrigSize();
            System.out.println("synchronous=" + synchronous + ": " + j.segments().size() + " segment(s), "
                    + j.entries().size() + " records, stop " + j.stopReason() + ", dbOrigSize " + dbOrigSize);
            walkit = walkitRows(pages);
        }
        // SQLite on a copy (it plays the journal back and deletes it).
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Files.write(copy.resolve("h.db"), dbBytes);
        Files.write(copy.resolve("h.db-journal"), journalBytes);
        List<String> sqlite = sqliteRows(copy.resolve("h.db"));
        assertEquals(3000, sqlite.size(), "SQLite rolled the transaction back");
        assertEquals(sqlite, walkit);
        assertEquals(dbOrigSize * 1024, Files.size(copy.resolve("h.db")), "SQLite truncated to dbOrigSize");
        assertFalse(Files.exists(copy.resolve("h.db-journal")) && Files.size(copy.resolve("h.db-journal")) > 0
                && Files.readAllBytes(copy.resolve("h.db-journal"))[0] != 0, "SQLite finished the playback");

        // The evidence was not changed, and the file alone shows something else (or is damaged).
        assertTrue(Arrays.equals(dbBytes, Files.readAllBytes(db)));
        assertTrue(Arrays.equals(journalBytes, Files.readAllBytes(journal)));
        try (PageSource raw = FilePageSource.map(db)) {
            assertNotEquals(sqlite, walkitRows(raw));
        } catch (CorruptFileException expected) {
            // the half-written file may not even be readable: also different
        }
    }
}
