package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.Sqlite;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import io.walkit.io.ByteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db export}, {@code db history} and {@code db diff} against real SQLite (sqlite-jdbc): the export
 * of the last commit is byte-identical to SQLite's own checkpoint of a copy, an export at an earlier
 * commit holds exactly what SQLite recovers from the WAL cut after that commit, provenance names the
 * inputs' SHA-256, inputs are never changed; history and diff print the fixed JSON Lines interface.
 */
class DbLogCommandsTest {

    @TempDir
    Path dir;

    @Test
    void exportOfTheLastCommitIsSqlitesCheckpointByteForByte() throws Exception {
        Sqlite.Capture cap = Sqlite.workload(dir, 1024, 7, 30, -1);
        byte[] dbBefore = Files.readAllBytes(cap.db());
        byte[] walBefore = Files.readAllBytes(cap.wal());
        Path out = dir.resolve("out.db");
        CliRun r = CliRun.run("db", "export", cap.db().toString(), out.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(dbBefore, Files.readAllBytes(cap.db()));
        assertArrayEquals(walBefore, Files.readAllBytes(cap.wal()));
        // SQLite's own checkpoint of a private copy.
        Path copy = Files.createDirectory(dir.resolve("copy")).resolve("c.db");
        Files.write(copy, dbBefore);
        Files.write(copy.resolveSibling("c.db-wal"), walBefore);
        try (Connection c = Sqlite.open(copy); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "checkpoint completed");
        }
        assertArrayEquals(Files.readAllBytes(copy), Files.readAllBytes(out), "export equals SQLite's checkpointed file");
        assertEquals("ok", integrity(out));
        String prov = Files.readString(dir.resolve("out.db.provenance.json"));
        assertTrue(prov.contains("\"sha256\":\"" + sha256(dbBefore) + "\""), prov);
        assertTrue(prov.contains("\"sha256\":\"" + sha256(walBefore) + "\""), prov);
        assertTrue(prov.contains("\"outputSha256\":\"" + sha256(Files.readAllBytes(out)) + "\""), prov);
        assertTrue(prov.contains("\"walkit\":\""), prov);
        assertEquals(prov.strip(), r.out().strip(), "the --json report is the provenance record");
        // Never over an existing file without --force; with --force it is replaced.
        CliRun again = CliRun.run("db", "export", cap.db().toString(), out.toString());
        assertEquals(Walkit.EXIT_USAGE, again.code(), again.toString());
        assertEquals(0, CliRun.run("db", "export", cap.db().toString(), out.toString(), "--force").code());
        // OUT = an input is refused even with --force.
        CliRun self = CliRun.run("db", "export", cap.db().toString(), cap.db().toString(), "--force");
        assertEquals(Walkit.EXIT_USAGE, self.code(), self.toString());
        assertArrayEquals(dbBefore, Files.readAllBytes(cap.db()));
    }

    @Test
    void exportAtEveryCommitHoldsWhatSqliteRecoversFromTheCutWal() throws Exception {
        Sqlite.Capture cap = Sqlite.workload(dir, 4096, 11, 12, -1);
        byte[] wal = Files.readAllBytes(cap.wal());
        int commits;
        int pageSize;
        long[] cutAfter;
        try (ByteSource b = ByteSource.of(wal, "w")) {
            WalScan scan = WalScanner.scan(b);
            commits = scan.commitCount();
            pageSize = scan.pageSize();
            cutAfter = new long[commits + 1];
            for (int n = 1; n <= commits; n++) {
                cutAfter[n] = scan.frameOffset(scan.commit(n).lastFrame()) + WalFormat.FRAME_HEADER_SIZE + pageSize;
            }
        }
        assertTrue(commits >= 10, "commits " + commits);
        for (int n = 1; n <= commits; n++) {
            Path out = dir.resolve("at" + n + ".db");
            CliRun r = CliRun.run("db", "export", cap.db().toString(), out.toString(), "--at-commit", Integer.toString(n));
            assertEquals(0, r.code(), r.toString());
            String expected = Sqlite.recover(cap.db(), Arrays.copyOf(wal, (int) cutAfter[n]), dir).digest();
            assertEquals("ok", integrity(out), "commit " + n);
            try (Connection c = Sqlite.open(out)) {
                assertEquals(expected, Sqlite.digest(c), "commit " + n);
            }
        }
        CliRun bad = CliRun.run("db", "export", cap.db().toString(), dir.resolve("x.db").toString(), "--at-commit", "999");
        assertEquals(Walkit.EXIT_USAGE, bad.code(), bad.toString());
        assertFalse(Files.exists(dir.resolve("x.db")));
    }

    @Test
    void historyAndDiffPrintTheFixedJsonLines() throws Exception {
        Path db = dir.resolve("h.db");
        Path cdb = dir.resolve("c.db");
        try (Connection c = Sqlite.openWal(db, 4096, 0); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b BLOB)");        // commit 1
            s.execute("CREATE TABLE k(name TEXT PRIMARY KEY, v) WITHOUT ROWID");        // commit 2
            s.execute("INSERT INTO t VALUES(1, 'one', x'00ff'), (2, 'two', NULL)");      // commit 3
            s.execute("UPDATE t SET a = '<b>2</b>' WHERE id = 2");                        // commit 4
            s.execute("DELETE FROM t WHERE id = 1");                                      // commit 5
            s.execute("INSERT INTO k VALUES('x', 1.5)");                                  // commit 6
            s.execute("UPDATE k SET v = 2 WHERE name = 'x'");                             // commit 7
            Files.copy(db, cdb);
            Files.copy(dir.resolve("h.db-wal"), dir.resolve("c.db-wal"));
        }
        CliRun d = CliRun.run("db", "diff", cdb.toString(), "--from", "2", "--to", "7", "--json");
        assertEquals(0, d.code(), d.toString());
        assertEquals("""
                {"change":"insert","table":"t","rowid":2,"old":null,"new":[2,"<b>2</b>",null]}
                {"change":"insert","table":"k","key":["x"],"old":null,"new":["x",2]}
                """, d.out().replace("\r", ""));
        CliRun d2 = CliRun.run("db", "diff", cdb.toString(), "--from", "3", "--to", "6", "--json", "--table", "t");
        assertEquals("""
                {"change":"delete","table":"t","rowid":1,"old":[1,"one",{"blob":"00ff"}],"new":null}
                {"change":"update","table":"t","rowid":2,"old":[2,"two",null],"new":[2,"<b>2</b>",null]}
                """, d2.out().replace("\r", ""), d2.toString());
        CliRun h = CliRun.run("db", "history", cdb.toString(), "t", "--rowid", "2", "--json");
        assertEquals(0, h.code(), h.toString());
        assertEquals("""
                {"commit":3,"change":"insert","table":"t","rowid":2,"old":null,"new":[2,"two",null]}
                {"commit":4,"change":"update","table":"t","rowid":2,"old":[2,"two",null],"new":[2,"<b>2</b>",null]}
                """, h.out().replace("\r", ""), h.toString());
        CliRun hk = CliRun.run("db", "history", cdb.toString(), "k", "--json");
        assertEquals("""
                {"commit":6,"change":"insert","table":"k","key":["x"],"old":null,"new":["x",1.5]}
                {"commit":7,"change":"update","table":"k","key":["x"],"old":["x",1.5],"new":["x",2]}
                """, hk.out().replace("\r", ""), hk.toString());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("db", "diff", cdb.toString(), "--from", "0", "--to", "8").code());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("db", "history", cdb.toString(), "nosuch").code());
        // Without a WAL only commit 0 exists: the database file's rows are "present".
        CliRun none = CliRun.run("db", "history", cdb.toString(), "t", "--no-wal", "--json");
        assertEquals(Walkit.EXIT_USAGE, none.code(), "t does not exist in the bare database file: " + none);
    }

    @Test
    void mapWritesOneSelfContainedHtmlFileAndNeverOverwrites() throws Exception {
        Sqlite.Capture cap = Sqlite.workload(dir, 1024, 5, 10, -1);
        byte[] before = Files.readAllBytes(cap.db());
        Path html = dir.resolve("map.html");
        CliRun r = CliRun.run("db", "map", cap.db().toString(), "--html", html.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("{\"html\":"), r.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("Content-Security-Policy") && page.contains("default-src 'none'"), "no network");
        assertFalse(page.contains("http://") || page.contains("https://"), "nothing refers to the network");
        assertTrue(page.contains("\"pages\":[{\"p\":1,"), "page data embedded");
        assertArrayEquals(before, Files.readAllBytes(cap.db()));
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("db", "map", cap.db().toString(), "--html", html.toString()).code());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("db", "map", cap.db().toString(), "--html", cap.db().toString(), "--force").code());
        assertArrayEquals(before, Files.readAllBytes(cap.db()));
    }

    private static String integrity(Path db) throws Exception {
        try (Connection c = Sqlite.open(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
