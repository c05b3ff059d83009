package io.walkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs a {@link Scenario} on a fresh {@link WalSim}, describing each step and checking {@link Invariants}. */
public final class ScenarioRunner {

    /**
     * What one step did.
     *
     * @param index      1-based step number
     * @param step       the step
     * @param result     the step's result, e.g. {@code (0,14,12)} or {@code slot 1, snapshot mxFrame 12}
     * @param notes      side effects worth telling (restarts, recovery, copies)
     * @param violations properties of §5.8 violated after the step
     * @param db         the database file's bytes after the step (null unless files are kept)
     * @param wal        the WAL file's bytes after the step (null if it does not exist or files are not kept)
     */
    public record Outcome(int index, Step step, String result, List<String> notes, List<String> violations,
                          byte[] db, byte[] wal) {
        /** {@code step -> result}, then notes and violations as comment lines. */
        public String describe() {
            StringBuilder sb = new StringBuilder(step.script()).append("  # -> ").append(result);
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
     * @param keepFiles       record the db and WAL bytes after every step
     * @param checkInvariants check the §5.8 properties after every step
     */
    public ScenarioRunner(boolean keepFiles, boolean checkInvariants) {
        this.keepFiles = keepFiles;
        this.checkInvariants = checkInvariants;
    }

    /** Runs {@code scenario}; {@code listener} sees each outcome as it happens. Returns the model in its final state. */
    public WalSim run(Scenario scenario, Consumer<Outcome> listener) {
        WalSim sim = scenario.newModel();
        Invariants inv = new Invariants();
        int i = 0;
        for (Step step : scenario.steps()) {
            i++;
            String result;
            try {
                result = apply(sim, step);
            } catch (WalSim.CrashPointReached e) {
                result = "stopped at crash point " + e.point() + " (only crash may follow)";
            } catch (IllegalStateException | IllegalArgumentException e) {
                result = "error: " + e.getMessage();
            }
            List<String> notes = sim.drainNotes();
            List<String> violations = checkInvariants ? inv.check(sim) : List.of();
            listener.accept(new Outcome(i, step, result, notes, violations,
                    keepFiles ? sim.dbFile().bytes() : null,
                    keepFiles && sim.walFile().exists() ? sim.walFile().bytes() : null));
        }
        return sim;
    }

    /** Runs and collects all outcomes. */
    public List<Outcome> runAll(Scenario scenario) {
        List<Outcome> out = new ArrayList<>();
        run(scenario, out::add);
        return out;
    }

    /** Applies one step to {@code sim} and returns its result text. */
    public static String apply(WalSim sim, Step step) {
        return switch (step) {
            case Step.Begin b -> {
                String rc = sim.beginRead(b.conn());
                SimConnection c = sim.connection(b.conn());
                yield rc.equals("ok") ? "slot " + c.readLock() + ", snapshot mxFrame " + c.snapshotMxFrame()
                        + (c.readLock() == 0 ? " (reads the db file only)" : "") : rc;
            }
            case Step.End e -> {
                sim.endRead(e.conn());
                yield "ok";
            }
            case Step.WriteLock w -> sim.beginWrite(w.conn());
            case Step.NativeOrder n -> {
                sim.setNativeBigEndian(n.conn(), n.bigEndian());
                yield n.bigEndian() ? "big-endian host (new WAL headers: magic 0x377f0683)"
                        : "little-endian host (new WAL headers: magic 0x377f0682)";
            }
            case Step.Spill sp -> {
                List<WalSim.PageWrite> writes = new ArrayList<>();
                for (int p : sp.pages()) {
                    writes.add(new WalSim.PageWrite(p, null));
                }
                String rc = sim.spill(sp.conn(), writes);
                SimConnection c = sim.connection(sp.conn());
                yield rc.equals("ok") ? "uncommitted frames up to " + c.pendingMxFrame()
                        + (c.pendingOverwrite() > 0 ? ", overwritten in place from frame " + c.pendingOverwrite()
                        + " (later frames have zero salts)" : "") : rc;
            }
            case Step.Rollback r -> {
                sim.rollback(r.conn());
                yield "ok";
            }
            case Step.Commit c -> {
                List<WalSim.PageWrite> writes = new ArrayList<>();
                for (int k = 0; k < c.pages().length; k++) {
                    writes.add(new WalSim.PageWrite(c.pages()[k], c.images() == null ? null : c.images()[k]));
                }
                WalSim.CommitResult r = sim.commit(c.conn(), writes, c.size());
                if (!r.ok()) {
                    yield r.status();
                }
                String s = "frames " + r.firstFrame() + ".." + r.lastFrame() + (r.restarted() ? " (new WAL generation)" : "");
                yield r.autocheckpoint() == null ? s : s + "; autocheckpoint " + r.autocheckpoint();
            }
            case Step.Replay rp -> apply(sim, new Step.Commit(rp.conn(), rp.pages(), rp.size(), rp.images()));
            case Step.Checkpoint k -> sim.checkpoint(k.conn(), k.mode(), k.waitSucceeds()).toString();
            case Step.CkptBegin k -> {
                CheckpointResult r = sim.checkpointBegin(k.conn(), k.mode(), k.waitSucceeds());
                yield r != null ? r.toString() : "CKPT held; header snapshot mxFrame "
                        + Integer.toUnsignedString(sim.checkpointSnapshotMxFrame(k.conn()))
                        + ", salts " + String.format("%08x,%08x", sim.walIndex().salt1(), sim.walIndex().salt2());
            }
            case Step.CkptMarks k -> {
                sim.checkpointMarks(k.conn());
                yield "mxSafeFrame " + Integer.toUnsignedString(sim.checkpointMxSafeFrame(k.conn())) + " (live nBackfill "
                        + Integer.toUnsignedString(sim.walIndex().nBackfill()) + ", marks " + sim.walIndex().marksText() + ")";
            }
            case Step.CkptCopy k -> {
                sim.checkpointCopy(k.conn());
                yield "nBackfill " + Integer.toUnsignedString(sim.walIndex().nBackfill()) + ", mxFrame "
                        + Integer.toUnsignedString(sim.walIndex().mxFrame());
            }
            case Step.CkptEnd k -> sim.checkpointEnd(k.conn()).toString();
            case Step.RestartLog r -> sim.restartLog(r.conn());
            case Step.Close c -> {
                CheckpointResult r = sim.close(c.conn());
                yield r == null ? "closed" : "last connection: checkpoint " + r;
            }
            case Step.Crash c -> sim.crash(c.policy()).label();
            case Step.CrashAt a -> {
                sim.armCrash(a.point(), a.occurrence());
                yield "armed";
            }
            case Step.Copy c -> {
                byte[] b = sim.copyFile(c.file(), c.as());
                yield b == null ? "no such file" : b.length + " bytes";
            }
            case Step.Check c -> {
                byte[] db = sim.copies().get(c.db());
                if (db == null) {
                    throw new IllegalArgumentException("no copy named " + c.db());
                }
                byte[] wal = c.wal() == null ? null : sim.copies().get(c.wal());
                DbImage img = LogicalImage.of(db, wal, sim.pageSize());
                yield LogicalImage.explain(img, sim.history());
            }
            case Step.Integrity c -> {
                byte[] db = sim.copies().get(c.db());
                if (db == null) {
                    throw new IllegalArgumentException("no copy named " + c.db());
                }
                byte[] wal = null;
                if (c.wal() != null) {
                    wal = sim.copies().get(c.wal());
                    if (wal == null) {
                        throw new IllegalArgumentException("no copy named " + c.wal());
                    }
                }
                yield "walkit integrity_check: " + CopyIntegrity.check(db, wal).summary(INTEGRITY_PROBLEMS_SHOWN);
            }
        };
    }
}
