package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.JournalBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors that say what a file is, checked by its magic first (issue 10, "errors that point the wrong way"). */
class WrongKindOfFileTest {

    static final Path DB = DbCommandTest.sample();
    static final Path WAL = DB.resolveSibling("sample.db-wal");

    static void assertSays(CliRun r, int code, String... parts) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line on stderr: " + r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "stderr should contain '" + p + "': " + r.err());
        }
    }

    @Test
    void walVerbsOnADatabaseSayItIsADatabase() {
        for (String verb : new String[] {"info", "frames", "stale"}) {
            assertSays(CliRun.run("wal", verb, DB.toString()), 3, "not a WAL", "looks like an SQLite database", "walkit db info");
        }
    }

    @Test
    void dbVerbsOnOtherFilesSayWhatTheyAre(@TempDir Path dir) throws Exception {
        assertSays(CliRun.run("db", "info", "--no-wal", WAL.toString()), 3, "not an SQLite database", "looks like a WAL");
        Path lz4 = dir.resolve("seg.lz4");
        Files.write(lz4, new byte[] {0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, (byte) 0xa7, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertSays(CliRun.run("db", "tables", lz4.toString()), 3, "not an SQLite database", "LZ4 frame");
        Path bolt = dir.resolve("bolt.db");
        byte[] b = new byte[4096];
        b[16] = (byte) 0xed;
        b[17] = (byte) 0xda;
        b[18] = 0x0c;
        b[19] = (byte) 0xed;
        Files.write(bolt, b);
        assertSays(CliRun.run("db", "tables", bolt.toString()), 3, "BoltDB");
        CliRun check = CliRun.run("db", "check", bolt.toString());
        assertEquals(1, check.code(), check.toString());
        assertTrue(check.out().contains("BoltDB"), check.out());
        Path journal = dir.resolve("x.db-journal");
        Files.write(journal, new JournalBuilder(1024, 512).header(1, 1, 1).page(1, 1).build());
        assertSays(CliRun.run("db", "info", journal.toString()), 3, "rollback journal", "walkit journal info");
        assertSays(CliRun.run("shm", "info", "--no-wal", DB.toString()), 3, "not a wal-index", "SQLite database");
    }

    @Test
    void walOfAnotherDatabaseIsSaidNotToBelong(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("other.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(x)");
        }
        assertSays(CliRun.run("db", "tables", "--wal", WAL.toString(), db.toString()), 3, "does not belong to this database");
    }
}
