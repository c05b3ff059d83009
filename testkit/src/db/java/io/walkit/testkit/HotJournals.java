package io.walkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.db.HotJournal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Real hot journals made by killing a {@code sqlite3} writer mid-transaction (tests skip without sqlite3). */
public final class HotJournals {

    private HotJournals() {
    }

    /** Makes {@code dir/h.db} + a hot {@code h.db-journal} by killing a writer; skips without sqlite3. */
    public static Path killedWriter(Path dir, String synchronous) throws Exception {
        Files.createDirectories(dir);
        Path db = dir.resolve("h.db");
        try {
            Process p = new ProcessBuilder("sqlite3", db.toString(),
                    "PRAGMA page_size=1024; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, n REAL);"
                            + "CREATE INDEX t_v ON t(v);"
                            + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<3000)"
                            + " INSERT INTO t SELECT x, hex(randomblob(40)), x*0.5 FROM c;")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            Assumptions.assumeTrue(p.waitFor() == 0, "sqlite3 failed to make the database");
        } catch (java.io.IOException e) {
            Assumptions.abort("sqlite3 not installed (apt-get install sqlite3): " + e.getMessage());
        }
        byte[] before = Files.readAllBytes(db);
        Process w = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
        try {
            Writer in = new OutputStreamWriter(w.getOutputStream(), StandardCharsets.UTF_8);
            in.write("PRAGMA cache_size=8; PRAGMA synchronous=" + synchronous + "; BEGIN;\n"
                    + "UPDATE t SET v = 'changed-' || id, n = -n;\n"
                    + "INSERT INTO t SELECT id + 100000, v || 'x', n FROM t;\n"
                    + "DELETE FROM t WHERE id % 7 = 0;\n"
                    + "SELECT 'ready';\n");
            in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // sqlite3 echoes nothing else; wait for the marker
            }
            assertEquals("ready", line, "the writer reached the end of its statements");
        } finally {
            w.destroyForcibly(); // SIGKILL: no rollback, no journal deletion
            w.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.size(HotJournal.defaultJournal(db)) > 0, "the killed writer left a journal");
        assertFalse(Arrays.equals(before, Files.readAllBytes(db)), "the writer spilled pages into the database file");
        return db;
    }
}
