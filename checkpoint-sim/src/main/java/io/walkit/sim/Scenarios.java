package io.walkit.sim;

import io.walkit.sim.litestream.Replicator;
import io.walkit.replica.ShadowVerdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in, narrated scenarios: Litestream #521, the forum's backup race, and crashes around a checkpoint-and-restart.
 *
 * <p>Stateless and thread-safe: each call builds its own model.
 */
public final class Scenarios {

    private Scenarios() {}

    /**
     * benbjohnson/litestream#521: start on a fresh database, snapshot, restart the replicator,
     * snapshot again, let the application write. With {@code managed = false} each snapshot is
     * preceded by a raw {@code PRAGMA wal_checkpoint(PASSIVE)} (v0.3.x); with {@code true} by
     * the managed checkpoint of PR #522 (catch up, checkpoint, sequence write).
     *
     * @param managed whether the pre-snapshot checkpoint is the managed one
     * @return the narrated run, with its facts and files
     */
    public static Narration litestream521(boolean managed) {
        Narration n = new Narration("Litestream #521 with a " + (managed ? "managed" : "raw") + " pre-snapshot checkpoint");
        // Page 1: schema; page 2: _litestream_seq; page 3: the application's table.
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPersistentWal(true), 2);
        Replicator ls = new Replicator(sim, 2);
        sim.connection("app");
        step(n, sim, ls, "1. the replicator starts on a fresh database (ensureWALExists writes _litestream_seq)", ls::init);
        step(n, sim, ls, "2. first sync", ls::sync);
        step(n, sim, ls, "3. first snapshot", () -> snapshot(ls, managed, n));
        step(n, sim, ls, "4. the replicator restarts", () -> {
            ls.stop();
            ls.init();
        });
        step(n, sim, ls, "5. sync after the restart", ls::sync);
        step(n, sim, ls, "6. second snapshot", () -> snapshot(ls, managed, n));
        step(n, sim, ls, "7. the application writes its table", () -> {
            WalSim.CommitResult r = sim.commit("app", List.of(new WalSim.PageWrite(3, null)), 3);
            n.say("   app commit -> frames " + r.firstFrame() + ".." + r.lastFrame()
                    + (r.restarted() ? " (SQLite restarted the WAL: new salts, frame 1 overwritten)" : " (appended)"));
        });
        ShadowVerdict[] last = new ShadowVerdict[1];
        step(n, sim, ls, "8. next sync", () -> last[0] = ls.sync());
        n.fact("managed", managed);
        n.fact("generationsStarted", ls.generationsStarted());
        n.fact("finalVerdict", last[0] == null ? "none" : last[0].verdict().json());
        n.fact("finalReason", last[0] == null ? "" : last[0].reason());
        n.say("");
        n.say(ls.generationsStarted() > 1
                ? "RESULT: position lost -> generation " + ls.generation() + " (a needless full snapshot): " + last[0].reason()
                : "RESULT: position kept; still generation " + ls.generation() + ", shadow index " + ls.shadowIndex());
        n.file("final.db", sim.dbFile().bytes());
        n.file("final.db-wal", sim.walFile().exists() ? sim.walFile().bytes() : null);
        n.file("shadow.wal", ls.shadow());
        return n;
    }

    private static void snapshot(Replicator ls, boolean managed, Narration n) {
        if (managed) {
            ls.checkpoint(CheckpointMode.PASSIVE);
        } else {
            ls.rawCheckpoint(CheckpointMode.PASSIVE);
        }
        ls.note("snapshot taken at shadow index " + ls.shadowIndex());
    }

    private static void step(Narration n, WalSim sim, Replicator ls, String title, Runnable r) {
        n.say(title);
        r.run();
        for (String l : ls.drainLog()) {
            n.say("   " + l);
        }
        for (String l : sim.drainNotes()) {
            n.say("   sqlite: " + l);
        }
        WalIndexState s = sim.walIndex();
        n.say("   state: " + (s == null ? "no wal-index" : s.toString()) + "; litestream slot "
                + (sim.isOpen(Replicator.READER) ? sim.connection(Replicator.READER).readLock() : -1));
    }

    /**
     * The SQLite forum's backup race: after a partial checkpoint the database file alone is no
     * commit's image; copying the database and the WAL at one instant is always fine; copying
     * them at different instants is not.
     *
     * @return the narrated run, with its facts and the copied files
     */
    public static Narration forumBackupRace() {
        Narration n = new Narration("Backup race: copying the database file without the matching WAL");
        String script = """
                set db-pages 3
                commit W pages 2,3 size 3
                begin R
                commit W pages 3 size 3
                copy db as before.db
                checkpoint C PASSIVE
                copy db as partial.db
                copy wal as partial.db-wal
                check partial.db
                check partial.db partial.db-wal
                end R
                checkpoint C PASSIVE
                commit W pages 2 size 3
                copy wal as later.db-wal
                check before.db later.db-wal
                check partial.db later.db-wal
                """;
        n.say("Script (pages are synthetic: each names the commit that wrote it):");
        List<StepResult> results = new ArrayList<>();
        WalSim sim = new ScenarioRunner(false, true).run(ScenarioParser.parse(script), o -> {
            n.say(String.format("%2d  %s", o.index(), o.describe()));
            results.add(o.result());
        });
        n.say("");
        n.say("Why: R's read mark (2, the mxFrame of its snapshot) bounds the checkpoint to mxSafeFrame = 2. The iterator pairs each page with"
                + " its newest frame up to mxFrame = 3: page 2 -> frame 1 (copied), page 3 -> frame 3 (> 2, skipped, although"
                + " frame 2 holds an older version of it). nBackfill becomes 2, so the db file holds page 2 of commit 1 and"
                + " page 3 of the initial image: no commit ever looked like that.");
        n.fact("partialDbAlone", results.get(7).text());
        n.fact("partialDbWithWal", results.get(8).text());
        n.fact("beforeDbWithLaterWal", results.get(13).text());
        n.fact("partialDbWithLaterWal", results.get(14).text());
        for (Map.Entry<String, byte[]> e : sim.copies().entrySet()) {
            n.file(e.getKey(), e.getValue());
        }

        n.say("(Synthetic pages are not b-tree pages, so no integrity check can judge these copies; the same race with"
                + " real pages follows.)");

        // The same race with real b-tree pages, so walkit's integrity check (and SQLite's) can judge the copies.
        CommitSource src = CommitSource.bundled();
        Scenario real = new Scenario(WalSim.Config.defaults().withPageSize(src.pageSize()), 0, src.db(), List.of(
                src.replay("W", 1),
                new Step.Begin("R"),
                src.replay("W", 2),
                new Step.Copy(SimFileKind.DB, "real-before.db"),
                new Step.Checkpoint("C", CheckpointMode.PASSIVE),
                new Step.Copy(SimFileKind.DB, "real-partial.db"),
                new Step.Copy(SimFileKind.WAL, "real-partial.db-wal"),
                new Step.Check("real-partial.db", null),
                new Step.Integrity("real-partial.db", null),
                new Step.Check("real-partial.db", "real-partial.db-wal"),
                new Step.Integrity("real-partial.db", "real-partial.db-wal"),
                new Step.End("R"),
                new Step.Checkpoint("C", CheckpointMode.PASSIVE),
                src.replay("W", 3),
                new Step.Copy(SimFileKind.WAL, "real-later.db-wal"),
                new Step.Check("real-before.db", "real-later.db-wal"),
                new Step.Integrity("real-before.db", "real-later.db-wal")), "real-pages.db real-pages.db-wal");
        n.say("");
        n.say("The same race with real pages (a table t with index t_v; commits 1..3 of a WAL SQLite wrote), each set of"
                + " copies judged by walkit's own integrity check (db-format, no SQLite):");
        List<ScenarioRunner.Outcome> realOutcomes = new ArrayList<>();
        WalSim realSim = new ScenarioRunner(false, true).run(real, o -> {
            n.say(String.format("%2d  %s", o.index(), o.describe()));
            realOutcomes.add(o);
        });
        n.say("");
        n.say("walkit's integrity check of each set of copies (first problems: page, structure, message):");
        for (String[] set : FORUM_REAL_COPY_SETS) {
            byte[] db = realSim.copies().get(set[0]);
            byte[] wal = set[1] == null ? null : realSim.copies().get(set[1]);
            CopyIntegrity.Verdict v = CopyIntegrity.check(db, wal);
            n.say("  " + set[0] + (set[1] == null ? "" : " + " + set[1]) + " (" + set[3] + "): "
                    + (v.ok() ? "ok" : "NOT OK, " + v.report().problems().size() + (v.report().truncated() ? "+" : "") + " problems"));
            for (int i = 0; i < Math.min(FIRST_PROBLEMS, v.report().problems().size()); i++) {
                n.say("      " + CopyIntegrity.Verdict.line(v.report().problems().get(i)));
            }
            if (v.report().problems().size() > FIRST_PROBLEMS) {
                n.say("      ...");
            }
            n.fact(set[2] + "Integrity", v.ok() ? "ok" : "corrupt");
        }
        n.say("Real SQLite agrees: PRAGMA integrity_check on a copy of real-partial.db alone reports rows missing from"
                + " index t_v (the index pages are from before commit 1, some table pages from commit 1);"
                + " real-partial.db with real-partial.db-wal checks ok and holds commit 2. With --out, walkit db check"
                + " --no-wal DIR/real-partial.db and walkit db check --wal DIR/real-partial.db-wal DIR/real-partial.db"
                + " repeat walkit's verdicts on the written files.");
        n.fact("realPartialDbAlone", resultOf(realOutcomes, "check real-partial.db"));
        n.fact("realPartialDbWithWal", resultOf(realOutcomes, "check real-partial.db real-partial.db-wal"));
        n.fact("realBeforeDbWithLaterWal", resultOf(realOutcomes, "check real-before.db real-later.db-wal"));
        for (Map.Entry<String, byte[]> e : realSim.copies().entrySet()) {
            n.file(e.getKey(), e.getValue());
        }
        return n;
    }

    /**
     * The sets of real-page copies {@link #forumBackupRace()} judges with walkit's integrity check:
     * {database copy, WAL copy or null, fact name prefix, description}; the copies are in its files.
     */
    public static final List<String[]> FORUM_REAL_COPY_SETS = List.of(
            new String[] {"real-partial.db", null, "realPartialDbAlone", "database file alone after the partial checkpoint"},
            new String[] {"real-partial.db", "real-partial.db-wal", "realPartialDbWithWal", "database + WAL copied at one instant"},
            new String[] {"real-before.db", "real-later.db-wal", "realBeforeDbWithLaterWal",
                    "database copied before the checkpoint + WAL copied after the restart"});

    /** How many problems the narration lists per set of copies. */
    private static final int FIRST_PROBLEMS = 5;

    private static String resultOf(List<ScenarioRunner.Outcome> outcomes, String script) {
        for (ScenarioRunner.Outcome o : outcomes) {
            if (o.step().script().equals(script)) {
                return o.result().text();
            }
        }
        throw new IllegalStateException("no step " + script);
    }

    /** The six steps of a checkpoint followed by a WAL restart, each with the crash point just after it. */
    public static final List<SixStep> SIX_STEPS = List.of(
            new SixStep("checkpoint fsyncs the WAL", CrashPoint.CKPT_WAL_SYNCED),
            new SixStep("checkpoint copies the pages into the db file", CrashPoint.CKPT_PAGE_WRITTEN),
            new SixStep("checkpoint truncates and fsyncs the db file", CrashPoint.CKPT_DB_SYNCED),
            new SixStep("checkpoint sets nBackfill = mxFrame", CrashPoint.CKPT_BACKFILL_SET),
            new SixStep("next writer restarts the WAL and writes + fsyncs a new header", CrashPoint.WAL_HEADER_SYNCED),
            new SixStep("writer overwrites frame 1.. under the new salts and commits", CrashPoint.WAL_COMMIT_SYNCED));

    /**
     * One of {@link #SIX_STEPS}.
     *
     * @param description what the step does
     * @param crashPoint  the crash point just after it
     */
    public record SixStep(String description, CrashPoint crashPoint) {}

    /**
     * Runs the checkpoint-and-restart sequence, crashing just after step {@code step} (1..6) with
     * {@code policy}; returns the recovered image's label and whether it is acceptable (the last
     * acknowledged commit or the one in flight).
     *
     * @param step   the step after which the crash happens, 1..6 ({@link #SIX_STEPS})
     * @param fsync  whether the storage honours fsync
     * @param policy which pending writes survive the crash
     * @return facts by name: {@code step}, {@code stoppedAtCrashPoint}, {@code lastAcknowledged},
     *         {@code recovered}, {@code acceptable}, {@code corrupt}
     * @throws IndexOutOfBoundsException if {@code step} is outside 1..6
     */
    public static Map<String, Object> crashDuringCheckpointAndRestart(int step, FsyncMode fsync, CrashPolicy policy) {
        return crashDuringCheckpointAndRestart(step, fsync, policy, null);
    }

    /**
     * The numbers of pending (unsynced) operations of the db and WAL files at the crash after {@code step}.
     *
     * @param step  the step, 1..6
     * @param fsync whether the storage honours fsync
     * @return {@code {db pending, wal pending}}
     * @throws IndexOutOfBoundsException if {@code step} is outside 1..6
     */
    public static int[] pendingAtStep(int step, FsyncMode fsync) {
        int[] out = new int[2];
        crashDuringCheckpointAndRestart(step, fsync, CrashPolicy.keepAll(), out);
        return out;
    }

    private static Map<String, Object> crashDuringCheckpointAndRestart(int step, FsyncMode fsync, CrashPolicy policy,
                                                                       int[] pendingOut) {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withFsync(fsync), 4);
        sim.commit("W", pages(1, 2, 3), 4);
        sim.commit("W", pages(2, 4), 4);
        CrashPoint point = SIX_STEPS.get(step - 1).crashPoint();
        // Step 2 crashes after the last page copy: pages 1..4 are copied (4 passes).
        sim.armCrash(point, point == CrashPoint.CKPT_PAGE_WRITTEN ? 4 : 1);
        boolean stopped = false;
        try {
            sim.checkpoint("C", CheckpointMode.PASSIVE);
            sim.commit("W", pages(3, 4), 4);
        } catch (WalSim.CrashPointReached e) {
            stopped = true;
        }
        int acknowledged = sim.latestIndex();
        if (pendingOut != null) {
            pendingOut[0] = sim.dbFile().pending().size();
            pendingOut[1] = sim.walFile().pending().size();
        }
        DbImage rec = sim.crash(policy);
        // The crash happened after the last acknowledged commit, so a recovered committed image
        // equal to it is that commit (no later one exists).
        boolean ok = rec.origin().inFlight() || rec.origin() == DbImage.Origin.RECOVERED_COMMITTED
                && rec.samePages(sim.history().get(acknowledged));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", step);
        out.put("stoppedAtCrashPoint", stopped);
        out.put("lastAcknowledged", sim.history().get(acknowledged).label());
        out.put("recovered", rec.label());
        out.put("acceptable", ok);
        out.put("corrupt", rec.origin() == DbImage.Origin.RECOVERED_UNCOMMITTED);
        return out;
    }

    /**
     * The narrated table of {@link #crashDuringCheckpointAndRestart} for every step, both fsync modes and several policies.
     *
     * @return the narrated table, with its facts
     */
    public static Narration checkpointRestartCrashes() {
        Narration n = new Narration("Crash after each step of checkpoint + WAL restart (honest and lying fsync)");
        n.say("Before: db has pages 1-4 (initial); commit 1 writes pages 1,2,3 and commit 2 pages 2,4 (WAL frames 1-5).");
        List<CrashPolicy> policies = new ArrayList<>();
        policies.add(CrashPolicy.loseUnsynced());
        policies.add(CrashPolicy.keepAll());
        policies.add(new CrashPolicy(CrashPolicy.FileFate.LOSE, CrashPolicy.FileFate.KEEP, 0));
        for (long seed = 1; seed <= 8; seed++) {
            policies.add(new CrashPolicy(CrashPolicy.FileFate.RANDOM, CrashPolicy.FileFate.RANDOM, seed));
            policies.add(new CrashPolicy(CrashPolicy.FileFate.TORN, CrashPolicy.FileFate.TORN, seed));
        }
        int bad = 0;
        int badHonest = 0;
        for (FsyncMode fsync : FsyncMode.values()) {
            for (int step = 1; step <= 6; step++) {
                Map<String, String> outcomes = new LinkedHashMap<>();
                for (CrashPolicy p : policies) {
                    Map<String, Object> r = crashDuringCheckpointAndRestart(step, fsync, p);
                    String key = (Boolean) r.get("acceptable") ? "ok (" + r.get("recovered") + ")"
                            : (Boolean) r.get("corrupt") ? "CORRUPT" : "LOST COMMITS (" + r.get("recovered") + ")";
                    outcomes.merge(key, p.toString(), (a, b) -> a);
                    if (!(Boolean) r.get("acceptable")) {
                        bad++;
                        if (fsync == FsyncMode.HONEST) {
                            badHonest++;
                        }
                    }
                }
                n.say(String.format("%-6s step %d (%s):", fsync.name().toLowerCase(), step, SIX_STEPS.get(step - 1).description()));
                outcomes.forEach((k, v) -> n.say("    " + k + "   e.g. crash " + v));
            }
        }
        n.fact("badOutcomes", bad);
        n.fact("badOutcomesHonest", badHonest);
        n.say("");
        n.say("Honest fsync: every crash recovers the last acknowledged commit (or the one in flight). Lying fsync:"
                + " the new WAL header can reach the disk while the checkpoint's page copies do not, so committed"
                + " data is lost or the database becomes a mixture of versions.");
        return n;
    }

    private static List<WalSim.PageWrite> pages(int... ps) {
        List<WalSim.PageWrite> out = new ArrayList<>();
        for (int p : ps) {
            out.add(new WalSim.PageWrite(p, null));
        }
        return out;
    }
}
