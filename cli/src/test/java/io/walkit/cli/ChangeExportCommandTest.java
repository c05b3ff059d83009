package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.wal.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db history} and {@code db diff} with {@code --csv} and {@code --sqlite OUT} (issue 12: "recovered
 * records and histories as JSON Lines, CSV, and an SQLite database written by walkit"): a history made by
 * real SQLite (sqlite-jdbc, one commit per statement) comes out as one row per version, the database
 * walkit writes is one real SQLite opens and finds intact, the provenance table holds the inputs'
 * SHA-256, formula cells are neutralised on request, and nothing is ever written over an input.
 */
class ChangeExportCommandTest {

    @TempDir
    Path dir;

    private Path db;

    @BeforeEach
    void history() throws Exception {
        Path live = dir.resolve("live.db");
        db = dir.resolve("h.db");
        try (Connection c = Sqlite.openWal(live, 4096, 0); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b BLOB)");        // commit 1
            s.execute("CREATE TABLE k(name TEXT PRIMARY KEY, v) WITHOUT ROWID");        // commit 2
            s.execute("INSERT INTO t VALUES(1, '=SUM(A1)', x'00ff'), (2, 'two', NULL)"); // commit 3
            s.execute("UPDATE t SET a = 'zwei, 2' WHERE id = 2");                         // commit 4
            s.execute("DELETE FROM t WHERE id = 1");                                      // commit 5
            s.execute("INSERT INTO k VALUES('x', 1.5)");                                  // commit 6
            s.execute("UPDATE k SET v = 2 WHERE name = 'x'");                             // commit 7
            Files.copy(live, db);
            Files.copy(dir.resolve("live.db-wal"), dir.resolve("h.db-wal"));
        }
    }

    @Test
    void historyAsCsvHasOneLinePerVersionAndNeutralisesFormulasOnRequest() {
        CliRun plain = CliRun.run("db", "history", db.toString(), "t", "--csv");
        assertEquals(0, plain.code(), plain.toString());
        assertEquals("""
                commit,change,table,rowid,side,values...
                3,insert,t,1,new,1,=SUM(A1),X'00ff'
                3,insert,t,2,new,2,two,
                4,update,t,2,old,2,two,
                4,update,t,2,new,2,"zwei, 2",
                5,delete,t,1,old,1,=SUM(A1),X'00ff'
                """, plain.out().replace("\r", ""));
        CliRun guarded = CliRun.run("db", "history", db.toString(), "t", "--csv", "--csv-neutralise-formulas");
        assertTrue(guarded.out().contains("3,insert,t,1,new,1,'=SUM(A1),X'00ff'"), guarded.toString());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("db", "history", db.toString(), "t", "--csv", "--json").code());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("db", "history", db.toString(), "t", "--csv-neutralise-formulas").code());
    }

    @Test
    void historyAsSqliteIsARealDatabaseWithEveryVersionAndTheInputsHashes() throws Exception {
        byte[] dbBefore = Files.readAllBytes(db);
        byte[] walBefore = Files.readAllBytes(dir.resolve("h.db-wal"));
        Path out = dir.resolve("history.db");
        CliRun r = CliRun.run("db", "history", db.toString(), "k", "--sqlite", out.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, r.out().lines().count(), "JSON Lines still printed: " + r);
        try (Connection c = Sqlite.open(out); Statement s = c.createStatement()) {
            assertEquals(List.of(List.of("ok")), rows(s, "PRAGMA integrity_check"));
            assertEquals(List.of(
                    List.of("6", "insert", "new", "null", "x", "1.5"),
                    List.of("7", "update", "old", "null", "x", "1.5"),
                    List.of("7", "update", "new", "null", "x", "2")),
                    rows(s, "SELECT walkit_commit, walkit_change, walkit_side, walkit_rowid, name, v FROM k ORDER BY rowid"));
            assertEquals(List.of(List.of("integer", "real"), List.of("integer", "real"), List.of("integer", "integer")),
                    rows(s, "SELECT typeof(walkit_commit), typeof(v) FROM k ORDER BY rowid"), "values keep their storage class");
            assertEquals(List.of(List.of("database", sha256(dbBefore)), List.of("wal", sha256(walBefore))),
                    rows(s, "SELECT role, sha256 FROM walkit_provenance ORDER BY role"));
        }
        assertArrayEquals(dbBefore, Files.readAllBytes(db), "inputs never change");
        assertArrayEquals(walBefore, Files.readAllBytes(dir.resolve("h.db-wal")), "inputs never change");
        byte[] written = Files.readAllBytes(out);
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("db", "history", db.toString(), "k", "--sqlite", out.toString()).code(),
                "an existing OUT is not replaced without --force");
        assertArrayEquals(written, Files.readAllBytes(out));
        assertEquals(0, CliRun.run("db", "history", db.toString(), "t", "--sqlite", out.toString(), "--force").code());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("db", "history", db.toString(), "t", "--sqlite", db.toString(), "--force").code(),
                "the database itself is never an output");
        assertArrayEquals(dbBefore, Files.readAllBytes(db));
    }

    @Test
    void diffAsSqliteHoldsBothSidesOfEachChangeUnderTheLaterCommit() throws Exception {
        Path out = dir.resolve("diff.db");
        CliRun r = CliRun.run("db", "diff", db.toString(), "--from", "3", "--to", "7", "--sqlite", out.toString());
        assertEquals(0, r.code(), r.toString());
        try (Connection c = Sqlite.open(out); Statement s = c.createStatement()) {
            assertEquals(List.of(List.of("ok")), rows(s, "PRAGMA integrity_check"));
            assertEquals(List.of(
                    List.of("7", "delete", "old", "1", "1", "=SUM(A1)"),
                    List.of("7", "update", "old", "2", "2", "two"),
                    List.of("7", "update", "new", "2", "2", "zwei, 2")),
                    rows(s, "SELECT walkit_commit, walkit_change, walkit_side, walkit_rowid, id, a FROM t ORDER BY rowid"));
            assertEquals(List.of(List.of("7", "insert", "new", "x", "2")),
                    rows(s, "SELECT walkit_commit, walkit_change, walkit_side, name, v FROM k"));
        }
    }

    private static List<List<String>> rows(Statement s, String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(String.valueOf(rs.getObject(i)));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
