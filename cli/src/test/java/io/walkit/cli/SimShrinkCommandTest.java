package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walkit sim shrink} against outside programs, and the per-step JSON it hands them. */
class SimShrinkCommandTest {

    private static final String SCENARIO = """
            set page-size 512
            set db-pages 3
            commit W pages 1,2 size 3
            begin R1
            commit W pages 3 size 3
            checkpoint C PASSIVE
            end R1
            checkpoint C RESTART
            commit W pages 2 size 3
            checkpoint C FULL
            """;

    @Test
    void shrinksToTheStepsTheProgramFailsOnKeepingItsExitStatus(@TempDir Path dir) throws Exception {
        Path scn = write(dir, "s.scn", SCENARIO);
        // Exit 3 when the script restarts the WAL by checkpoint; exit 4 (a different failure) for any
        // other script with a commit: the shrinker must not trade the 3 for the easier 4.
        String cmd = "if grep -q RESTART {dir}/scenario.scn; then exit 3; elif grep -q commit {dir}/scenario.scn; then exit 4; fi";
        SimCommandsTest.Run r = SimCommandsTest.run("sim", "shrink", scn.toString(), "--cmd", cmd, "--json");
        assertEquals(1, r.code(), r.toString());
        String json = r.out();
        assertTrue(json.contains("\"original\":{\"steps\":8,\"outcome\":\"fail\",\"exitCode\":3}"), json);
        assertTrue(json.contains("\"shrunk\":{\"steps\":1,\"outcome\":\"fail\",\"exitCode\":3,\"script\":\""), json);
        assertTrue(json.contains("checkpoint C RESTART\\n"), json);
    }

    @Test
    void handsTheProgramTheScriptStepFilesAndStepJson(@TempDir Path dir) throws Exception {
        Path scn = write(dir, "s.scn", SCENARIO);
        Path seen = dir.resolve("seen");
        Files.createDirectories(seen);
        // Passes, after copying what it was given (only on the first run: the original).
        String cmd = "test -e " + seen + "/scenario.scn || cp {dir}/* " + seen + "/";
        SimCommandsTest.Run r = SimCommandsTest.run("sim", "shrink", scn.toString(), "--cmd", cmd);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("passes"), r.out());
        assertEquals(SCENARIO, Files.readString(seen.resolve("scenario.scn")));
        for (int step = 1; step <= 8; step++) {
            assertTrue(Files.exists(seen.resolve(String.format("step-%02d.db", step))), "step " + step);
        }
        assertTrue(Files.exists(seen.resolve("step-05.db-wal")));
        assertTrue(Files.exists(seen.resolve("step-05.db-shm")));
        List<String> lines = Files.readAllLines(seen.resolve("steps.jsonl"));
        assertEquals(8, lines.size());
        // Step 4: PASSIVE checkpoint with R1 reading at mxFrame 2 -> backfills 2 of 3 frames.
        String l4 = lines.get(3);
        assertTrue(l4.contains("\"checkpoint\":{\"busy\":0,\"log\":3,\"checkpointed\":2}"), l4);
        assertTrue(l4.contains("\"mxFrame\":3") && l4.contains("\"nBackfill\":2"), l4);
        assertTrue(l4.contains("\"aReadMark\":[0,2,null,null,null]"), l4);
        assertTrue(l4.contains("\"contentSha3sum\":null"), "synthetic pages have no content digest: " + l4);
        assertTrue(l4.matches(".*\"imageSha3\":\"[0-9a-f]{64}\".*"), l4);
    }

    @Test
    void aTimeoutIsItsOwnKindAndNotShrunkTowards(@TempDir Path dir) throws Exception {
        Path scn = write(dir, "s.scn", SCENARIO);
        // The original fails with 5; candidates without the FULL checkpoint hang: never taken.
        String cmd = "if grep -q FULL {dir}/scenario.scn; then exit 5; else sleep 30; fi";
        SimCommandsTest.Run r = SimCommandsTest.run("sim", "shrink", scn.toString(), "--cmd", cmd, "--timeout", "0.5",
                "--budget", "6", "--json");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("\"shrunk\":{\"steps\":"), r.out());
        assertTrue(r.out().contains("checkpoint C FULL"), "the FULL checkpoint stays: " + r.out());
        assertFalse(r.out().contains("\"timeouts\":0"), r.out());

        SimCommandsTest.Run t = SimCommandsTest.run("sim", "shrink", scn.toString(), "--cmd", "sleep 30 # {dir}", "--timeout", "0.5");
        assertEquals(1, t.code(), t.toString());
        assertTrue(t.out().contains("timed out"), t.out());
    }

    @Test
    void stepJsonContentDigestEqualsSqlite3Sha3sumOnTheStepFiles(@TempDir Path dir) throws Exception {
        Path src = SimCommandsTest.testdata("real-pages.db");
        Files.copy(src, dir.resolve("real-pages.db"));
        Files.copy(SimCommandsTest.testdata("real-pages.db-wal"), dir.resolve("real-pages.db-wal"));
        Path scn = write(dir, "real.scn", """
                set source real-pages.db real-pages.db-wal
                commit W from 1
                commit W from 2
                checkpoint C PASSIVE
                """);
        Path seen = dir.resolve("seen");
        Files.createDirectories(seen);
        SimCommandsTest.Run r = SimCommandsTest.run("sim", "shrink", scn.toString(), "--cmd",
                "test -e " + seen + "/steps.jsonl || cp {dir}/* " + seen + "/");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = Files.readAllLines(seen.resolve("steps.jsonl"));
        for (int step = 1; step <= 3; step++) {
            // sqlite3 reads the step's db + WAL (copied alone into a fresh directory: no -shm).
            Path one = dir.resolve("one-" + step);
            Files.createDirectories(one);
            Files.copy(seen.resolve(String.format("step-%02d.db", step)), one.resolve("x.db"));
            Path wal = seen.resolve(String.format("step-%02d.db-wal", step));
            if (Files.exists(wal)) {
                Files.copy(wal, one.resolve("x.db-wal"));
            }
            String sha = sqlite3(one.resolve("x.db"), ".sha3sum");
            assertTrue(lines.get(step - 1).contains("\"contentSha3sum\":\"" + sha + "\""), step + ": " + sha + " vs " + lines.get(step - 1));
        }
    }

    @Test
    void refusesACommandWithoutDirAndAnExistingOut(@TempDir Path dir) throws Exception {
        Path scn = write(dir, "s.scn", SCENARIO);
        assertEquals(2, SimCommandsTest.run("sim", "shrink", scn.toString(), "--cmd", "true").code());
        Path out = write(dir, "out.scn", "x");
        assertEquals(2, SimCommandsTest.run("sim", "shrink", scn.toString(), "--cmd", "exit 1 # {dir}", "--out", out.toString()).code());
        assertEquals("x", Files.readString(out));
    }

    @Test
    void everySimVerbTakesJson() {
        for (List<String> verb : List.of(List.of("checkpoint-crash"), List.of("litestream-catalogue"),
                List.of("litestream-521"), List.of("generate"), List.of("forum-backup-race"))) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("sim"),
                    java.util.stream.Stream.concat(verb.stream(), java.util.stream.Stream.of("--json"))).toArray(String[]::new);
            SimCommandsTest.Run r = SimCommandsTest.run(args);
            assertEquals(0, r.code(), verb + ": " + r);
            String out = r.out().strip();
            assertTrue(out.startsWith("{") && out.endsWith("}") && !out.contains("\n"), verb + " prints one JSON object: " + out);
        }
        SimCommandsTest.Run c = SimCommandsTest.run("sim", "checkpoint-crash", "--json");
        assertTrue(c.out().contains("\"badOutcomesHonest\":0"), c.out());
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String sqlite3(Path db, String input) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "sqlite3 CLI not installed: " + e.getMessage());
            throw e;
        }
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
