package io.walkit.sim.litestream;

import io.walkit.sim.CheckpointMode;
import io.walkit.sim.CheckpointResult;
import io.walkit.sim.Narration;
import io.walkit.sim.WalSim;
import io.walkit.replica.ShadowVerdict;
import io.walkit.replica.ShadowVerifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Litestream failure modes from the issues corpus (docs/sim.md, "Litestream failure catalogue") that the WAL
 * protocol model can express; docs/sim.md lists which ones it cannot and why.
 *
 * <p>Each entry builds its own model and returns a fresh {@link Narration}; stateless and
 * thread-safe.
 */
public final class Catalogue {

    private Catalogue() {}

    /**
     * All expressible entries, in catalogue order.
     *
     * @return one narration per entry (and per checkpoint mode, and with/without the replicator)
     */
    public static List<Narration> all() {
        List<Narration> out = new ArrayList<>();
        out.add(io.walkit.sim.Scenarios.litestream521(false));
        for (CheckpointMode m : CheckpointMode.values()) {
            out.add(externalCheckpointWhileDown(m));
        }
        out.add(walDisappears());
        out.add(idleTinySegments());
        out.add(restartCheckpointBlocksWriters());
        out.add(readLockDefeatsAutocheckpoint(true));
        out.add(readLockDefeatsAutocheckpoint(false));
        out.add(checkpointRace());
        return out;
    }

    private static WalSim sim(boolean persistentWal) {
        return WalSim.withSyntheticDb(WalSim.Config.defaults().withPersistentWal(persistentWal), 3);
    }

    private static void app(WalSim sim, int... pages) {
        List<WalSim.PageWrite> w = new ArrayList<>();
        for (int p : pages) {
            w.add(new WalSim.PageWrite(p, null));
        }
        sim.commit("app", w, 3);
    }

    private static void drain(Narration n, WalSim sim, Replicator ls) {
        ls.drainLog().forEach(l -> n.say("   " + l));
        sim.drainNotes().forEach(l -> n.say("   sqlite: " + l));
    }

    /**
     * #547 and #109/#362/#393: the application checkpoints (mode {@code mode}) while the replicator
     * is down, then writes; at start-up the replicator finds the WAL header changed and clears its
     * generation (or, for PASSIVE, the write appends and the position survives).
     *
     * @param mode the application's checkpoint mode
     * @return the narrated run; facts {@code mode} and {@code positionLost}
     */
    public static Narration externalCheckpointWhileDown(CheckpointMode mode) {
        Narration n = new Narration("#547, #109/#362/#393: external " + mode + " checkpoint while the replicator is down");
        WalSim sim = sim(true);
        Replicator ls = new Replicator(sim, 2);
        app(sim, 1, 2, 3);
        ls.init();
        ls.sync();
        app(sim, 3);
        ls.sync();
        drain(n, sim, ls);
        ls.stop();
        n.say("replicator stopped");
        CheckpointResult r = sim.checkpoint("app", mode);
        n.say("app: PRAGMA wal_checkpoint(" + mode + ") -> " + r);
        app(sim, 1, 3);
        n.say("app commits pages 1,3");
        drain(n, sim, ls);
        ShadowVerdict v = ShadowVerifier.verify(ls.shadow(), sim.walFile().bytes());
        n.say("shadow verify now: " + v.verdict().json() + " (" + v.reason() + ")");
        int before = ls.generationsStarted();
        ls.init();
        ls.sync();
        drain(n, sim, ls);
        boolean lost = ls.generationsStarted() > before;
        n.fact("mode", mode.name());
        n.fact("positionLost", lost);
        n.say("RESULT: " + (lost ? "generation cleared at start-up: new generation " + ls.generation() + " (full snapshot)"
                : "position kept (the checkpoint could not restart the WAL)"));
        return n;
    }

    /**
     * #79/#391: the last connection closes without PERSIST_WAL, SQLite deletes the WAL, the replicator cannot verify.
     *
     * @return the narrated run; facts {@code walExists}, {@code verdict} and {@code reason}
     */
    public static Narration walDisappears() {
        Narration n = new Narration("#79/#391: the -wal file disappears (last close without PERSIST_WAL)");
        WalSim sim = sim(false);
        Replicator ls = new Replicator(sim, 2);
        app(sim, 1, 2);
        ls.init();
        ls.sync();
        drain(n, sim, ls);
        ls.stop();
        CheckpointResult r = sim.close("app");
        n.say("app closes last -> checkpoint " + r + "; WAL exists: " + sim.walFile().exists());
        drain(n, sim, ls);
        ShadowVerdict v = ShadowVerifier.verify(ls.shadow(), sim.walFile().exists() ? sim.walFile().bytes() : null);
        n.say("shadow verify: " + v.verdict().json() + " (" + v.reason() + ")");
        n.fact("walExists", sim.walFile().exists());
        n.fact("verdict", v.verdict().json());
        n.fact("reason", v.reason());
        return n;
    }

    /**
     * #422: on an idle database every managed checkpoint writes {@code _litestream_seq}: one tiny segment per checkpoint.
     *
     * @return the narrated run; fact {@code newShadowFiles}
     */
    public static Narration idleTinySegments() {
        Narration n = new Narration("#422: tiny WAL segments on a database without application writes");
        WalSim sim = sim(true);
        Replicator ls = new Replicator(sim, 2);
        app(sim, 1, 2, 3);
        ls.init();
        ls.sync();
        int before = ls.shadowIndex();
        for (int i = 0; i < 5; i++) {
            ls.checkpoint(CheckpointMode.PASSIVE);
            ls.sync();
        }
        drain(n, sim, ls);
        int segments = ls.shadowIndex() - before;
        n.fact("newShadowFiles", segments);
        n.say("RESULT: 5 idle checkpoint ticks produced " + segments + " new shadow WAL files of one " + (32 + 24 + 4096)
                + "-byte frame each (the sequence write), none with application data");
        return n;
    }

    /**
     * #724: a RESTART checkpoint holds the WRITE lock while it waits for readers; writers get SQLITE_BUSY meanwhile.
     *
     * @return the narrated run; facts {@code appCommitDuringWait} and {@code restartResult}
     */
    public static Narration restartCheckpointBlocksWriters() {
        Narration n = new Narration("#724: RESTART checkpoint with a long reader blocks the application's writes");
        WalSim sim = sim(true);
        Replicator ls = new Replicator(sim, 2);
        app(sim, 1, 2);
        ls.init();
        // The checkpointer holds WRITE while its busy handler waits for READ1..4 (modelled as a held write lock).
        sim.beginWrite("checkpointer");
        WalSim.CommitResult c = sim.commit("app", List.of(new WalSim.PageWrite(3, null)), 3);
        n.say("while RESTART waits: app commit -> " + c.status());
        sim.rollback("checkpointer");
        CheckpointResult r = sim.checkpoint("checkpointer", CheckpointMode.RESTART);
        n.say("RESTART with the replicator's read transaction open -> " + r + " (busy: readers still use the WAL)");
        n.fact("appCommitDuringWait", c.status().name());
        n.fact("restartResult", r.toString());
        drain(n, sim, ls);
        return n;
    }

    /**
     * #1536: the replicator's permanent read transaction keeps the application's autocheckpoint
     * from ever restarting the WAL, so it grows; without it the WAL stays bounded.
     *
     * @param replicatorRunning whether the replicator (and its read transaction) runs
     * @return the narrated run
     */
    public static Narration readLockDefeatsAutocheckpoint(boolean replicatorRunning) {
        Narration n = new Narration("#1536: autocheckpoint " + (replicatorRunning ? "with" : "without")
                + " the replicator's long read transaction");
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPersistentWal(true).withAutocheckpoint(4), 3);
        Replicator ls = new Replicator(sim, 2);
        if (replicatorRunning) {
            ls.init();
        }
        int maxFrames = 0;
        for (int i = 0; i < 20; i++) {
            app(sim, 1 + i % 3);
            if (replicatorRunning && i % 5 == 4) {
                ls.sync(); // the replicator keeps its read transaction across syncs
            }
            maxFrames = Math.max(maxFrames, sim.walIndex().mxFrame());
        }
        n.fact("maxWalFrames", maxFrames);
        n.fact("walBytes", sim.walFile().size());
        n.say("20 one-page commits with wal_autocheckpoint=4: WAL peaked at " + maxFrames + " frames, file "
                + sim.walFile().size() + " bytes");
        return n;
    }

    /**
     * The v0.3 checkpoint race (§A.6, the WAL-side analogue of #1164/#1309/#1337): an application
     * commit lands between the catch-up copy and the checkpoint, is backfilled, and is overwritten
     * by the new WAL generation before the old tail is copied. The replicator copies nothing from
     * the old generation and starts the next shadow file: its replica silently lacks that commit,
     * while {@code verify} on the same files would have said "position lost".
     *
     * @return the narrated run
     */
    public static Narration checkpointRace() {
        Narration n = new Narration("v0.3 checkpoint race: a commit between catch-up and checkpoint never reaches the replica");
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPersistentWal(true), 4);
        Replicator ls = new Replicator(sim, 2);
        ls.init();
        ls.sync();
        drain(n, sim, ls);
        byte[][] oldShadow = new byte[1][];
        ls.checkpoint(CheckpointMode.PASSIVE,
                () -> {
                    sim.commit("app", List.of(new WalSim.PageWrite(3, null)), 4);
                    n.say("   race 1: app commits page 3 after the catch-up copy (old WAL frame 2)");
                    oldShadow[0] = ls.shadow();
                },
                () -> {
                    sim.commit("app", List.of(new WalSim.PageWrite(1, null), new WalSim.PageWrite(4, null)), 4);
                    n.say("   race 2: app commits pages 1,4 before the replicator locks: new frames 2..3 overwrite old frame 2");
                });
        drain(n, sim, ls);
        ShadowVerdict v = ShadowVerifier.verify(oldShadow[0], sim.walFile().bytes());
        n.say("shadow verify of the old shadow against the WAL at that moment: " + v.verdict().json() + " (" + v.reason()
                + "), but the managed checkpoint trusts the header change and copies the old tail without verifying;"
                + " the (busy, log, checkpointed) triple it logs shows the gap");
        ls.sync();
        drain(n, sim, ls);
        io.walkit.sim.DbImage restored = ls.restore();
        boolean equal = restored.samePages(sim.latestImage());
        n.fact("restoreEqualsLatest", equal);
        n.fact("verifyOnOldShadow", v.verdict().json());
        n.fact("uncopiedFrames", ls.uncopiedFrames());
        n.say("RESULT: restore of generation " + ls.generation() + " "
                + (equal ? "equals the latest commit" : io.walkit.sim.LogicalImage.explain(restored, sim.history())
                + " - the replica silently lacks the racing commit"));
        return n;
    }
}
