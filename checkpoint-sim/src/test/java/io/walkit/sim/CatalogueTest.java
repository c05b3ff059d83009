package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.sim.litestream.Catalogue;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    @Test
    void externalCheckpointsWhileDownLoseThePositionOnlyWhenTheyLetTheWalRestart() {
        // PASSIVE/FULL: the app's next write restarts the WAL (nobody holds a WAL read mark) -> lost.
        // RESTART: same. TRUNCATE: the WAL is emptied -> lost.
        for (CheckpointMode m : CheckpointMode.values()) {
            Narration n = Catalogue.externalCheckpointWhileDown(m);
            assertEquals(true, n.facts().get("positionLost"), n.text());
        }
    }

    @Test
    void walDisappearsOnLastCloseWithoutPersistWal() {
        Narration n = Catalogue.walDisappears();
        assertEquals(false, n.facts().get("walExists"), n.text());
        assertEquals("position-lost", n.facts().get("verdict"));
        assertTrue(n.facts().get("reason").toString().contains("no such file"));
    }

    @Test
    void idleCheckpointsProduceOneTinyShadowFileEach() {
        Narration n = Catalogue.idleTinySegments();
        assertEquals(5, n.facts().get("newShadowFiles"), n.text());
    }

    @Test
    void restartCheckpointWithReaderIsBusyAndBlocksWriters() {
        Narration n = Catalogue.restartCheckpointBlocksWriters();
        assertEquals("SQLITE_BUSY", n.facts().get("appCommitDuringWait"), n.text());
        assertTrue(n.facts().get("restartResult").toString().startsWith("(1,"), n.text());
    }

    @Test
    void permanentReadLockDefeatsAutocheckpoint() {
        int with = (Integer) Catalogue.readLockDefeatsAutocheckpoint(true).facts().get("maxWalFrames");
        int without = (Integer) Catalogue.readLockDefeatsAutocheckpoint(false).facts().get("maxWalFrames");
        assertTrue(without <= 4, "without the replicator the WAL restarts: " + without);
        assertTrue(with >= 20, "with the replicator's read transaction the WAL keeps growing: " + with);
    }

    @Test
    void checkpointRaceLosesACommitSilentlyButVerifyWouldHaveCaughtIt() {
        Narration n = Catalogue.checkpointRace();
        assertEquals(false, n.facts().get("restoreEqualsLatest"), n.text());
        assertEquals("position-lost", n.facts().get("verifyOnOldShadow"), n.text());
        assertEquals(1, n.facts().get("uncopiedFrames"), n.text());
    }
}
