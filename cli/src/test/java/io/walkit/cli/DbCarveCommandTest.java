package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walkit db carve}: the fixed JSON Lines interface, CSV with formula neutralising, no live rows, inputs untouched. */
class DbCarveCommandTest {

    @TempDir
    Path dir;

    private Path database() throws Exception {
        Path db = dir.resolve("ev.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=DELETE");
            s.execute("PRAGMA secure_delete=OFF");
            s.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT, n INTEGER)");
            s.execute("INSERT INTO notes(body, n) VALUES ('keep me', 1), ('=HYPERLINK(\"x\")', 2), ('gone for good', 3), ('also live', 4)");
            s.execute("DELETE FROM notes WHERE n IN (2, 3)");
        }
        return db;
    }

    @Test
    void jsonLinesHoldTheDeletedRowsWithProvenanceAndNoLiveRow() throws Exception {
        Path db = database();
        byte[] before = Files.readAllBytes(db);
        CliRun r = CliRun.run("db", "carve", db.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.toString());
        String all = r.out();
        assertTrue(all.contains("\"values\":[null,\"gone for good\",3]") || all.contains("\"values\":[3,\"gone for good\",3]"), all);
        assertFalse(all.contains("keep me") || all.contains("also live"), "live rows are never printed: " + all);
        for (String l : lines) {
            assertTrue(l.startsWith("{\"table\":\"notes\""), l);
            assertTrue(l.contains("\"status\":\"deleted\"") && l.contains("\"source\":{\"file\":") && l.contains("\"kind\":\"freeblock\"")
                    && l.contains("\"page\":2") && l.contains("\"offset\":"), l);
            assertFalse(l.contains("\"frame\""), "frame only for WAL sources: " + l);
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)), "the input is unchanged");
        assertFalse(Files.exists(dir.resolve("ev.db-wal")) || Files.exists(dir.resolve("ev.db-journal")));
    }

    @Test
    void csvNeutralisesFormulasOnlyWhenAsked() throws Exception {
        Path db = database();
        CliRun plain = CliRun.run("db", "carve", db.toString(), "--csv");
        assertEquals(0, plain.code(), plain.toString());
        assertTrue(plain.out().contains(",\"=HYPERLINK(\"\"x\"\")\","), plain.out());
        CliRun safe = CliRun.run("db", "carve", db.toString(), "--csv", "--csv-neutralise-formulas");
        assertTrue(safe.out().contains(",\"'=HYPERLINK(\"\"x\"\")\","), safe.out());
        assertEquals(2, CliRun.run("db", "carve", db.toString(), "--csv", "--json").code());
    }
}
