package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walkit sim wal-reset-race}: the race narrated under both rules, the JSON verdicts, the written files. */
class SimWalResetRaceCommandTest {

    @TempDir
    Path dir;

    @Test
    void narratesTheRaceUnderBothRulesAndWritesFilesThatShmInfoAndDbCheckJudge() throws Exception {
        CliRun r = CliRun.run("sim", "wal-reset-race", "--out", dir.toString());
        assertEquals(0, r.code(), r.toString());
        String o = r.out();
        assertTrue(o.contains("== rule pre-fix ==") && o.contains("== rule post-fix =="), o);
        assertTrue(o.contains("the pre-fix rule backfills with the stale snapshot"), o);
        assertTrue(o.contains("nothing copied (post-fix rule)"), o);
        assertTrue(o.contains("ckpt-copy C2  # -> nBackfill 18, mxFrame 16"), o);
        assertTrue(o.contains("walkit integrity_check of final.db: NOT OK"), o);
        assertTrue(o.contains("walkit integrity_check of final.db: ok"), o);
        // The files the model wrote: shm info names the race, db check the corruption.
        CliRun shm = CliRun.run("shm", "info", dir.resolve("pre-fix-raced.db-shm").toString(), "--wal",
                dir.resolve("pre-fix-raced.db-wal").toString(), "--db", dir.resolve("pre-fix-raced.db").toString());
        assertTrue(shm.out().contains("ERROR wal-reset-race"), shm.out());
        assertTrue(shm.out().contains("ERROR backfilled-page-differs"), shm.out());
        CliRun fixedShm = CliRun.run("shm", "info", dir.resolve("post-fix-raced.db-shm").toString(), "--wal",
                dir.resolve("post-fix-raced.db-wal").toString(), "--db", dir.resolve("post-fix-raced.db").toString());
        assertTrue(!fixedShm.out().contains("ERROR"), fixedShm.out());
        CliRun check = CliRun.run("db", "check", dir.resolve("pre-fix-final.db").toString());
        assertEquals(1, check.code(), check.toString());
        assertEquals(0, CliRun.run("db", "check", dir.resolve("post-fix-final.db").toString()).code());
        assertTrue(Files.exists(dir.resolve("post-fix-final.db")));
    }

    @Test
    void jsonNamesBothRulesAndWhetherTheDatabaseEndsCorrupt() {
        CliRun r = CliRun.run("sim", "wal-reset-race", "--json");
        assertEquals(0, r.code(), r.toString());
        String o = r.out().strip();
        assertEquals(1, o.lines().count(), o);
        assertTrue(o.startsWith("{\"rules\":[{\"rule\":\"pre-fix\",\"nBackfillWrong\":true,\"corrupt\":true,"), o);
        assertTrue(o.contains("{\"rule\":\"post-fix\",\"nBackfillWrong\":false,\"corrupt\":false,\"finalImage\":\"equals commit 5\""), o);
        assertTrue(o.contains("\"code\":\"wal-reset-race\""), o);
        assertTrue(o.contains("\"schedule\":\"set rule pre-fix\\nset source real-pages.db real-pages.db-wal\\ncommit W from 1\\n"), o);
        assertTrue(!o.contains("\"offset\":-1"), o);
    }
}
