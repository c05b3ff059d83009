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
        assertTrue(n.facts().get("realBeforeDbWithLaterWal").toString().startsWith("equals no committed image"), n.text());
        // walkit's own integrity check of each set of copies.
        assertEquals("corrupt", n.facts().get("realPartialDbAloneIntegrity"), n.text());
        assertEquals("ok", n.facts().get("realPartialDbWithWalIntegrity"), n.text());
        assertEquals("corrupt", n.facts().get("realBeforeDbWithLaterWalIntegrity"), n.text());
        assertTrue(n.text().contains("walkit integrity_check: NOT OK"), n.text());
        assertTrue(n.text().contains("walkit integrity_check: ok"), n.text());
    }

    @Test
    void realPagesOfTheForumRaceFailIntegrityCheckAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Narration n = Scenarios.forumBackupRace();
        byte[] db = n.files().get("real-partial.db");
        byte[] wal = n.files().get("real-partial.db-wal");
        assertTrue(!RealSqliteDifferentialTest.agreedIntegrityOk(dir.resolve("a.db"), db, null));
        assertTrue(RealSqliteDifferentialTest.agreedIntegrityOk(dir.resolve("b.db"), db, wal));
        assertTrue(!RealSqliteDifferentialTest.agreedIntegrityOk(dir.resolve("c.db"), n.files().get("real-before.db"),
                n.files().get("real-later.db-wal")));
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

    @Test
    void everySubsetOfUnsyncedWritesIsHarmlessWithHonestFsyncButNotWithLyingFsync() {
        // Honest fsync leaves few pending operations at each step: every subset is enumerated.
        int honestStates = 0;
        int lyingStates = 0;
        int lyingBad = 0;
        for (int step = 1; step <= 6; step++) {
            for (FsyncMode fsync : FsyncMode.values()) {
                int[] n = Scenarios.pendingAtStep(step, fsync);
                assertTrue(n[0] + n[1] <= 16, "too many pending operations to enumerate: " + n[0] + "+" + n[1]);
                // All subsets when there are at most 2^10 of them, else a fixed sample of 1024.
                long all = 1L << (n[0] + n[1]);
                if (fsync == FsyncMode.HONEST) {
                    assertTrue(all <= 1024, "honest: " + n[0] + "+" + n[1] + " pending operations");
                }
                java.util.SplittableRandom pick = new java.util.SplittableRandom(step);
                for (long k = 0; k < Math.min(all, 1024); k++) {
                    long bits = all <= 1024 ? k : pick.nextLong(all);
                    long dbMask = bits & ((1L << n[0]) - 1);
                    long walMask = bits >>> n[0];
                    {
                        Map<String, Object> r = Scenarios.crashDuringCheckpointAndRestart(step, fsync,
                                CrashPolicy.subset(dbMask, walMask));
                        if (fsync == FsyncMode.HONEST) {
                            honestStates++;
                            assertEquals(true, r.get("acceptable"), "step " + step + " db-mask " + dbMask + " wal-mask " + walMask + ": " + r);
                        } else {
                            lyingStates++;
                            if (!(Boolean) r.get("acceptable")) {
                                lyingBad++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(honestStates >= 6, "honest states enumerated: " + honestStates);
        assertTrue(lyingBad > 0 && lyingBad < lyingStates, lyingBad + " of " + lyingStates);
    }
}
