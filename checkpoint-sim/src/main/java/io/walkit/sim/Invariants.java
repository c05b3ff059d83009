package io.walkit.sim;

import io.walkit.wal.WalFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The properties of docs/format-notes.md, "Checkpoint invariants", checked after every step of a model run. Stateful: it remembers
 * the committed WAL prefix of the previous step to check that committed frames never change
 * except through a restart.
 *
 * <ol>
 * <li>nBackfill ≤ nBackfillAttempted ≤ mxFrame;</li>
 * <li>db ⊕ frames (nBackfill, mxFrame] = the latest committed image;</li>
 * <li>when nBackfill = mxFrame (a complete checkpoint, or an empty WAL) the db file alone equals it;</li>
 * <li>every open read transaction sees exactly the committed image it started on;</li>
 * <li>a restart happens only when nBackfill = mxFrame and no connection holds READ1..4;</li>
 * <li>committed WAL frames (1..mxFrame) never change except through a restart or TRUNCATE.</li>
 * </ol>
 *
 * <p>Not thread-safe: one instance follows one model run, step by step.
 */
public final class Invariants {

    private byte[] previousPrefix;
    private int previousRestarts;

    /** A checker that has seen no step yet (use one per model run). */
    public Invariants() {
    }

    /**
     * Checks {@code sim}'s current state; returns the violated properties (empty when all hold).
     * Nothing is checked while the model is halted at a crash point.
     *
     * @param sim the model, after a step
     * @return one line per violated property (empty when all hold)
     */
    public List<String> check(WalSim sim) {
        List<String> out = new ArrayList<>();
        if (sim.halted()) {
            return out;
        }
        WalIndexState s = sim.walIndex();
        DbImage latest = sim.latestImage();
        if (s != null) {
            if (Integer.compareUnsigned(s.nBackfill, s.nBackfillAttempted) > 0
                    || Integer.compareUnsigned(s.nBackfillAttempted, s.mxFrame) > 0) {
                out.add("nBackfill <= nBackfillAttempted <= mxFrame violated: " + s);
            }
            DbImage implied = sim.impliedImage();
            if (!implied.samePages(latest)) {
                out.add("db + frames (nBackfill, mxFrame] != latest committed image: "
                        + LogicalImage.explain(implied, sim.history()));
            }
            if (s.nBackfill == s.mxFrame) {
                DbImage dbAlone = DbImage.ofFile("db file", sim.dbFile().bytes(), sim.pageSize());
                if (!dbAlone.samePages(latest)) {
                    out.add("nBackfill == mxFrame but the db file alone != latest committed image: "
                            + LogicalImage.explain(dbAlone, sim.history()));
                }
            }
        }
        for (SimConnection c : sim.connections()) {
            if (c.reading()) {
                DbImage seen = sim.readerImage(c.name());
                DbImage expected = sim.history().get(sim.readerSnapshotIndex(c.name()));
                if (!seen.samePages(expected)) {
                    out.add("reader " + c.name() + " (slot " + c.readLock() + ") no longer sees "
                            + expected.label() + ": " + LogicalImage.explain(seen, sim.history()));
                }
            }
        }
        out.addAll(sim.restartViolations());
        byte[] prefix = s == null || !sim.walFile().exists() ? null
                : sim.walFile().read(0, (int) WalFormat.frameOffset(s.mxFrame + 1L, sim.pageSize()));
        if (previousPrefix != null && prefix != null && sim.restarts() == previousRestarts && s.mxFrame > 0
                && previousPrefix.length > WalFormat.HEADER_SIZE && prefix.length >= previousPrefix.length
                && !Arrays.equals(previousPrefix, 0, previousPrefix.length, prefix, 0, previousPrefix.length)) {
            out.add("committed WAL frames changed without a restart");
        }
        previousPrefix = prefix;
        previousRestarts = sim.restarts();
        return out;
    }
}
