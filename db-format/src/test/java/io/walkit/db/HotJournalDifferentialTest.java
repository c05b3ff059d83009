package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.testkit.HotJournals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real hot journals: a {@code sqlite3} process is killed with SIGKILL in the middle of a big
 * transaction with a tiny page cache (so it spilled changed pages into the database file); walkit's
 * rolled-back view must equal what SQLite shows on a copy of the files, and differ from the
 * database file as it is on disk.
 */
public class HotJournalDifferentialTest {

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
        Path db = HotJournals.killedWriter(dir.resolve("evidence"), synchronous);
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
