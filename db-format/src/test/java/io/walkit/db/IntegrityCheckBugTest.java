package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A walkit bug inside the integrity check surfaces as an exception (the CLI's internal error, exit
 * 70), never as a report that says "ok" with a table's rows unchecked.
 */
class IntegrityCheckBugTest {

    @TempDir
    Path dir;

    /** A database whose table t has a NOT NULL violation only the row level sees. */
    private Path damagedRows() throws Exception {
        Path f = dir.resolve("rows.db");
        try (Connection c = Sqlite.open(f); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=DELETE");
            s.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)");
            s.execute("CREATE INDEX t_b ON t(b)");
            s.execute("INSERT INTO t(b) VALUES ('x'), (NULL), ('z')");
            // Declare b NOT NULL after the fact: the b-tree level stays clean, the row level must object.
            s.execute("PRAGMA writable_schema=ON");
            s.execute("UPDATE sqlite_schema SET sql='CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL)' WHERE name='t'");
        }
        return f;
    }

    private static IntegrityCheck.Report check(Path f, SchemaParser parser) throws Exception {
        try (FilePageSource pages = FilePageSource.map(f)) {
            return IntegrityCheck.check(Database.open(pages), 100, parser);
        }
    }

    @Test
    void theRowLevelFindsTheDamageWithTheRealParser() throws Exception {
        Path f = damagedRows();
        assertFalse(Sqlite.integrityOk(f), "SQLite sees the NULL");
        IntegrityCheck.Report r = check(f, SchemaParser.DEFAULT);
        assertEquals(java.util.List.of("NULL value in t.b"), r.problems().stream().map(io.walkit.io.Problem::text).toList());
    }

    @Test
    void aTableParserBugPropagatesInsteadOfSkippingTheTable() throws Exception {
        Path f = damagedRows();
        IllegalStateException bug = new IllegalStateException("injected parser bug");
        SchemaParser buggy = new SchemaParser() {
            @Override
            public TableInfo table(Schema schema, SchemaEntry entry) {
                if ("t".equals(entry.name())) {
                    throw bug;
                }
                return SchemaParser.DEFAULT.table(schema, entry);
            }

            @Override
            public IndexInfo index(Schema schema, SchemaEntry entry) {
                return SchemaParser.DEFAULT.index(schema, entry);
            }
        };
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> check(f, buggy));
        assertSame(bug, thrown);
    }

    @Test
    void anIndexParserBugPropagatesInsteadOfSkippingTheIndex() throws Exception {
        Path f = damagedRows();
        SchemaParser buggy = new SchemaParser() {
            @Override
            public TableInfo table(Schema schema, SchemaEntry entry) {
                return SchemaParser.DEFAULT.table(schema, entry);
            }

            @Override
            public IndexInfo index(Schema schema, SchemaEntry entry) {
                throw new ArrayIndexOutOfBoundsException("injected index parser bug");
            }
        };
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> check(f, buggy));
    }

    @Test
    void aCleanDatabaseIsOkThroughTheSameSeam() throws Exception {
        Path f = dir.resolve("clean.db");
        try (Connection c = Sqlite.open(f); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=DELETE");
            s.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL)");
            s.execute("CREATE INDEX t_b ON t(b)");
            s.execute("INSERT INTO t(b) VALUES ('x'), ('y')");
        }
        assertTrue(Files.size(f) > 0);
        assertTrue(check(f, SchemaParser.DEFAULT).ok());
    }
}
