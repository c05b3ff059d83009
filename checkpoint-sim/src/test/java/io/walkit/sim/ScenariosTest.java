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
