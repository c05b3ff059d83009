package io.walkit.cli;

import io.walkit.sim.CheckpointResult;
import io.walkit.sim.ContentDigest;
import io.walkit.sim.DbImage;
import io.walkit.sim.ScenarioRunner;
import io.walkit.sim.StepResult;
import io.walkit.sim.WalIndexState;
import io.walkit.sim.WalSim;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The structured per-step record of a scenario run (one JSON Lines line, {@code "kind": "step"}),
 * shared by {@code sim run --json} and the {@code steps.jsonl} that {@code sim shrink} hands an
 * outside program. Fields:
 * <pre>
 * step, script                       1-based step number, the step's script line
 * result: {type, code, text}         the typed result (type: ok, refused, read-begun, committed, checkpointed, ...),
 *                                    SQLite's result code, the text sim run prints
 * checkpoint: {busy, log, checkpointed}  the PRAGMA wal_checkpoint row of this step (checkpoint, last close,
 *                                    autocheckpoint), or absent
 * walIndex: {mxFrame, nPage, nBackfill, nBackfillAttempted, aReadMark[5] (null = unused), salt1, salt2,
 *            bigEndCksum} or null when no connection has the wal-index
 * expected: {historyIndex, label, pageCount, imageSha3, contentSha3sum}  the latest committed image: SHA3-256 of
 *                                    its database file bytes, and what sqlite3's .sha3sum prints for it (null for
 *                                    synthetic pages, which are no b-tree database)
 * halted                             whether the model stopped at a crash point
 * notes, violations                  arrays of strings
 * </pre>
 */
final class SimStepJson {

    private SimStepJson() {}

    /** One step's line. */
    static String line(ScenarioRunner.Outcome o, WalSim sim) {
        Json j = new Json().beginObject().field("kind", "step").field("step", o.index()).field("script", o.step().script());
        StepResult r = o.result();
        j.name("result").beginObject().field("type", type(r)).field("code", r.code().name()).field("text", r.text()).endObject();
        CheckpointResult ck = switch (r) {
            case StepResult.Checkpointed c -> c.result();
            case StepResult.Closed c -> c.lastClose();
            case StepResult.Committed c -> c.autocheckpoint();
            default -> null;
        };
        if (ck != null && ck.error() == null) {
            j.name("checkpoint").beginObject().field("busy", ck.busy()).field("log", ck.log())
                    .field("checkpointed", ck.checkpointed()).endObject();
        }
        WalIndexState s = sim.walIndex();
        j.name("walIndex");
        if (s == null) {
            j.nullValue();
        } else {
            j.beginObject().field("mxFrame", Integer.toUnsignedLong(s.mxFrame())).field("nPage", Integer.toUnsignedLong(s.nPage()))
                    .field("nBackfill", Integer.toUnsignedLong(s.nBackfill()))
                    .field("nBackfillAttempted", Integer.toUnsignedLong(s.nBackfillAttempted()))
                    .name("aReadMark").beginArray();
            for (int m : s.readMarks()) {
                if (m == WalIndexState.NOT_USED) {
                    j.nullValue();
                } else {
                    j.value(Integer.toUnsignedLong(m));
                }
            }
            j.endArray().field("salt1", hex(s.salt1())).field("salt2", hex(s.salt2())).field("bigEndCksum", s.bigEndCksum())
                    .endObject();
        }
        DbImage latest = sim.latestImage();
        byte[] file = latest.toFileBytes(sim.pageSize());
        j.name("expected").beginObject().field("historyIndex", sim.latestIndex()).field("label", latest.label())
                .field("pageCount", latest.pageCount()).field("imageSha3", sha3(file)).name("contentSha3sum");
        var digest = ContentDigest.sha3sum(file, "expected");
        if (digest.isPresent()) {
            j.value(digest.get());
        } else {
            j.nullValue();
        }
        j.endObject().field("halted", sim.halted()).name("notes").beginArray();
        o.notes().forEach(j::value);
        j.endArray().name("violations").beginArray();
        o.violations().forEach(j::value);
        return j.endArray().endObject().toString();
    }

    private static String type(StepResult r) {
        return switch (r) {
            case StepResult.Done d -> "ok";
            case StepResult.Refused x -> "refused";
            case StepResult.ReadBegun x -> "read-begun";
            case StepResult.NativeOrderSet x -> "native-order";
            case StepResult.Spilled x -> "spilled";
            case StepResult.Committed x -> "committed";
            case StepResult.Checkpointed x -> "checkpointed";
            case StepResult.CheckpointBegun x -> "checkpoint-begun";
            case StepResult.MarksRead x -> "marks-read";
            case StepResult.Backfilled x -> "backfilled";
            case StepResult.LogRestarted x -> "log-restarted";
            case StepResult.Closed x -> "closed";
            case StepResult.Crashed x -> "crashed";
            case StepResult.Armed x -> "armed";
            case StepResult.Copied x -> "copied";
            case StepResult.Checked x -> "checked";
            case StepResult.IntegrityChecked x -> "integrity";
            case StepResult.Stopped x -> "stopped";
            case StepResult.Rejected x -> "rejected";
        };
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private static String sha3(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java 17+ runtime has SHA3-256", e);
        }
    }
}
