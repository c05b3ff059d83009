package io.walkit.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walkit.db.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page map in headless Chromium (Debian {@code chromium}; skipped with a message when absent): a
 * hostile database whose table name and values hold {@code <script>} and {@code <img onerror>} that
 * would change the document title renders them as text and runs none of them (the title and the DOM
 * after scripts ran prove it), the map's own script runs (it draws one square per page and fills in
 * the clicked page's details), and a screenshot is taken ({@code target/page-map.png}, looked at by eye).
 */
class PageMapBrowserTest {

    @TempDir
    Path dir;

    private static final String HOSTILE_TABLE = "<script>document.title='pwned'</script>";
    private static final String HOSTILE_VALUE = "<img src=x onerror=\"document.title='pwned'\"></script><script>document.title='pwned'</script>";

    @Test
    void hostileNamesAndValuesAreTextAndNothingRuns() throws Exception {
        String chromium = chromium();
        assumeTrue(chromium != null, "chromium not installed (apt-get install chromium): page map browser test skipped");
        Path db = dir.resolve("hostile.db");
        Path copy = dir.resolve("c.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("CREATE TABLE \"" + HOSTILE_TABLE.replace("\"", "\"\"") + "\"(id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 0; i < 200; i++) {
                s.execute("INSERT INTO \"" + HOSTILE_TABLE + "\"(v) VALUES('" + HOSTILE_VALUE.replace("'", "''") + " " + i + "')");
            }
            s.execute("DELETE FROM \"" + HOSTILE_TABLE + "\" WHERE id % 3 = 0");
            Files.copy(db, copy);
            Files.copy(dir.resolve("hostile.db-wal"), dir.resolve("c.db-wal"));
        }
        String html;
        int pages;
        try (LogHistory h = LogHistory.open(copy, dir.resolve("c.db-wal"))) {
            Database d = h.at(h.commitCount());
            pages = (int) d.pageCount();
            List<RecoveredRecord> recs = LogVersions.merge(Carver.carve(d, copy.toString(), "c.db-wal"),
                    LogVersions.find(h, copy.toString(), "c.db-wal"));
            assertTrue(recs.size() > 10, "records: " + recs.size());
            html = PageMap.render(h, "<b>" + copy + "</b>", recs);
        }
        assertFalse(html.contains(HOSTILE_TABLE), "the raw table name never appears in the HTML");
        assertFalse(html.contains("<img"), "no raw <img> in the HTML");
        Path file = dir.resolve("map.html");
        Files.writeString(file, html);
        // Page 2 is the hostile table's first page: its details (freeblocks, records) are shown at load.
        String dom = run(chromium, "--dump-dom", file.toUri() + "#page=2");
        String title = dom.substring(dom.indexOf("<title>") + 7, dom.indexOf("</title>"));
        assertEquals("walkit page map: &lt;b&gt;" + copy + "&lt;/b&gt;", title, "the title was not changed by any script");
        assertFalse(dom.contains("pwned</title>"), dom);
        assertFalse(dom.contains("<img"), "no img element was created");
        assertEquals(pages, countOf(dom, "class=\"pg "), "the map's own script drew one square per page");
        assertTrue(dom.contains("<h2>Page 2</h2>"), "the map's own script showed page 2");
        assertTrue(dom.contains("&lt;img src=x onerror="), "the hostile value is shown as text");
        assertTrue(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), "the hostile name is shown as text");
        Path png = Path.of("target", "page-map.png").toAbsolutePath();
        Files.deleteIfExists(png);
        run(chromium, "--screenshot=" + png, "--window-size=1100,900", file.toUri() + "#page=2");
        assertTrue(Files.size(png) > 10_000, "screenshot written: " + png);
    }

    private static int countOf(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    private String run(String chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile")));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("chromium.out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(dir.resolve("chromium.err").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
