package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.HotJournals;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests for answers walkit used to give silently wrong (issue 10), made with real SQLite. */
class SilentWrongAnswersTest {

    /** sqlite3's output for {@code sql} on {@code db} with {@code mode} (e.g. -csv), or skip. */
    static List<String> sqlite3(Path db, String mode, String sql) throws Exception {
        try {
            Process p = new ProcessBuilder("sqlite3", mode, "-header", db.toString(), sql).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            return out.lines().toList();
        } catch (java.io.IOException e) {
            Assumptions.abort("sqlite3 not installed: " + e.getMessage());
            return null;
        }
    }

    @Test
    void hotJournalIsRolledBackAsSqliteDoes(@TempDir Path dir) throws Exception {
        Path db = HotJournals.killedWriter(dir.resolve("evidence"), "FULL");
        Path journal = db.resolveSibling("h.db-journal");
        byte[] dbBytes = Files.readAllBytes(db);
        byte[] journalBytes = Files.readAllBytes(journal);

        CliRun rolled = CliRun.run("db", "dump", db.toString(), "t");
        assertEquals(0, rolled.code(), rolled.toString());
        assertTrue(rolled.err().contains("hot journal") && rolled.err().contains("rolled back"), rolled.err());
        assertTrue(rolled.err().contains("RESERVED lock"), "the unknowable lock is stated: " + rolled.err());

        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Files.write(copy.resolve("h.db"), dbBytes);
        Files.write(copy.resolve("h.db-journal"), journalBytes);
        List<String> sqlite = sqlite3(copy.resolve("h.db"), "-csv", "SELECT rowid, * FROM t ORDER BY rowid");
        List<String> ours = rolled.out().lines().toList();
        // sqlite3 names the rowid column after its alias ("id"); the data lines must be identical.
        assertEquals(3001, sqlite.size(), "SQLite rolled the transaction back");
        assertTrue(sqlite.subList(1, sqlite.size()).equals(ours.subList(1, ours.size())), "rows differ from sqlite3's");

        CliRun asOnDisk = CliRun.run("db", "dump", "--no-journal", db.toString(), "t");
        assertTrue(asOnDisk.code() != 0 || !asOnDisk.out().equals(rolled.out()), "the file alone differs");
        assertTrue(asOnDisk.err().contains("--no-journal"), asOnDisk.err());

        CliRun check = CliRun.run("db", "check", db.toString(), "--json");
        assertEquals(0, check.code(), check.toString());
        assertTrue(check.out().contains("\"rolledBack\":true"), check.out());

        CliRun explicit = CliRun.run("db", "tables", "--journal", journal.toString(), db.toString(), "--json");
        assertEquals(0, explicit.code(), explicit.toString());
        assertTrue(explicit.out().contains("\"rowCount\":3000"), explicit.out());

        CliRun info = CliRun.run("journal", "info", journal.toString(), "--json");
        assertEquals(0, info.code(), info.toString());
        assertTrue(info.out().contains("\"hot\":true") && info.out().contains("\"pageSize\":1024"), info.out());
        CliRun pages = CliRun.run("journal", "pages", journal.toString(), "--json");
        assertEquals(0, pages.code(), pages.toString());
        assertTrue(pages.out().lines().count() > 10);
        assertTrue(pages.out().lines().allMatch(l -> l.startsWith("{\"segment\":")), pages.out());

        assertArrayEquals(dbBytes, Files.readAllBytes(db), "evidence unchanged");
        assertArrayEquals(journalBytes, Files.readAllBytes(journal), "evidence unchanged");
        assertEquals(List.of("h.db", "h.db-journal"), Files.list(db.getParent()).map(p -> p.getFileName().toString()).sorted().toList());
    }

    @Test
    void infinityIsWrittenAsSqlite3Does(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("inf.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(x REAL, y)");
            s.execute("INSERT INTO t VALUES(1e999, -1e999), (1.5, NULL)");
        }
        CliRun csv = CliRun.run("db", "dump", f.toString(), "t");
        assertEquals(sqlite3(f, "-csv", "SELECT rowid, * FROM t"), csv.out().lines().toList());
        CliRun json = CliRun.run("db", "dump", f.toString(), "t", "--json");
        assertEquals(List.of("{\"rowid\":1,\"x\":1e999,\"y\":-1e999}", "{\"rowid\":2,\"x\":1.5,\"y\":null}"),
                json.out().lines().toList());
        // sqlite3 -json writes the same numbers.
        String sq = String.join("", sqlite3(f, "-json", "SELECT rowid, * FROM t WHERE rowid = 1"));
        assertTrue(sq.contains("1e999") && sq.contains("-1e999"), sq);
    }

    @Test
    void virtualGeneratedColumnsAreMarkedNotStored(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("gen.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(a INTEGER, b INTEGER, v INTEGER AS (a + b) VIRTUAL, s INTEGER AS (a * 2) STORED)");
            s.execute("INSERT INTO t(a, b) VALUES(1, 2)");
        }
        CliRun json = CliRun.run("db", "dump", f.toString(), "t", "--json");
        assertEquals(0, json.code(), json.toString());
        assertEquals("{\"rowid\":1,\"a\":1,\"b\":2,\"v\":{\"notStored\":true},\"s\":2}", json.out().strip());
        assertTrue(json.err().contains("VIRTUAL"), json.err());
        CliRun csv = CliRun.run("db", "dump", f.toString(), "t");
        assertEquals(List.of("rowid,a,b,v,s", "1,1,2," + DbDumpCommand.NOT_STORED + ",2"), csv.out().lines().toList());
    }

    @Test
    void fifoIsReadFullyNotReportedEmpty(@TempDir Path dir) throws Exception {
        Path wal = DbCommandTest.sample().resolveSibling("sample.db-wal");
        CliRun direct = CliRun.run("wal", "info", wal.toString(), "--json");
        Path fifo = dir.resolve("pipe");
        try {
            Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
            Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        } catch (java.io.IOException e) {
            Assumptions.abort("mkfifo not available: " + e.getMessage());
        }
        Thread writer = Thread.ofPlatform().start(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(Files.readAllBytes(wal));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CliRun piped = CliRun.run("wal", "info", fifo.toString(), "--json");
        writer.join(10_000);
        assertEquals(0, piped.code(), piped.toString());
        assertEquals(direct.out().replace(wal.toString(), "X"), piped.out().replace(fifo.toString(), "X"));
        assertTrue(direct.out().contains("\"mxFrame\":") && !direct.out().contains("\"fileSize\":0,"), direct.out());
    }

    @Test
    void directoryIsSaidToBeADirectory(@TempDir Path dir) {
        CliRun r = CliRun.run("wal", "info", dir.toString());
        assertEquals(4, r.code(), r.toString());
        assertTrue(r.err().contains("is a directory"), r.err());
        CliRun d = CliRun.run("db", "info", dir.toString());
        assertEquals(4, d.code(), d.toString());
        assertTrue(d.err().contains("is a directory"), d.err());
    }

    @Test
    void skipDamagedDumpsTheRestAndSaysWhatItSkipped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dmg.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=512");
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<400) INSERT INTO t SELECT x, hex(randomblob(20)) FROM c");
        }
        CliRun good = CliRun.run("db", "dump", f.toString(), "t");
        assertEquals(401, good.out().lines().count());
        // Damage one leaf: page 4 (some leaf of t's b-tree rooted at 2) gets an invalid page type.
        byte[] b = Files.readAllBytes(f);
        int pageSize = 512;
        int leaf = 4;
        assertEquals(13, b[(leaf - 1) * pageSize], "page 4 is a table leaf");
        b[(leaf - 1) * pageSize] = 0x55;
        Files.write(f, b);
        CliRun strict = CliRun.run("db", "dump", f.toString(), "t");
        assertEquals(3, strict.code(), strict.toString());
        CliRun skip = CliRun.run("db", "dump", "--skip-damaged", f.toString(), "t");
        assertEquals(1, skip.code(), skip.toString());
        assertTrue(skip.err().contains("skipped damaged part of t") && skip.err().contains("page 4"), skip.err());
        long rows = skip.out().lines().count() - 1;
        assertTrue(rows > 300 && rows < 400, "rows of the other leaves are dumped: " + rows);
        assertNotEquals(good.out(), skip.out());
        // db tables lists the damaged table with its error instead of aborting.
        CliRun tables = CliRun.run("db", "tables", f.toString(), "--json");
        assertEquals(1, tables.code(), tables.toString());
        assertTrue(tables.out().contains("\"name\":\"t\"") && tables.out().contains("\"error\":{"), tables.out());
        assertTrue(tables.out().contains("\"damagedTables\":1"), tables.out());
    }
}
