package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.CorruptFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits and caller mistakes are said, never mistaken for an answer: a schema with more rows than
 * walkit reads is refused (not cut short, which would silently drop tables from every check and
 * dump), and a rowid lookup in a WITHOUT ROWID table is a caller's mistake, not damage.
 */
class SchemaLimitsTest {

    @TempDir
    Path dir;

    @Test
    void aSchemaLongerThanTheLimitIsRefusedNotCutShort() throws Exception {
        Path db = dir.resolve("s.db");
        try (Connection c = Sqlite.open(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE a(x)");
            s.execute("CREATE TABLE b(x)");
            s.execute("CREATE TABLE c(x)");
        }
        try (Database d = Database.open(db, null, null)) {
            assertEquals(3, Schema.read(d, 3).entries().size());
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> Schema.read(d, 2));
            assertTrue(e.structure().startsWith("sqlite_schema"), e.structure());
            assertTrue(e.expected().contains("at most 2 rows"), e.getMessage());
        }
    }

    @Test
    void aRowidLookupInAWithoutRowidTableIsACallersMistake() throws Exception {
        Path db = dir.resolve("w.db");
        try (Connection c = Sqlite.open(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE k(name TEXT PRIMARY KEY, v) WITHOUT ROWID");
            s.execute("INSERT INTO k VALUES('x', 1)");
        }
        try (Database d = Database.open(db, null, null)) {
            TableReader r = TableReader.open(d, "k");
            assertThrows(IllegalStateException.class, () -> r.lookup(1));
        }
    }
}
