package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.WalSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walkit scan} on made-up trees: classification by magic, grouping by name, problems, order. */
class ScanCommandTest {

    @TempDir
    Path dir;

    private static final byte[] JOURNAL_HEAD = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63,
            (byte) 0xd7, 0, 0, 0, 0};

    private static List<String> lines(CliRun r) {
        List<String> l = new ArrayList<>();
        for (String s : r.out().split("\n")) {
            if (!s.isBlank()) {
                l.add(s);
            }
        }
        return l;
    }

    /** A real database in WAL mode with an un-checkpointed WAL, made by SQLite (copied out while open). */
    private Path sqliteDatabaseWithWal(Path where) throws Exception {
        Path live = Files.createDirectories(dir.resolve("live")).resolve("app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + live); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("CREATE TABLE t(x)");
            s.execute("INSERT INTO t VALUES (1),(2),(3)");
            Files.createDirectories(where);
            Files.copy(live, where.resolve("app.db"));
            Files.copy(live.resolveSibling("app.db-wal"), where.resolve("app.db-wal"));
            Files.copy(live.resolveSibling("app.db-shm"), where.resolve("app.db-shm"));
        }
        return where.resolve("app.db");
    }

    @Test
    void groupsADatabaseWithItsWalAndShmAndReportsThem() throws Exception {
        Path tree = dir.resolve("tree");
        Path db = sqliteDatabaseWithWal(tree.resolve("a/b"));
        Files.writeString(tree.resolve("a/notes.txt"), "not sqlite");
        CliRun r = CliRun.run("scan", "--json", tree.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> l = lines(r);
        assertEquals(1, l.size(), r.toString());
        String j = l.get(0);
        assertEquals("\"set\"", WalCommandsTest.field(j, "kind"));
        assertEquals("\"" + db + "\"", WalCommandsTest.field(j, "path"));
        assertTrue(j.contains("\"database\":{\"file\":\"" + db + "\""), j);
        assertTrue(j.contains("\"wal\":{\"file\":\"" + db + "-wal\""), j);
        assertTrue(j.contains("\"walIndex\":{\"file\":\"" + db + "-shm\""), j);
        assertTrue(j.contains("\"journal\":null"), j);
        assertTrue(j.contains("\"problems\":[]"), j);
        // The WAL's verdict is exactly wal info's.
        CliRun info = CliRun.run("wal", "info", "--json", db + "-wal");
        String walInfo = info.out().strip();
        assertTrue(j.contains("\"wal\":" + walInfo), j + "\n" + walInfo);
    }

    @Test
    void findsByMagicNotByNameAndKeepsOrphansAsSetsOfTheirOwn() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("t"));
        byte[] wal = WalSpec.pageSize(1024).salts(7, 8).commit(2, 1, 2).build();
        Files.write(tree.resolve("evidence.bin"), wal);            // a WAL under another name
        Files.write(tree.resolve("gone.db-wal"), wal);             // a WAL whose database is gone
        Files.write(tree.resolve("old.db-journal"), JOURNAL_HEAD); // an orphan rollback journal
        Files.write(tree.resolve("x.db-wal.txt"), "text".getBytes());
        CliRun r = CliRun.run("scan", "--json", tree.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> l = lines(r);
        assertEquals(3, l.size(), r.toString());
        assertTrue(l.get(0).contains("\"path\":\"" + tree.resolve("evidence.bin") + "\""), l.get(0));
        assertTrue(l.get(0).contains("\"role\":\"main\",\"magic\":\"wal\""), l.get(0));
        assertTrue(l.get(0).contains("\"database\":null"), l.get(0));
        assertEquals("2", WalCommandsTest.field(l.get(0), "mxFrame"));
        assertTrue(l.get(1).contains("\"path\":\"" + tree.resolve("gone.db") + "\""), l.get(1));
        assertTrue(l.get(1).contains("\"role\":\"wal\",\"magic\":\"wal\""), l.get(1));
        assertTrue(l.get(2).contains("\"role\":\"journal\",\"magic\":\"rollback-journal\""), l.get(2));
        assertTrue(l.get(2).contains("\"journal\":{"), l.get(2));
    }

    @Test
    void reportsASiblingWhoseMagicDoesNotFit() throws Exception {
        Path tree = dir.resolve("m");
        Path db = sqliteDatabaseWithWal(tree);
        Files.writeString(Path.of(db + "-wal"), "this is not a WAL at all, but it is named like one");
        Files.write(Path.of(db + "-journal"), new byte[0]); // empty journal: what SQLite leaves, not a problem
        CliRun r = CliRun.run("scan", "--json", tree.toString());
        assertEquals(1, r.code(), r.toString());
        String j = lines(r).get(0);
        assertTrue(j.contains("\"problem\":\"magic-mismatch\",\"expected\":\"wal\",\"found\":\"unknown\""), j);
        assertTrue(j.contains("\"wal\":null"), j);
        assertFalse(j.contains("\"expected\":\"rollback-journal\""), j);
        CliRun text = CliRun.run("scan", tree.toString());
        assertEquals(1, text.code(), text.toString());
        assertTrue(text.out().contains("app.db-wal: not a wal, magic unknown"), text.out());
    }

    @Test
    void reportsACorruptWalHeaderAsAProblemOfItsSet() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("c"));
        byte[] wal = WalSpec.pageSize(1024).salts(7, 8).commit(2, 1, 2).build();
        wal[8] = 0x7f; // page size 0x7f..: not a power of two, header checksum wrong too
        Files.write(tree.resolve("c.db-wal"), wal);
        CliRun r = CliRun.run("scan", "--json", tree.toString());
        String j = lines(r).get(0);
        // A damaged WAL header is a verdict of the scan, as in wal info (SQLite ignores the WAL).
        assertTrue(j.contains("\"headerStatus\":\"bad-page-size\"") || j.contains("\"headerStatus\":\"bad-checksum\""), j);
    }

    @Test
    void manySetsComeOutInPathOrderWhateverTheThreads() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 60; i++) {
            Files.write(tree.resolve(String.format("w%03d.db-wal", i)),
                    WalSpec.pageSize(512).salts(i, i + 1).commit(i % 5 + 1, 1, 2).build());
        }
        String one = CliRun.run("scan", "--json", "--threads", "1", tree.toString()).out();
        String four = CliRun.run("scan", "--json", "--threads", "4", tree.toString()).out();
        assertEquals(one, four);
        List<String> l = lines(CliRun.run("scan", "--json", tree.toString()));
        assertEquals(60, l.size());
        for (int i = 0; i < 60; i++) {
            assertTrue(l.get(i).contains(String.format("w%03d.db\"", i)), l.get(i));
        }
    }

    @Test
    void survivesSymlinkLoopsAndMissingPaths() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("loop/sub"));
        Files.createSymbolicLink(tree.resolve("up"), tree.getParent());
        Files.write(tree.resolve("w.db-wal"), WalSpec.pageSize(512).salts(1, 2).commit(2, 1).build());
        CliRun plain = CliRun.run("scan", "--json", dir.resolve("loop").toString());
        assertEquals(0, plain.code(), plain.toString());
        assertEquals(1, lines(plain).size(), plain.toString());
        CliRun follow = CliRun.run("scan", "--json", "--follow-links", dir.resolve("loop").toString());
        assertEquals(1, follow.code(), follow.toString());
        assertTrue(follow.out().contains("\"kind\":\"error\"") && follow.out().contains("symbolic link loop"), follow.out());
        CliRun missing = CliRun.run("scan", "--json", dir.resolve("nope").toString());
        assertEquals(1, missing.code(), missing.toString());
        assertTrue(missing.out().contains("no such file or directory"), missing.out());
        assertEquals(2, CliRun.run("scan", "--threads", "0", dir.toString()).code());
    }

    @Test
    void aZeroedOrEmptyJournalIsNoMismatchButAnotherKindIs() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("z"));
        Files.write(tree.resolve("a.db-journal"), JOURNAL_HEAD);
        Files.write(tree.resolve("b.db-wal"), WalSpec.pageSize(512).salts(1, 2).commit(2, 1).build());
        Files.write(tree.resolve("b.db-journal"), new byte[512]); // journal_mode=PERSIST zeroes the header
        Files.write(tree.resolve("b.db-shm"), JOURNAL_HEAD);       // a journal named -shm
        List<String> l = lines(CliRun.run("scan", "--json", tree.toString()));
        assertEquals(2, l.size(), l.toString());
        assertTrue(l.get(0).contains("\"problems\":[]"), l.get(0));
        assertTrue(l.get(1).contains("\"expected\":\"wal-index\",\"found\":\"rollback-journal\""), l.get(1));
        assertFalse(l.get(1).contains("\"expected\":\"rollback-journal\""), l.get(1));
    }
}
