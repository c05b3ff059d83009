package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * walkit's integrity verdict equals SQLite's {@code PRAGMA integrity_check} (via sqlite-jdbc on a
 * copy) on generated databases and on damaged copies: bit flips, swapped pages, truncation and
 * forged pointers; walkit names at least the pages SQLite names; and where SQLite prints problem
 * lines, walkit's list equals them line for line (a documented known difference aside).
 */
class IntegrityCheckDifferentialTest {

    @Test
    void generatedDatabasesAreOkForBoth(@TempDir Path dir) throws Exception {
        for (long seed : DifferentialReadTest.seeds(Integer.getInteger("walkit.check.count", 16))) {
            Path file = dir.resolve("g" + seed + ".db");
            DbGen gen = new DbGen(seed);
            gen.build(file, 120);
            assertTrue(Sqlite.integrityOk(file), "sqlite says ok");
            IntegrityCheck.Report r = check(file);
            assertTrue(r.ok(), "seed " + seed + ": " + r.problems() + "\n" + gen.describe());
        }
    }

    static IntegrityCheck.Report check(Path file) throws Exception {
        try (FilePageSource src = FilePageSource.map(file)) {
            return IntegrityCheck.check(src, 100);
        } catch (io.walkit.io.CorruptFileException e) {
            return IntegrityCheck.Report.unreadable(e);
        }
    }

    enum Damage { FLIP, SWAP, TRUNCATE, FORGE_POINTER, ZERO_PAGE }

    /**
     * Damage cases ("seed/case") whose problem lists are known to differ from SQLite's although
     * SQLite printed problem lines, with the reason. 1001/21: a forged child pointer in index
     * t0_i0 makes walkit's index scan stop at an overflow page, so walkit cannot tell which rows
     * the index still finds; SQLite's seeks still run and report "row 36 missing from index t0_i0".
     */
    private static final java.util.Set<String> KNOWN_LIST_DIFFERENCES = java.util.Set.of("1001/21");

    @Test
    void damagedDatabasesGetSqlitesVerdict(@TempDir Path dir) throws Exception {
        int perSeed = Integer.getInteger("walkit.damage.perSeed", 25);
        List<String> mismatches = new ArrayList<>();
        List<String> pagesMissed = new ArrayList<>();
        int identical = 0;
        int comparable = 0;
        List<String> listDiffs = new ArrayList<>();
        int total = 0;
        int notOk = 0;
        for (long seed : DifferentialReadTest.seeds(Integer.getInteger("walkit.damage.count", 6))) {
            Path base = dir.resolve("b" + seed + ".db");
            DbGen gen = new DbGen(seed);
            gen.build(base, 60);
            byte[] image = Files.readAllBytes(base);
            SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
            for (int k = 0; k < perSeed; k++) {
                Damage d = Damage.values()[rnd.nextInt(Damage.values().length)];
                byte[] bad = image.clone();
                String what = damage(d, bad, gen.pageSize, rnd);
                if (d == Damage.TRUNCATE) {
                    int len = Integer.parseInt(what.substring(what.lastIndexOf(' ') + 1));
                    bad = java.util.Arrays.copyOf(bad, len);
                }
                Path f = dir.resolve("d" + seed + "-" + k + ".db");
                Files.write(f, bad);
                List<String> sqlite = Sqlite.integrityCheck(f);
                boolean sqliteOk = sqlite.equals(List.of("ok"));
                IntegrityCheck.Report r = check(f);
                String dump = System.getProperty("walkit.damage.dump");
                if (dump != null) {
                    // -Dwalkit.damage.dump=FILE appends walkit's full problem list per case, to compare two builds.
                    StringBuilder sb = new StringBuilder(seed + "/" + k + " " + what + " truncated=" + r.truncated() + "\n");
                    r.problems().forEach(p -> sb.append("  ").append(p).append('\n'));
                    Files.writeString(Path.of(dump), sb, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
                total++;
                if (!sqliteOk) {
                    notOk++;
                }
                if (sqliteOk != r.ok()) {
                    mismatches.add("seed " + seed + " case " + k + " " + what + ": sqlite " + sqlite + " walkit " + r.problems());
                } else if (!sqliteOk && r.problems().size() < 100) {
                    // walkit names at least the pages SQLite names ("page N" in its messages), in a
                    // problem's page or in its SQLite-style text.
                    java.util.Set<Long> ours = new java.util.HashSet<>();
                    StringBuilder text = new StringBuilder();
                    for (io.walkit.io.Problem p : r.problems()) {
                        ours.add(p.position().pageNumber());
                        text.append(p.text()).append('\n');
                    }
                    var pages = java.util.regex.Pattern.compile("page (\\d+)").matcher(text);
                    while (pages.find()) {
                        ours.add(Long.parseLong(pages.group(1)));
                    }
                    List<String> all = Sqlite.integrityLines(f);
                    List<String> lines = all.stream().filter(l -> !l.startsWith("error: ")).toList();
                    List<String> texts = r.problems().stream().map(io.walkit.io.Problem::text).toList();
                    if (lines.equals(texts)) {
                        identical++;
                    } else if (Boolean.getBoolean("walkit.damage.showDiff")) {
                        System.out.println("DIFF seed " + seed + " case " + k + " " + what + "\n  sqlite " + all + "\n  walkit " + texts);
                    }
                    // SQLite's list is comparable when it printed problem lines (not only an error that
                    // refused the file) and stayed below its 100-problem limit.
                    if (!lines.isEmpty() && lines.size() < 100) {
                        comparable++;
                        if (!lines.equals(texts) && !KNOWN_LIST_DIFFERENCES.contains(seed + "/" + k)) {
                            listDiffs.add("seed " + seed + " case " + k + " " + what + "\n  sqlite " + all + "\n  walkit " + texts);
                        }
                    }
                    for (String line : lines) {
                        var m = java.util.regex.Pattern.compile("page (\\d+)").matcher(line);
                        while (m.find()) {
                            if (!ours.contains(Long.parseLong(m.group(1)))) {
                                pagesMissed.add("seed " + seed + " case " + k + " " + what + ": sqlite names page " + m.group(1)
                                        + " in '" + line + "'; walkit " + r.problems());
                            }
                        }
                    }
                }
                Files.delete(f);
            }
        }
        System.out.println("damage cases: " + total + ", SQLite not ok: " + notOk + ", verdict mismatches: " + mismatches.size()
                + ", identical problem lists: " + identical + " (" + comparable + " comparable: SQLite printed 1..99 problem lines)"
                + ", pages SQLite names that walkit does not: " + pagesMissed.size());
        pagesMissed.stream().limit(10).forEach(System.out::println);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " verdict mismatches:\n" + String.join("\n", mismatches.subList(0, Math.min(10, mismatches.size()))));
        }
        if (!pagesMissed.isEmpty()) {
            fail(pagesMissed.size() + " pages named by SQLite but not by walkit:\n" + String.join("\n", pagesMissed.subList(0, Math.min(5, pagesMissed.size()))));
        }
        listDiffs.stream().limit(Boolean.getBoolean("walkit.damage.showDiff") ? 0 : 5).forEach(d -> System.out.println("LIST " + d));
        // -Dwalkit.damage.lists=report: larger local runs report list differences instead of failing
        // (see docs/fuzzing-db.md for the known kinds); verdicts and pages are always asserted.
        if (!listDiffs.isEmpty() && !"report".equals(System.getProperty("walkit.damage.lists"))) {
            fail(listDiffs.size() + " problem lists differ from SQLite's (rows before its final error, in order):\n"
                    + String.join("\n", listDiffs.subList(0, Math.min(5, listDiffs.size()))));
        }
    }

    static String damage(Damage d, byte[] b, int pageSize, SplittableRandom rnd) {
        int pages = b.length / pageSize;
        switch (d) {
            case FLIP -> {
                int off = rnd.nextInt(b.length);
                int bit = rnd.nextInt(8);
                b[off] ^= (byte) (1 << bit);
                return "flip bit " + bit + " at " + off;
            }
            case SWAP -> {
                if (pages < 3) {
                    return "swap (too few pages)";
                }
                int p = 1 + rnd.nextInt(pages - 1);
                int q = 1 + rnd.nextInt(pages - 1);
                byte[] tmp = new byte[pageSize];
                System.arraycopy(b, p * pageSize, tmp, 0, pageSize);
                System.arraycopy(b, q * pageSize, b, p * pageSize, pageSize);
                System.arraycopy(tmp, 0, b, q * pageSize, pageSize);
                return "swap pages " + (p + 1) + " and " + (q + 1);
            }
            case TRUNCATE -> {
                int len = rnd.nextInt(b.length);
                return "truncate to " + len;
            }
            case FORGE_POINTER -> {
                // Overwrite a 4-byte big-endian value at a random b-tree header / cell start with a page number.
                int p = rnd.nextInt(pages);
                int hdr = p == 0 ? 100 : 0;
                int type = b[p * pageSize + hdr] & 0xFF;
                int target = rnd.nextInt(pages + 2);
                int off;
                if (type == 2 || type == 5) {
                    int n = ((b[p * pageSize + hdr + 3] & 0xFF) << 8) | (b[p * pageSize + hdr + 4] & 0xFF);
                    if (n > 0 && rnd.nextBoolean()) {
                        int i = rnd.nextInt(n);
                        int ptr = p * pageSize + hdr + 12 + 2 * i;
                        off = p * pageSize + (((b[ptr] & 0xFF) << 8) | (b[ptr + 1] & 0xFF));
                    } else {
                        off = p * pageSize + hdr + 8;
                    }
                } else if (p == 0) {
                    off = 32;
                } else {
                    off = p * pageSize;
                }
                if (off + 4 > b.length) {
                    return "forge (out of range)";
                }
                b[off] = (byte) (target >>> 24);
                b[off + 1] = (byte) (target >>> 16);
                b[off + 2] = (byte) (target >>> 8);
                b[off + 3] = (byte) target;
                return "forge pointer " + target + " at " + off;
            }
            case ZERO_PAGE -> {
                int p = rnd.nextInt(pages);
                java.util.Arrays.fill(b, p * pageSize, (p + 1) * pageSize, (byte) 0);
                return "zero page " + (p + 1);
            }
            default -> throw new AssertionError(d);
        }
    }

    /**
     * The order in which SQLite visits b-trees (its schema hash order, see RootOrder): with every
     * table's and index's root page zeroed, both lists name the trees in visiting order.
     */
    @Test
    void visitsTreesInSqlitesOrder(@TempDir Path dir) throws Exception {
        for (int n : new int[] {2, 4, 5, 6, 9, 10, 11, 14, 23, 40, 70}) {
            Path f = dir.resolve("order" + n + ".db");
            List<Long> roots = new ArrayList<>();
            try (var c = Sqlite.open(f); var s = c.createStatement()) {
                s.execute("PRAGMA page_size=512");
                for (int i = 0; i < n; i++) {
                    String t = (i % 3 == 0 ? "Tab" : i % 3 == 1 ? "orders_" : "x") + i;
                    s.execute("CREATE TABLE " + t + "(a INTEGER PRIMARY KEY, b)");
                    if (i % 4 == 1) {
                        s.execute("CREATE INDEX " + t + "_b ON " + t + "(b)");
                    }
                }
                for (Object[] r : Sqlite.query(c, "SELECT rootpage FROM sqlite_schema")) {
                    roots.add((Long) r[0]);
                }
            }
            byte[] b = Files.readAllBytes(f);
            for (long p : roots) {
                java.util.Arrays.fill(b, (int) (p - 1) * 512, (int) p * 512, (byte) 0);
            }
            Files.write(f, b);
            List<String> sqlite = Sqlite.integrityLines(f).stream().filter(l -> l.startsWith("Tree ")).toList();
            List<String> ours = check(f).problems().stream().map(io.walkit.io.Problem::text)
                    .filter(l -> l.startsWith("Tree ")).toList();
            assertEquals(roots.size(), sqlite.size(), n + " tables: " + sqlite);
            assertEquals(sqlite, ours, n + " tables");
        }
    }

    @Test
    void reportsPagesSqliteNames(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.db");
        try (var c = Sqlite.open(f); var s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)");
            s.execute("INSERT INTO t(b) SELECT hex(randomblob(200)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<200) SELECT i FROM n)");
        }
        byte[] b = Files.readAllBytes(f);
        // Make page 3 (a table leaf) claim a freeblock beyond the usable size.
        b[2 * 1024 + 1] = (byte) 0x03;
        b[2 * 1024 + 2] = (byte) 0xFF;
        Files.write(f, b);
        List<String> sqlite = Sqlite.integrityCheck(f);
        IntegrityCheck.Report r = check(f);
        assertEquals(false, r.ok());
        assertTrue(sqlite.stream().anyMatch(l -> l.contains("page 3")), sqlite.toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.position().pageNumber() == 3 && p.message().equals("free space corruption")), r.problems().toString());
        // Every "never used" page SQLite names is named by walkit too.
        for (String line : sqlite) {
            var m = java.util.regex.Pattern.compile("Page (\\d+): never used").matcher(line);
            if (m.find()) {
                long page = Long.parseLong(m.group(1));
                assertTrue(r.problems().stream().anyMatch(p -> p.position().pageNumber() == page), "page " + page + " in " + r.problems());
            }
        }
    }

    /** Regression (damage seed 1024 case 18): SQLite reads large overflow content straight from the file. */
    @Test
    void truncationInsideADirectlyReadOverflowPageFailsLikeSqlite(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.db");
        try (var c = Sqlite.open(f); var s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)");
            s.execute("CREATE INDEX tb ON t(b)");
            s.execute("INSERT INTO t(b) VALUES(hex(zeroblob(3000)))");
        }
        byte[] b = Files.readAllBytes(f);
        // Cut the last overflow page short: the index check reads column b through the whole chain.
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 300);
        Path g = dir.resolve("cut.db");
        Files.write(g, cut);
        List<String> sqlite = Sqlite.integrityCheck(g);
        IntegrityCheck.Report r = check(g);
        assertEquals(sqlite.equals(List.of("ok")), r.ok(), "sqlite " + sqlite + " walkit " + r.problems());
        assertTrue(sqlite.get(0).contains("SHORT_READ"), sqlite.toString());
        // Cutting only the unused tail of a page SQLite reads through the pager is fine for both.
        assertTrue(Sqlite.integrityOk(f));
        assertTrue(check(f).ok());
    }

    /** Regression (damage seed 1062 case 2): a type's arguments must be signed numbers. */
    @Test
    void columnTypeWithNonNumericArgumentIsAMalformedSchema(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.db");
        try (var c = Sqlite.open(f); var s = c.createStatement()) {
            s.execute("CREATE TABLE t0(c0, PRIMARY KEY(c0)) WITHOUT ROWID");
        }
        byte[] b = Files.readAllBytes(f);
        String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("PRIMARY KEY(c0))");
        b[at + 1] ^= 0x40; // "PRIMARY" becomes an identifier: a column named P?IMARY of type KEY(c0)
        Files.write(f, b);
        assertTrue(Sqlite.integrityCheck(f).get(0).contains("malformed database schema"));
        IntegrityCheck.Report r = check(f);
        assertTrue(r.problems().stream().anyMatch(p -> p.message().startsWith("malformed database schema (t0)")), r.problems().toString());
    }

    /** Regression (damage seed 2067 case 1): WITHOUT ROWID rows are compared whole, reading every overflow page. */
    @Test
    void truncatedWithoutRowidOverflowFailsLikeSqlite(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.db");
        try (var c = Sqlite.open(f); var s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(a INT PRIMARY KEY, b TEXT) WITHOUT ROWID");
            s.execute("INSERT INTO t VALUES(1, hex(zeroblob(3000)))");
        }
        byte[] b = Files.readAllBytes(f);
        Path g = dir.resolve("cut.db");
        Files.write(g, java.util.Arrays.copyOf(b, b.length - 300));
        List<String> sqlite = Sqlite.integrityCheck(g);
        assertTrue(sqlite.get(0).contains("SHORT_READ"), sqlite.toString());
        assertEquals(false, check(g).ok());
    }

    /** Regression (damage seed 2019 case 7): SQLite does not compare entry counts of partial indexes. */
    @Test
    void partialIndexEntryCountIsNotCompared(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.db");
        try (var c = Sqlite.open(f); var s = c.createStatement()) {
            s.execute("PRAGMA page_size=512");
            s.execute("CREATE TABLE a(k INTEGER PRIMARY KEY, v)");
            s.execute("INSERT INTO a(v) VALUES(1),(2),(3)");
            s.execute("CREATE TABLE t(c0)");
            s.execute("CREATE INDEX ti ON t(c0) WHERE c0 IS NOT NULL");
        }
        // Page 4 is t's empty index; give it table a's leaf (page 2) content: three stray index entries.
        byte[] b = Files.readAllBytes(f);
        byte[] leaf = java.util.Arrays.copyOfRange(b, 512, 1024);
        leaf[0] = 10; // re-type the copied table leaf as an index leaf
        byte[] c2 = b.clone();
        System.arraycopy(leaf, 0, c2, 3 * 512, 512);
        Path g = dir.resolve("g.db");
        Files.write(g, c2);
        List<String> sqlite = Sqlite.integrityCheck(g);
        assertEquals(sqlite.equals(List.of("ok")), check(g).ok(), sqlite + " vs " + check(g).problems());
    }
}
