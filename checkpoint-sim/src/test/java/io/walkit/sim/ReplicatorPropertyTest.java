package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.sim.litestream.Replicator;
import io.walkit.replica.ShadowVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever the application does (commits, checkpoints of every mode, readers) and
 * however often the replicator restarts or checkpoints (managed or raw), after every sync a
 * restore of the current generation equals the latest committed image. Exercises the Litestream
 * model and the shadow verifier together; new generations (lost positions) are counted, not errors.
 */
class ReplicatorPropertyTest {

    private static final long BASE_SEED = Long.getLong("walkit.sim.replSeed", 521L);
    private static final int COUNT = Integer.getInteger("walkit.sim.replCount", 150);

    @Test
    void restoreAfterEverySyncEqualsTheLatestCommit() {
        run(false);
    }

    @Test
    void everySilentReplicaGapFromTheCheckpointRaceIsFlaggedByTheLogCheck() {
        int gaps = run(true);
        assertTrue(gaps > 0, "the race windows never produced a replica gap");
    }

    /** Returns the number of scenarios whose replica silently diverged (only possible with races). */
    private static int run(boolean races) {
        int gaps = 0;
        int generations = 0;
        int newWal = 0;
        int strictOnly = 0;
        for (int k = 0; k < COUNT; k++) {
            long seed = BASE_SEED + k;
            SplittableRandom r = new SplittableRandom(seed);
            WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(512).withPersistentWal(true)
                    .withSaltSeed(seed), 3);
            Replicator ls = new Replicator(sim, 2);
            List<String> log = new ArrayList<>();
            ls.init();
            boolean running = true;
            int size = 3;
            for (int step = 0; step < 60; step++) {
                int op = r.nextInt(100);
                String line;
                if (op < 40) {
                    int grow = r.nextInt(5) == 0 ? 1 : 0;
                    List<WalSim.PageWrite> w = new ArrayList<>();
                    w.add(new WalSim.PageWrite(1 + r.nextInt(size), null));
                    if (grow == 1) {
                        w.add(new WalSim.PageWrite(size + 1, null));
                    }
                    size += grow;
                    line = "app commit " + w.stream().map(x -> String.valueOf(x.pageNumber())).toList() + " -> "
                            + sim.commit("app", w, size).status();
                } else if (op < 50) {
                    CheckpointMode m = CheckpointMode.values()[r.nextInt(4)];
                    line = "app checkpoint " + m + " -> " + sim.checkpoint("app", m);
                } else if (op < 58) {
                    line = r.nextBoolean() ? "reader begin " + sim.beginRead("reader") : "reader end";
                    if (line.equals("reader end")) {
                        sim.endRead("reader");
                    }
                } else if (op >= 94 || !running && op >= 58) {
                    if (running) {
                        ls.stop();
                        line = "litestream stops";
                    } else {
                        ls.init();
                        line = "litestream starts";
                    }
                    running = !running;
                } else if (op < 85) {
                    ShadowVerdict v = ls.sync();
                    line = "sync -> " + (v == null ? "first generation" : v.verdict().json() + " (" + v.reason() + ")");
                    if (v != null && v.verdict() == ShadowVerdict.Verdict.NEW_WAL) {
                        newWal++;
                    }
                    if (v != null && v.verdict() != ShadowVerdict.Verdict.POSITION_LOST
                            && v.strictVerdict() == ShadowVerdict.Verdict.POSITION_LOST) {
                        strictOnly++;
                    }
                    DbImage restored = ls.restore();
                    if (races && restored != null && !restored.samePages(sim.latestImage())) {
                        log.add(line);
                        if (ls.uncopiedFrames() == 0) {
                            fail("seed " + seed + ": the replica diverged silently and the log check did not flag it: "
                                    + LogicalImage.explain(restored, sim.history()) + "\n" + String.join("\n", log));
                        }
                        gaps++;
                        break;
                    }
                    if (restored != null && !restored.samePages(sim.latestImage())) {
                        log.add(line);
                        fail("seed " + seed + " (rerun: -Dwalkit.sim.replSeed=" + seed + " -Dwalkit.sim.replCount=1):"
                                + " restore != latest: " + LogicalImage.explain(restored, sim.history()) + "\n"
                                + String.join("\n", log));
                    }
                } else if (op < 91) {
                    int s0 = size;
                    Runnable race = () -> {
                        if (races && r.nextBoolean()) {
                            List<WalSim.PageWrite> w = new ArrayList<>();
                            for (int p = 1 + r.nextInt(s0); p <= s0; p += 1 + r.nextInt(2)) {
                                w.add(new WalSim.PageWrite(p, null));
                            }
                            log.add("  (race) app commit " + w.stream().map(x -> String.valueOf(x.pageNumber())).toList()
                                    + " -> " + sim.commit("app", w, s0).status());
                        }
                    };
                    // As in Litestream's sync loop, a checkpoint always follows a sync.
                    ShadowVerdict v = ls.sync();
                    DbImage restored = ls.restore();
                    if (restored != null && !restored.samePages(sim.latestImage()) && (!races || ls.uncopiedFrames() == 0)) {
                        fail("seed " + seed + ": restore != latest after the sync before a checkpoint ("
                                + (v == null ? "first" : v.verdict().json()) + "): "
                                + LogicalImage.explain(restored, sim.history()) + "\n" + String.join("\n", log));
                    }
                    line = "sync + litestream managed checkpoint -> " + ls.checkpoint(CheckpointMode.values()[r.nextInt(3)], race, race);
                } else {
                    line = "litestream raw PASSIVE -> " + ls.rawCheckpoint(CheckpointMode.PASSIVE);
                }
                log.add(line);
                ls.drainLog().forEach(x -> log.add("    ls: " + x));
                sim.drainNotes().forEach(x -> log.add("    sqlite: " + x));
            }
            generations += ls.generationsStarted();
            if (!races && ls.uncopiedFrames() != 0) {
                fail("seed " + seed + ": frames committed but never copied without any race:\n" + String.join("\n", log));
            }
        }
        System.out.printf("replicator property" + (races ? " with checkpoint races" : "") + ": %d gaps, %d scenarios, %d generations started, %d new-wal verdicts,"
                + " %d syncs the strict checks alone would have refused%n", gaps, COUNT, generations, newWal, strictOnly);
        if (!races) {
            assertTrue(generations > COUNT, "no position was ever lost: the schedules are too tame");
            assertTrue(newWal > 0, "no new-wal verdict: the schedules never restarted the WAL under the replicator");
        }
        return gaps;
    }
}
