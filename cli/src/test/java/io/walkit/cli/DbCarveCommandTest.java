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

    @Test
    void sqliteExportHoldsTheRecordsWithProvenanceAndPassesIntegrityCheck() throws Exception {
        Path db = database();
        byte[] before = Files.readAllBytes(db);
        Path out = dir.resolve("carved.db");
        CliRun r = CliRun.run("db", "carve", db.toString(), "--json", "--sqlite", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)), "evidence unchanged");
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(before));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + out); Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1));
            }
            try (java.sql.ResultSet rs = s.executeQuery("SELECT role, file, size, sha256, walkit_version FROM walkit_provenance")) {
                assertTrue(rs.next());
                assertEquals("database", rs.getString(1));
                assertEquals(db.toString(), rs.getString(2));
                assertEquals(before.length, rs.getLong(3));
                assertEquals(sha, rs.getString(4));
                assertTrue(rs.getString(5).startsWith("0."), rs.getString(5));
            }
            java.util.List<String> rows = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery(
                    "SELECT walkit_status, walkit_kind, walkit_file, walkit_rowid, id, body, n FROM notes ORDER BY n")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3).equals(db.toString()) + "|"
                            + rs.getObject(4) + "|" + rs.getObject(5) + "|" + rs.getString(6) + "|" + rs.getObject(7));
                }
            }
            assertEquals(r.out().strip().split("\n").length, rows.size(), rows + "\n" + r);
            assertTrue(rows.stream().anyMatch(x -> x.endsWith("|=HYPERLINK(\"x\")|2")), rows.toString());
            assertTrue(rows.stream().anyMatch(x -> x.endsWith("|gone for good|3")), rows.toString());
            assertTrue(rows.stream().allMatch(x -> x.startsWith("deleted|")), rows.toString());
        }
        CliRun again = CliRun.run("db", "carve", db.toString(), "--sqlite", out.toString());
        assertEquals(Walkit.EXIT_USAGE, again.code(), again.toString());
        CliRun self = CliRun.run("db", "carve", db.toString(), "--sqlite", db.toString(), "--force");
        assertEquals(Walkit.EXIT_USAGE, self.code(), self.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)), "evidence unchanged");
    }
}
