package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UNIQUE check of the row level against SQLite's {@code PRAGMA integrity_check}: a plain
 * two-column index holding duplicates (integers, an equal real, numeric text, blobs, NULLs) is
 * declared UNIQUE through {@code writable_schema}; walkit's problem lines must equal SQLite's.
 */
class UniqueIndexDifferentialTest {

    @Test
    void duplicatesUnderAForgedUniqueIndexAreReportedAsSqliteDoes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("u.db");
        try (Connection c = Sqlite.open(f); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(a, b, c TEXT)");
            s.execute("INSERT INTO t VALUES (1,'x','p'),(1,'x','q'),(2,NULL,'r'),(2,NULL,'s'),(1.0,'x','t'),(3,'y','u'),"
                    + "('3','y','v'),(x'01',4.5,'w'),(x'01',4.5,'x'),(5,6,'y'),(5.5,6,'z')");
            s.execute("CREATE INDEX i ON t(a, b)");
            s.execute("CREATE INDEX j ON t(c)");
            s.execute("PRAGMA writable_schema=ON");
            s.execute("UPDATE sqlite_schema SET sql='CREATE UNIQUE INDEX i ON t(a, b)' WHERE name='i'");
        }
        List<String> sqlite = Sqlite.integrityLines(f);
        IntegrityCheck.Report r = IntegrityCheckDifferentialTest.check(f);
        List<String> ours = r.problems().stream().map(io.walkit.io.Problem::text).toList();
        assertTrue(sqlite.stream().anyMatch(l -> l.startsWith("non-unique entry in index i")), "SQLite: " + sqlite);
        assertEquals(sqlite, ours);
    }
}
