package io.walkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Runs a {@link Scenario} on a fresh {@link WalSim}, describing each step and checking {@link Invariants}.
 *
 * <p>Immutable and thread-safe: each run builds its own model, which the caller may keep (it has
 * nothing to close); one model is driven by one thread.
 */
public final class ScenarioRunner {

    /**
     * What one step did.
     *
     * @param index      1-based step number
     * @param step       the step
     * @param result     the step's result (its text e.g. {@code (0,14,12)} or {@code slot 1, snapshot mxFrame 12})
     * @param notes      side effects worth telling (restarts, recovery, copies)
     * @param violations properties of §5.8 violated after the step
     * @param db         the database file's bytes after the step (null unless files are kept)
     * @param wal        the WAL file's bytes after the step (null if it does not exist or files are not kept)
     */
    public record Outcome(int index, Step step, StepResult result, List<String> notes, List<String> violations,
                          byte[] db, byte[] wal) {
        /**
         * {@code step -> result}, then notes and violations as comment lines.
         *
         * @return the step's script line with its result, one more indented line per note and violation
         */
        public String describe() {
            StringBuilder sb = new StringBuilder(step.script()).append("  # -> ").append(result.text());
            for (String n : notes) {
                sb.append("\n    # ").append(n);
            }
            for (String v : violations) {
                sb.append("\n    # VIOLATION: ").append(v);
            }
            return sb.toString();
        }
    }

    /** How many problems an {@code integrity} step's result names. */
    static final int INTEGRITY_PROBLEMS_SHOWN = 3;

    private final boolean keepFiles;
    private final boolean checkInvariants;

    /**
     * A runner with the given recording and checking.
     *
     * @param keepFiles       record the db and WAL bytes after every step
     * @param checkInvariants check the §5.8 properties after every step
     */
    public ScenarioRunner(boolean keepFiles, boolean checkInvariants) {
        this.keepFiles = keepFiles;
        this.checkInvariants = checkInvariants;
    }

    /**
     * Runs {@code scenario}; {@code listener} sees each outcome as it happens. Returns the model in its final state.
     *
     * @param scenario the scenario
     * @param listener receives each step's outcome, in order
     * @return the model after the last step
     */
    public WalSim run(Scenario scenario, Consumer<Outcome> listener) {
        return runWithModel(scenario, (o, sim) -> listener.accept(o));
    }

    /**
     * Runs {@code scenario}; {@code listener} sees each outcome together with the model right after
     * that step (to read its state; the listener must not change it). Returns the model in its final
     * state.
     *
     * @param scenario the scenario
     * @param listener receives each step's outcome and the model, in order
     * @return the model after the last step
     */
    public WalSim runWithModel(Scenario scenario, java.util.function.BiConsumer<Outcome, WalSim> listener) {
        WalSim sim = scenario.newModel();
        Invariants inv = new Invariants();
        int i = 0;
        for (Step step : scenario.steps()) {
            i++;
            StepResult result = applyOrRecord(sim, step);
            List<String> notes = sim.drainNotes();
            List<String> violations = checkInvariants ? inv.check(sim) : List.of();
            listener.accept(new Outcome(i, step, result, notes, violations,
                    keepFiles ? sim.dbFile().bytes() : null,
                    keepFiles && sim.walFile().exists() ? sim.walFile().bytes() : null), sim);
        }
        return sim;
    }

    /**
     * Runs and collects all outcomes.
     *
     * @param scenario the scenario
     * @return one outcome per step, in order
     */
    public List<Outcome> runAll(Scenario scenario) {
        List<Outcome> out = new ArrayList<>();
        run(scenario, out::add);
        return out;
    }

    /**
     * Applies one step to {@code sim} and returns its result. A step the model refuses throws
     * {@link StepRejectedException}; a step that reaches an armed crash point throws
     * {@link WalSim.CrashPointReached}; {@link #applyOrRecord} turns both into results.
     *
     * @param sim  the model
     * @param step the step
     * @return the step's result
     * @throws StepRejectedException       if the model refuses the step in its current state
     * @throws WalSim.CrashPointReached     if the step reaches the armed crash point
     */
    public static StepResult apply(WalSim sim, Step step) {
        return switch (step) {
            case Step.Begin b -> {
                ResultCode rc = sim.beginRead(b.conn());
                SimConnection c = sim.connection(b.conn());
                yield rc.ok() ? new StepResult.ReadBegun(c.readLock(), c.snapshotMxFrame()) : new StepResult.Refused(rc);
            }
            case Step.End e -> {
                sim.endRead(e.conn());
                yield new StepResult.Done();
            }
            case Step.WriteLock w -> done(sim.beginWrite(w.conn()));
            case Step.NativeOrder n -> {
                sim.setNativeBigEndian(n.conn(), n.bigEndian());
                yield new StepResult.NativeOrderSet(n.bigEndian());
            }
            case Step.Spill sp -> {
                List<WalSim.PageWrite> writes = new ArrayList<>();
                for (int p : sp.pages()) {
                    writes.add(new WalSim.PageWrite(p, null));
                }
                ResultCode rc = sim.spill(sp.conn(), writes);
                SimConnection c = sim.connection(sp.conn());
                yield rc.ok() ? new StepResult.Spilled(c.pendingMxFrame(), c.pendingOverwrite()) : new StepResult.Refused(rc);
            }
            case Step.Rollback r -> {
                sim.rollback(r.conn());
                yield new StepResult.Done();
            }
            case Step.Commit c -> {
                List<WalSim.PageWrite> writes = new ArrayList<>();
                for (int k = 0; k < c.pages().size(); k++) {
                    writes.add(new WalSim.PageWrite(c.pages().get(k), c.image(k)));
                }
                WalSim.CommitResult r = sim.commit(c.conn(), writes, c.size());
                yield r.ok() ? new StepResult.Committed(r.firstFrame(), r.lastFrame(), r.restarted(), r.autocheckpoint())
                        : new StepResult.Refused(r.status());
            }
            case Step.Replay rp -> apply(sim, rp.asCommit());
            case Step.Checkpoint k -> new StepResult.Checkpointed(sim.checkpoint(k.conn(), k.mode(), k.waitSucceeds()));
            case Step.CkptBegin k -> {
                CheckpointResult r = sim.checkpointBegin(k.conn(), k.mode(), k.waitSucceeds());
                yield r != null ? new StepResult.Checkpointed(r) : new StepResult.CheckpointBegun(
                        sim.checkpointSnapshotMxFrame(k.conn()), sim.walIndex().salt1(), sim.walIndex().salt2());
            }
            case Step.CkptMarks k -> {
                sim.checkpointMarks(k.conn());
                int safe = sim.checkpointMxSafeFrame(k.conn());
                yield new StepResult.MarksRead(safe != 0, safe, sim.walIndex().nBackfill(), sim.walIndex().marksText());
            }
            case Step.CkptCopy k -> {
                sim.checkpointCopy(k.conn());
                yield new StepResult.Backfilled(sim.walIndex().nBackfill(), sim.walIndex().mxFrame());
            }
            case Step.CkptEnd k -> new StepResult.Checkpointed(sim.checkpointEnd(k.conn()));
            case Step.RestartLog r -> {
                boolean restarted = sim.restartLog(r.conn());
                SimConnection c = sim.connection(r.conn());
                yield new StepResult.LogRestarted(restarted, c.readLock(), sim.walIndex().salt1(), sim.walIndex().salt2());
            }
            case Step.Close c -> new StepResult.Closed(sim.close(c.conn()));
            case Step.Crash c -> new StepResult.Crashed(sim.crash(c.policy()));
            case Step.CrashAt a -> {
                sim.armCrash(a.point(), a.occurrence());
                yield new StepResult.Armed(a.point(), a.occurrence());
            }
            case Step.Copy c -> {
                byte[] b = sim.copyFile(c.file(), c.as());
                yield new StepResult.Copied(c.file(), b != null, b == null ? 0 : b.length);
            }
            case Step.Check c -> {
                byte[] db = copy(sim, c.db());
                byte[] wal = c.wal() == null ? null : sim.copies().get(c.wal());
                DbImage img = LogicalImage.of(db, wal, sim.pageSize());
                int match = sim.findCommitted(img);
                yield new StepResult.Checked(match >= 0 ? OptionalInt.of(match) : OptionalInt.empty(),
                        LogicalImage.explain(img, sim.history()));
            }
            case Step.Replication r -> new StepResult.Done();
            case Step.Integrity c -> {
                byte[] db = copy(sim, c.db());
                byte[] wal = c.wal() == null ? null : copy(sim, c.wal());
                CopyIntegrity.Verdict v = CopyIntegrity.check(db, wal);
                yield new StepResult.IntegrityChecked(v.ok(), v.summary(INTEGRITY_PROBLEMS_SHOWN));
            }
        };
    }

    /**
     * {@link #apply}, with a refused step recorded as {@link StepResult.Rejected} and a crash point
     * reached as {@link StepResult.Stopped}. Any other exception is a walkit bug and propagates.
     *
     * @param sim  the model
     * @param step the step
     * @return the step's result, {@code Rejected} or {@code Stopped}
     */
    public static StepResult applyOrRecord(WalSim sim, Step step) {
        try {
            return apply(sim, step);
        } catch (WalSim.CrashPointReached e) {
            return new StepResult.Stopped(e.point());
        } catch (StepRejectedException e) {
            return new StepResult.Rejected(e.getMessage());
        }
    }

    private static StepResult done(ResultCode rc) {
        return rc.ok() ? new StepResult.Done() : new StepResult.Refused(rc);
    }

    private static byte[] copy(WalSim sim, String name) {
        byte[] b = sim.copies().get(name);
        if (b == null) {
            throw new StepRejectedException("no copy named " + name);
        }
        return b;
    }
}
