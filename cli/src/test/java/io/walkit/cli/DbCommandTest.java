package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walkit db ...} against testdata/wal/sample.db (+ -wal) and generated files. */
class DbCommandTest {

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Walkit.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path sample() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("testdata/wal/sample.db"))) {
            p = p.getParent();
        }
        return p.resolve("testdata/wal/sample.db");
    }

    @Test
    void dumpJsonReadsThroughTheWalBesideTheDatabase() {
        Result r = run("db", "dump", sample().toString(), "person", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("{\"rowid\":1,\"id\":1,\"name\":\"Ada\",\"email\":\"ada@lovelace.example\"}",
                "{\"rowid\":3,\"id\":3,\"name\":\"Edsger\",\"email\":\"edsger@example.org\"}"),
                r.out().lines().toList());
    }

    @Test
    void dumpAsOfEarlierCommitsShowsEarlierRows() {
        // Commit 3 inserted Edsger (commits: create table, create index, insert 2, insert 1, update, delete).
        Result r = run("db", "dump", sample().toString(), "person", "--json", "--at-commit", "4");
        assertEquals(List.of("{\"rowid\":1,\"id\":1,\"name\":\"Ada\",\"email\":\"ada@example.org\"}",
                "{\"rowid\":2,\"id\":2,\"name\":\"Grace\",\"email\":\"grace@example.org\"}",
                "{\"rowid\":3,\"id\":3,\"name\":\"Edsger\",\"email\":\"edsger@example.org\"}"), r.out().lines().toList());
        Result none = run("db", "tables", sample().toString(), "--json", "--at-commit", "0");
        assertTrue(none.out().contains("\"tables\":[]"), none.out());
        Result noWal = run("db", "tables", sample().toString(), "--no-wal");
        assertEquals("", noWal.out().strip());
    }

    @Test
    void dumpCsvHasHeaderAndQuotes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(a TEXT, b BLOB, c REAL, d)");
            s.execute("INSERT INTO t VALUES('x,y', x'00ff', 1.5, NULL), ('', NULL, 2, 'q\"r')");
        }
        Result r = run("db", "dump", f.toString(), "t");
        assertEquals(List.of("rowid,a,b,c,d", "1,\"x,y\",X'00ff',1.5,", "2,\"\",,2.0,\"q\"\"r\""), r.out().lines().toList());
        Result j = run("db", "dump", f.toString(), "t", "--json");
        assertEquals(List.of("{\"rowid\":1,\"a\":\"x,y\",\"b\":{\"blob\":\"00ff\"},\"c\":1.5,\"d\":null}",
                "{\"rowid\":2,\"a\":\"\",\"b\":null,\"c\":2.0,\"d\":\"q\\\"r\"}"), j.out().lines().toList());
        assertEquals(2, run("db", "dump", f.toString(), "nosuch").code());
        assertTrue(Files.list(dir).allMatch(p -> p.equals(f)), "nothing written next to the input");
    }

    @Test
    void tablesJsonListsRowCounts() {
        Result r = run("db", "tables", sample().toString(), "--json");
        assertEquals(0, r.code());
        assertEquals("{\"file\":\"" + sample() + "\",\"tables\":[{\"name\":\"person\",\"type\":\"table\",\"rootPage\":2,"
                + "\"rowCount\":2}],\"damagedTables\":0,\"journal\":null}", r.out().strip());
    }

    @Test
    void infoShowsHeaderPagesAndSchema() {
        Result r = run("db", "info", sample().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("WAL commit 6 of 6"), r.out());
        assertTrue(r.out().contains("table-leaf             2"), r.out());
        assertTrue(r.out().contains("index-leaf             1"), r.out());
        assertTrue(r.out().contains("CREATE INDEX person_email ON person(email)"), r.out());
        Result j = run("db", "info", sample().toString(), "--json");
        assertTrue(j.out().contains("\"pageSize\":4096") && j.out().contains("\"textEncoding\":\"UTF-8\""), j.out());
    }

    @Test
    void pageDecodesCells() {
        Result r = run("db", "page", sample().toString(), "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("table leaf"), r.out());
        assertTrue(r.out().contains("rowid 3") && r.out().contains("Edsger"), r.out());
        Result j = run("db", "page", sample().toString(), "3", "--json");
        assertTrue(j.out().contains("\"kind\":\"index leaf\"") && j.out().contains("\"cellCount\":2"), j.out());
        assertEquals(2, run("db", "page", sample().toString(), "99").code());
    }

    @Test
    void checkExitCodesFollowTheVerdict(@TempDir Path dir) throws Exception {
        Result ok = run("db", "check", sample().toString(), "--json");
        assertEquals(0, ok.code());
        assertEquals("{\"ok\":true,\"problems\":[],\"truncated\":false,\"journal\":null}", ok.out().strip());
        Path f = dir.resolve("bad.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)");
            s.execute("INSERT INTO t(b) SELECT hex(randomblob(300)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<50) SELECT i FROM n)");
        }
        byte[] b = Files.readAllBytes(f);
        b[2 * 1024 + 1] = 0x03; // page 3: first freeblock beyond the usable size
        b[2 * 1024 + 2] = (byte) 0xFF;
        Files.write(f, b);
        Result bad = run("db", "check", f.toString(), "--json");
        assertEquals(1, bad.code(), bad.err());
        assertTrue(bad.out().startsWith("{\"ok\":false,\"problems\":[{\"severity\":\"error\",\"code\":\"free-space\","), bad.out());
        assertTrue(bad.out().contains("\"position\":{\"kind\":\"in-page\",\"pageNumber\":3,"), bad.out());
        assertTrue(bad.out().contains("\"message\":\"free space corruption\""), bad.out());
        Result text = run("db", "check", f.toString());
        assertTrue(text.out().contains("Tree 2 page 3: free space corruption"), text.out());
        // A garbage header is a problem, not a crash.
        Files.write(f, new byte[2048]);
        Result garbage = run("db", "check", f.toString());
        assertEquals(1, garbage.code(), garbage.err());
    }

    @Test
    void shapesSampleMatchesItsSidecar() {
        Path shapes = sample().getParent().resolveSibling("db").resolve("shapes.db");
        Result r = run("db", "dump", shapes.toString(), "item", "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size());
        assertEquals("{\"rowid\":1,\"id\":1,\"name\":\"bolt\",\"price\":0.25,\"data\":{\"blob\":\"00ff10\"},\"stock\":7}", lines.get(0));
        assertEquals("{\"rowid\":2,\"id\":2,\"name\":\"nut\",\"price\":3.0,\"data\":null,\"stock\":7}", lines.get(1));
        assertEquals("{\"rowid\":3,\"id\":3,\"name\":\"gear\",\"price\":null,\"data\":{\"blob\":\"" + "00".repeat(1200) + "\"},\"stock\":7}", lines.get(2));
        assertEquals("{\"rowid\":4,\"id\":4,\"name\":\"spring\",\"price\":null,\"data\":null,\"stock\":0}", lines.get(3));
        assertEquals(List.of("label,weight", "metal,2", "small,1"), run("db", "dump", shapes.toString(), "tag").out().lines().toList());
        Result info = run("db", "info", shapes.toString(), "--json");
        assertTrue(info.out().contains("\"pointer-map\":1") && info.out().contains("\"freelist-leaf\":4")
                && info.out().contains("\"overflow\":2"), info.out());
        assertEquals(0, run("db", "check", shapes.toString()).code());
        Result ptrmap = run("db", "page", shapes.toString(), "2");
        assertTrue(ptrmap.out().contains("use: pointer-map") && ptrmap.out().contains("page 3: ROOTPAGE parent 0"), ptrmap.out());
        Result trunk = run("db", "page", shapes.toString(), "9", "--json");
        assertTrue(trunk.out().contains("\"use\":\"freelist-trunk\"") && trunk.out().contains("\"leafCount\":4"), trunk.out());
        // An index dumps its entries in key order: name, then rowid.
        assertEquals(List.of("name,rowid", "bolt,1", "gear,3", "nut,2", "spring,4"),
                run("db", "dump", shapes.toString(), "item_name").out().lines().toList());
    }

    @Test
    void readingThroughAWalWritesNothingBesideTheEvidence(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("sample.db");
        Files.copy(sample(), db);
        Files.copy(sample().resolveSibling("sample.db-wal"), dir.resolve("sample.db-wal"));
        byte[] before = Files.readAllBytes(db);
        byte[] walBefore = Files.readAllBytes(dir.resolve("sample.db-wal"));
        for (String[] args : List.of(new String[] {"info"}, new String[] {"tables"}, new String[] {"page", "2"},
                new String[] {"dump", "person"}, new String[] {"check"}, new String[] {"dump", "person", "--at-commit", "3"})) {
            String[] full = new String[args.length + 2];
            full[0] = "db";
            full[1] = args[0];
            full[2] = db.toString();
            System.arraycopy(args, 1, full, 3, args.length - 1);
            assertEquals(0, run(full).code(), String.join(" ", full));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("sample.db", "sample.db-wal"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)));
        assertTrue(java.util.Arrays.equals(walBefore, Files.readAllBytes(dir.resolve("sample.db-wal"))));
    }

    /** Damaged input never makes a db verb fail with an internal error (exit 70). */
    @Test
    void damagedFilesNeverCauseInternalErrors(@TempDir Path dir) throws Exception {
        Path shapes = sample().getParent().resolveSibling("db").resolve("shapes.db");
        byte[] image = Files.readAllBytes(shapes);
        Path f = dir.resolve("d.db");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int off = 0; off < image.length; off += 1 + rnd.nextInt(200)) {
            byte[] m = image.clone();
            m[off] ^= (byte) (1 + rnd.nextInt(255));
            Files.write(f, m);
            for (String[] verb : List.of(new String[] {"info"}, new String[] {"check", "--json"}, new String[] {"dump", "item"},
                    new String[] {"page", String.valueOf(1 + off % 12)})) {
                String[] args = new String[verb.length + 2];
                args[0] = "db";
                args[1] = verb[0];
                args[2] = f.toString();
                System.arraycopy(verb, 1, args, 3, verb.length - 1);
                Result r = run(args);
                assertTrue(r.code() >= 0 && r.code() <= 4 && !r.err().contains("internal error"),
                        "byte " + off + ": walkit " + String.join(" ", args) + " -> " + r.code() + " " + r.err());
            }
        }
    }

    @Test
    void checkShowsSqlitesMessageAndWalkitsDetailSeparately(@TempDir Path dir) throws Exception {
        Path shapes = sample().getParent().getParent().resolve("db/shapes.db");
        byte[] b = Files.readAllBytes(shapes);
        int raw = ((b[16] & 0xFF) << 8) | (b[17] & 0xFF);
        int pageSize = raw == 1 ? 65536 : raw;
        b[pageSize * 2] = 0; // page 3: page type 0
        Path damaged = dir.resolve("damaged.db");
        Files.write(damaged, b);
        Result text = run("db", "check", damaged.toString());
        assertEquals(Walkit.EXIT_PROBLEMS, text.code(), text.err());
        assertTrue(text.out().contains("btreeInitPage() returns error code 11 (invalid page type 0)"), text.out());
        Result json = run("db", "check", "--json", damaged.toString());
        assertTrue(json.out().contains("\"message\":\"btreeInitPage() returns error code 11\",\"detail\":\"invalid page type 0\""),
                json.out());
    }
}
