package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenariosTest {

    @Test
    void rawPreSnapshotCheckpointLosesThePosition() {
        Narration n = Scenarios.litestream521(false);

        assertEquals("position-lost", n.facts().get("finalVerdict"), n.text());
        assertEquals("wal overwritten by another process", n.facts().get("finalReason"));
        assertEquals(2, n.facts().get("generationsStarted"));
    }

    @Test
    void managedPreSnapshotCheckpointKeepsThePosition() {
        Narration n = Scenarios.litestream521(true);

        assertEquals("continue", n.facts().get("finalVerdict"), n.text());
        assertEquals(1, n.facts().get("generationsStarted"));
    }

    @Test
    void forumBackupRace() {
        Narration n = Scenarios.forumBackupRace();

        assertTrue(n.facts().get("partialDbAlone").toString().startsWith("equals no committed image"), n.text());
        assertEquals("equals commit 2", n.facts().get("partialDbWithWal"));
        assertTrue(n.facts().get("beforeDbWithLaterWal").toString().startsWith("equals no committed image"), n.text());
        assertTrue(n.facts().get("realPartialDbAlone").toString().startsWith("equals no committed image"), n.text());
        assertEquals("equals commit 2", n.facts().get("realPartialDbWithWal"));
    }

    @Test
    void realPagesOfTheForumRaceFailIntegrityCheckAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Narration n = Scenarios.forumBackupRace();
        byte[] db = n.files().get("real-partial.db");
        byte[] wal = n.files().get("real-partial.db-wal");
        assertTrue(!RealSqliteDifferentialTest.integrityOk(dir.resolve("a.db"), db, null));
        assertTrue(RealSqliteDifferentialTest.integrityOk(dir.resolve("b.db"), db, wal));
    }

    @Test
    void bundledSourceEqualsTheTestdataFixture() throws Exception {
        java.nio.file.Path dir = RealPagesScenarioTest.testdata();
        CommitSource b = CommitSource.bundled();
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.nio.file.Files.readAllBytes(dir.resolve("real-pages.db")), b.db());
        assertEquals(5, b.commits().size());
    }

    @Test
    void crashDuringCheckpointAndRestartIsHarmlessWithHonestFsyncOnly() {
        Narration n = Scenarios.checkpointRestartCrashes();

        assertEquals(0, n.facts().get("badOutcomesHonest"), n.text());
        assertTrue((Integer) n.facts().get("badOutcomes") > 0, n.text());
    }

    @Test
    void lyingFsyncWithTheNewHeaderOnDiskLosesTheCheckpointedCommits() {
        Map<String, Object> r = Scenarios.crashDuringCheckpointAndRestart(5, FsyncMode.LYING,
                new CrashPolicy(CrashPolicy.FileFate.LOSE, CrashPolicy.FileFate.KEEP, 0));
        assertEquals(false, r.get("acceptable"), r.toString());
        Map<String, Object> honest = Scenarios.crashDuringCheckpointAndRestart(5, FsyncMode.HONEST,
                new CrashPolicy(CrashPolicy.FileFate.LOSE, CrashPolicy.FileFate.KEEP, 0));
        assertEquals(true, honest.get("acceptable"), honest.toString());
    }
}
