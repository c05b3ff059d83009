package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimCommandsTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Walkit.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path testdata(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata/sim"))) {
            p = p.getParent();
        }
        Assumptions.assumeTrue(p != null, "testdata/sim not found above " + Path.of("").toAbsolutePath());
        return p.resolve("testdata/sim").resolve(name);
    }

    @Test
    void runsThePartialCheckpointExampleAndWritesItsFiles(@TempDir Path dir) throws Exception {
        Run r = run("sim", "run", testdata("partial-checkpoint.scn").toString(), "--out", dir.toString(), "--step", "4");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("checkpoint C PASSIVE  # -> (0,3,2)"), r.out());
        assertTrue(r.out().contains("check partial.db  # -> equals no committed image"), r.out());
        assertTrue(r.out().contains("check partial.db partial.db-wal  # -> equals commit 2"), r.out());
        assertEquals(3 * 4096, Files.size(dir.resolve("partial.db")));
        assertEquals(3 * 4096, Files.size(dir.resolve("step-04.db")));
        assertEquals(32 + 3 * (24 + 4096), Files.size(dir.resolve("step-04.db-wal")));
        // The written WAL is readable by walkit's own scanner: mxFrame 3.
        Run info = run("wal", "info", "--json", dir.resolve("step-04.db-wal").toString());
        assertTrue(info.out().contains("\"mxFrame\":3"), info.out());
    }

    @Test
    void everyShippedExampleRunsWithoutViolations() throws Exception {
        try (var files = Files.list(testdata("partial-checkpoint.scn").getParent())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".scn")).toList()) {
                Run r = run("sim", "run", f.toString());
                // A scenario run under the pre-fix rule demonstrates SQLite's WAL-reset bug: it must show violations.
                boolean demonstratesBug = Files.readString(f).lines().anyMatch(l -> l.strip().startsWith("set rule pre-fix"));
                assertEquals(demonstratesBug ? 1 : 0, r.code(), f + "\n" + r.out() + r.err());
                assertTrue(Files.exists(Path.of(f.toString().replace(".scn", ".md"))), "sidecar for " + f);
            }
        }
    }

    @Test
    void restartExampleMatchesItsSidecar() {
        Run r = run("sim", "run", testdata("restart-blocked-by-reader.scn").toString());
        assertTrue(r.out().contains("commit W pages 2 size 2  # -> frames 3..3"), r.out());
        assertTrue(r.out().contains("checkpoint C RESTART  # -> (1,3,2)"), r.out());
        assertTrue(r.out().contains("commit W pages 1 size 2  # -> frames 1..1 (new WAL generation)"), r.out());
    }

    @Test
    void spillExampleMatchesItsSidecar() {
        Run r = run("sim", "run", testdata("spill-overwrite.scn").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("spill W pages 2  # -> uncommitted frames up to 3, overwritten in place from frame 2"), r.out());
        assertTrue(r.out().contains("check mid.db mid.db-wal  # -> equals commit 1"), r.out());
        assertTrue(r.out().contains("commit W pages 3,5 size 5  # -> frames 2..5"), r.out());
        assertTrue(r.out().contains("commit W pages 4 size 5  # -> frames 6..6"), r.out());
        assertTrue(r.out().contains("(0,6,6)"), r.out());
    }

    @Test
    void bigEndianExampleWritesTheWritersOrderOnRestartOnly(@TempDir Path dir) throws Exception {
        Run r = run("sim", "run", testdata("big-endian-wal.scn").toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("commit W pages 1 size 2  # -> frames 2..2"), r.out());
        int[] magics = new int[3];
        String[] names = {"be.db-wal", "le.db-wal", "be-again.db-wal"};
        for (int i = 0; i < 3; i++) {
            magics[i] = java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve(names[i]))).getInt();
            Run info = run("wal", "info", "--json", dir.resolve(names[i]).toString());
            assertEquals(0, info.code(), info.out() + info.err());
        }
        assertEquals(0x377f0683, magics[0]);
        assertEquals(0x377f0682, magics[1]);
        assertEquals(0x377f0683, magics[2]);
        assertTrue(run("wal", "info", "--json", dir.resolve("be.db-wal").toString()).out().contains("\"mxFrame\":2"));
    }

    @Test
    void shmCopyIsAWalIndexWalkitReadsBack(@TempDir Path dir) throws Exception {
        Run r = run("sim", "run", testdata("shm-image.scn").toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(32768, Files.size(dir.resolve("partial.db-shm")));
        Run info = run("shm", "info", "--wal", dir.resolve("partial.db-wal").toString(), dir.resolve("partial.db-shm").toString());
        assertEquals(0, info.code(), info.out() + info.err());
        assertTrue(info.out().contains("header copies:      identical, usable"), info.out());
        assertTrue(info.out().contains("mxFrame:            3"), info.out());
        assertTrue(info.out().contains("nBackfill:          2"), info.out());
        assertTrue(info.out().contains("aReadMark:          0 2 unused unused unused"), info.out());
        assertTrue(info.out().contains("findings:           none"), info.out());
    }

    @Test
    void sectorPaddingExampleMatchesItsSidecar() {
        Run r = run("sim", "run", testdata("sector-padding.scn").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("commit W pages 2 size 2  # -> frames 1..8"), r.out());
        assertTrue(r.out().contains("commit W pages 1,2 size 2  # -> frames 9..16"), r.out());
        assertTrue(r.out().contains("crash db=keep wal=lose  # -> recovered = commit 2"), r.out());
    }

    @Test
    void badScenarioIsAUsageErrorNamingTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.scn");
        Files.writeString(f, "begin R\ncheckpoint C SOMETIMES\n");
        Run r = run("sim", "run", f.toString());
        assertEquals(Walkit.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("line 2"), r.err());
    }

    @Test
    void litestream521ShowsRawLosingAndManagedKeepingThePosition() {
        Run r = run("sim", "litestream-521");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("RESULT: position lost -> generation 2"), r.out());
        assertTrue(r.out().contains("RESULT: position kept; still generation 1"), r.out());
    }

    @Test
    void forumBackupRaceExplainsTheMixture(@TempDir Path dir) {
        Run r = run("sim", "forum-backup-race", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("equals no committed image"), r.out());
        assertTrue(Files.exists(dir.resolve("partial.db")));
        // walkit's own integrity check judges each set of real-page copies.
        assertTrue(r.out().contains("integrity real-partial.db  # -> walkit integrity_check: NOT OK"), r.out());
        assertTrue(r.out().contains("integrity real-partial.db real-partial.db-wal  # -> walkit integrity_check: ok"), r.out());
        assertTrue(r.out().contains("integrity real-before.db real-later.db-wal  # -> walkit integrity_check: NOT OK"), r.out());
        assertTrue(r.out().contains("real-partial.db (database file alone after the partial checkpoint): NOT OK"), r.out());
        assertTrue(r.out().contains("real-partial.db + real-partial.db-wal (database + WAL copied at one instant): ok"), r.out());
        assertTrue(r.out().contains("missing from index t_v"), r.out());
        // The written copies give the same verdicts with walkit db check.
        Run alone = run("db", "check", "--no-wal", dir.resolve("real-partial.db").toString());
        assertEquals(Walkit.EXIT_PROBLEMS, alone.code(), alone.out() + alone.err());
        assertTrue(alone.out().contains("missing from index t_v"), alone.out());
        Run pair = run("db", "check", "--wal", dir.resolve("real-partial.db-wal").toString(), dir.resolve("real-partial.db").toString());
        assertEquals(Walkit.EXIT_OK, pair.code(), pair.out() + pair.err());
        Run mixed = run("db", "check", "--wal", dir.resolve("real-later.db-wal").toString(), dir.resolve("real-before.db").toString());
        assertEquals(Walkit.EXIT_PROBLEMS, mixed.code(), mixed.out() + mixed.err());
    }

    @Test
    void forumBackupRaceJsonGivesEachCopySetsVerdictAndProblems() {
        Run r = run("sim", "forum-backup-race", "--json");
        assertEquals(0, r.code(), r.err());
        String o = r.out().strip();
        assertTrue(o.startsWith("{\"facts\":{") && o.endsWith("}"), o);
        assertTrue(o.contains("\"realPartialDbAloneIntegrity\":\"corrupt\""), o);
        assertTrue(o.contains("{\"db\":\"real-partial.db\",\"wal\":null,\"description\":\"database file alone after the partial checkpoint\",\"ok\":false,\"problems\":[{\"severity\":\"error\",\"code\":\"index-entry-count\","), o);
        assertTrue(o.contains("\"message\":\"row 1 missing from index t_v\""), o);
        assertTrue(o.contains("{\"db\":\"real-partial.db\",\"wal\":\"real-partial.db-wal\",\"description\":\"database + WAL copied at one instant\",\"ok\":true,\"problems\":[],\"truncated\":false}"), o);
        assertTrue(o.contains("\"wal\":\"real-later.db-wal\",\"description\":\"database copied before the checkpoint + WAL copied after the restart\",\"ok\":false"), o);
        assertEquals(1, o.lines().count(), "one JSON line, no narration");
    }

    @Test
    void integrityStepOfAScriptJudgesCopiesWithWalkitsCheck() {
        Run r = run("sim", "run", testdata("real-pages-backup-race.scn").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("integrity partial.db  # -> walkit integrity_check: NOT OK"), r.out());
        assertTrue(r.out().contains("integrity partial.db partial.db-wal  # -> walkit integrity_check: ok"), r.out());
        assertTrue(r.out().contains("integrity complete.db  # -> walkit integrity_check: ok"), r.out());
    }

    @Test
    void checkpointCrashTableDistinguishesHonestAndLyingFsync() {
        Run r = run("sim", "checkpoint-crash");
        assertEquals(0, r.code(), r.err());
        String honest = r.out().substring(0, r.out().indexOf("lying  step 1"));
        assertTrue(!honest.contains("CORRUPT") && !honest.contains("LOST COMMITS"), honest);
        assertTrue(r.out().contains("CORRUPT") || r.out().contains("LOST COMMITS"), r.out());
    }

    @Test
    void litestreamCatalogueReplaysTheExpressibleIssues() {
        Run r = run("sim", "litestream-catalogue");
        assertEquals(0, r.code(), r.err());
        for (String issue : new String[] {"#521", "#547", "#79/#391", "#422", "#724", "#1536"}) {
            assertTrue(r.out().contains(issue), issue + "\n" + r.out());
        }
        assertTrue(r.out().contains("fact positionLost = true"), r.out());
    }

    @Test
    void realPagesScenarioReplaysSourceCommits(@TempDir Path dir) throws Exception {
        Run r = run("sim", "run", testdata("real-pages-backup-race.scn").toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("commit W from 2  # -> frames 10..18"), r.out());
        assertTrue(r.out().contains("checkpoint C PASSIVE  # -> (0,18,9)"), r.out());
        assertEquals(11 * 1024, Files.size(dir.resolve("partial.db")));
    }

    @Test
    void runPrintsJson() {
        Run r = run("sim", "run", "--json", testdata("partial-checkpoint.scn").toString());
        assertEquals(0, r.code(), r.err());
        // JSON Lines: one step line per step, then the summary.
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("{\"kind\":\"step\",\"step\":1,\"script\":\"commit W pages 2,3 size 3\",\"result\":{\"type\":\"committed\",\"code\":\"SQLITE_OK\",\"text\":\"frames 1..2\"}"), r.out());
        assertTrue(lines[3].startsWith("{\"kind\":\"step\",\"step\":4,\"script\":\"checkpoint C PASSIVE\",\"result\":{\"type\":\"checkpointed\",\"code\":\"SQLITE_OK\",\"text\":\"(0,3,2)\"},\"checkpoint\":{\"busy\":0,\"log\":3,\"checkpointed\":2}"), r.out());
        assertTrue(lines[lines.length - 1].matches("\\{\"kind\":\"summary\",\"steps\":\\d+,\"violations\":0}"), r.out());
    }

    @Test
    void generatePrintsARunnableScriptAndChecksProperties(@TempDir Path dir) throws Exception {
        Run g = run("sim", "generate", "--seed", "7", "--steps", "20");
        assertEquals(0, g.code(), g.err());
        Path f = dir.resolve("gen.scn");
        Files.writeString(f, g.out());
        Run r = run("sim", "run", f.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Run c = run("sim", "generate", "--check", "50");
        assertEquals(0, c.code(), c.out());
        assertTrue(c.out().contains("50 scenarios from seed 1: all properties hold"), c.out());
    }
}
