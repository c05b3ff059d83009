package io.walkit.sim;

import java.util.OptionalInt;

/**
 * What one scenario step did, as a type: decisions read the components, {@link #text()} is made
 * from them for people and never read back. Immutable; thread-safe.
 */
public sealed interface StepResult {

    /**
     * The result for people, e.g. {@code (0,14,12)} or {@code slot 1, snapshot mxFrame 12}.
     *
     * @return one line, never parsed back
     */
    String text();

    /**
     * The SQLite result code of the step: {@link ResultCode#SQLITE_OK} unless it was refused.
     *
     * @return the result code
     */
    default ResultCode code() {
        return ResultCode.SQLITE_OK;
    }

    /** The step succeeded and has nothing more to say ({@code end}, {@code rollback}, {@code write-lock}). */
    record Done() implements StepResult {
        @Override public String text() { return "ok"; }
    }

    /**
     * SQLite refused the step with {@code code} (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED).
     *
     * @param code the result code
     */
    record Refused(ResultCode code) implements StepResult {
        @Override public String text() { return code.name(); }
    }

    /**
     * A read transaction began on READ{@code slot} with snapshot {@code snapshotMxFrame}.
     *
     * @param slot            the read lock (0: reads the database file only)
     * @param snapshotMxFrame the snapshot's mxFrame
     */
    record ReadBegun(int slot, int snapshotMxFrame) implements StepResult {
        @Override public String text() {
            return "slot " + slot + ", snapshot mxFrame " + snapshotMxFrame + (slot == 0 ? " (reads the db file only)" : "");
        }
    }

    /**
     * The connection's host byte order was set.
     *
     * @param bigEndian whether it is big-endian
     */
    record NativeOrderSet(boolean bigEndian) implements StepResult {
        @Override public String text() {
            return bigEndian ? "big-endian host (new WAL headers: magic 0x377f0683)"
                    : "little-endian host (new WAL headers: magic 0x377f0682)";
        }
    }

    /**
     * Pages of an open write transaction were spilled.
     *
     * @param pendingMxFrame  the last frame written so far by the transaction
     * @param overwrittenFrom the first frame overwritten in place (SQLite: iReCksum), 0 when none
     */
    record Spilled(int pendingMxFrame, int overwrittenFrom) implements StepResult {
        @Override public String text() {
            return "uncommitted frames up to " + pendingMxFrame + (overwrittenFrom > 0 ? ", overwritten in place from frame "
                    + overwrittenFrom + " (later frames have zero salts)" : "");
        }
    }

    /**
     * A transaction committed.
     *
     * @param firstFrame     first frame written
     * @param lastFrame      last frame written (the commit frame, or its last sector-padding copy)
     * @param restarted      whether the WAL was restarted first
     * @param autocheckpoint the automatic checkpoint's result, or null when none ran
     */
    record Committed(int firstFrame, int lastFrame, boolean restarted, CheckpointResult autocheckpoint)
            implements StepResult {
        @Override public String text() {
            String s = "frames " + firstFrame + ".." + lastFrame + (restarted ? " (new WAL generation)" : "");
            return autocheckpoint == null ? s : s + "; autocheckpoint " + autocheckpoint;
        }
    }

    /**
     * A checkpoint ran (it may have reported busy, or failed with SQLITE_LOCKED).
     *
     * @param result the PRAGMA's row or error
     */
    record Checkpointed(CheckpointResult result) implements StepResult {
        @Override public String text() { return result.toString(); }
        @Override public ResultCode code() { return result.error() == null ? ResultCode.SQLITE_OK : result.error(); }
    }

    /**
     * A checkpoint's first sub-step took CKPT (and WRITE) and read the wal-index header.
     *
     * @param snapshotMxFrame the header snapshot's mxFrame, which the later sub-steps work from
     * @param salt1           the snapshot's salt-1
     * @param salt2           the snapshot's salt-2
     */
    record CheckpointBegun(int snapshotMxFrame, int salt1, int salt2) implements StepResult {
        @Override public String text() {
            return String.format("CKPT held; header snapshot mxFrame %s, salts %08x,%08x",
                    Integer.toUnsignedString(snapshotMxFrame), salt1, salt2);
        }
    }

    /**
     * A checkpoint's read-mark sub-step ran.
     *
     * @param backfill    whether the live nBackfill was below the snapshot's mxFrame (else nothing to copy)
     * @param mxSafeFrame the last frame the read marks allow to copy (0 when nothing to copy)
     * @param nBackfill   the live nBackfill
     * @param marks       the read marks afterwards, as text ({@code [0, 18, -, -, -]})
     */
    record MarksRead(boolean backfill, int mxSafeFrame, int nBackfill, String marks) implements StepResult {
        @Override public String text() {
            return backfill ? "mxSafeFrame " + Integer.toUnsignedString(mxSafeFrame) + " (live nBackfill "
                    + Integer.toUnsignedString(nBackfill) + ", marks " + marks + ")"
                    : "nothing to copy (live nBackfill " + Integer.toUnsignedString(nBackfill) + ")";
        }
    }

    /**
     * A checkpoint's backfill sub-step ran.
     *
     * @param nBackfill the live nBackfill afterwards
     * @param mxFrame   the live mxFrame afterwards
     */
    record Backfilled(int nBackfill, int mxFrame) implements StepResult {
        @Override public String text() {
            return "nBackfill " + Integer.toUnsignedString(nBackfill) + ", mxFrame " + Integer.toUnsignedString(mxFrame);
        }
    }

    /**
     * walRestartLog ran on its own for a connection holding the WRITE lock.
     *
     * @param restarted whether the WAL was restarted
     * @param slot      the connection's read lock afterwards
     * @param salt1     the wal-index salt-1 afterwards
     * @param salt2     the wal-index salt-2 afterwards
     */
    record LogRestarted(boolean restarted, int slot, int salt1, int salt2) implements StepResult {
        @Override public String text() {
            return restarted ? String.format("restarted: mxFrame 0, salts %08x,%08x; reads on slot %d", salt1, salt2, slot)
                    : "not restarted; reads on slot " + slot;
        }
    }

    /**
     * A connection closed.
     *
     * @param lastClose the checkpoint the last connection ran, or null when others were still open
     */
    record Closed(CheckpointResult lastClose) implements StepResult {
        @Override public String text() { return lastClose == null ? "closed" : "last connection: checkpoint " + lastClose; }
    }

    /**
     * A crash happened; the files recover to {@code recovered}.
     *
     * @param recovered the recovered image (its origin says whether it equals a commit)
     */
    record Crashed(DbImage recovered) implements StepResult {
        @Override public String text() { return recovered.label(); }
    }

    /**
     * A crash point was armed.
     *
     * @param point      the point
     * @param occurrence the pass that stops the model
     */
    record Armed(CrashPoint point, int occurrence) implements StepResult {
        @Override public String text() { return "armed"; }
    }

    /**
     * A file was copied.
     *
     * @param file   which file
     * @param exists whether the file existed
     * @param length its length in bytes (0 when it did not exist)
     */
    record Copied(SimFileKind file, boolean exists, int length) implements StepResult {
        @Override public String text() { return exists ? length + " bytes" : "no such file"; }
    }

    /**
     * Copied files were read together.
     *
     * @param equalsCommitted the history index of the committed image they equal, if any
     * @param explanation     what they contain, for people
     */
    record Checked(OptionalInt equalsCommitted, String explanation) implements StepResult {
        @Override public String text() { return explanation; }
    }

    /**
     * walkit's integrity check judged copied files.
     *
     * @param ok      whether it found no problem
     * @param summary the verdict and the first problems, for people
     */
    record IntegrityChecked(boolean ok, String summary) implements StepResult {
        @Override public String text() { return "walkit integrity_check: " + summary; }
    }

    /**
     * The step stopped at an armed crash point; only a crash may follow.
     *
     * @param point the point
     */
    record Stopped(CrashPoint point) implements StepResult {
        @Override public String text() { return "stopped at crash point " + point.scriptName() + " (only crash may follow)"; }
    }

    /**
     * The model refused the step (see {@link StepRejectedException}).
     *
     * @param reason why
     */
    record Rejected(String reason) implements StepResult {
        @Override public String text() { return "error: " + reason; }
    }
}
