package io.walkit.sim;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One step of a scenario, printable as one line of the scenario script (see {@link ScenarioParser}
 * and docs/sim.md). {@link #script()} and the parser are inverses.
 */
public sealed interface Step {

    /** The step as a script line. */
    String script();

    /** {@code begin R1}: R1 begins a read transaction. */
    record Begin(String conn) implements Step {
        public String script() { return "begin " + conn; }
    }

    /** {@code end R1}: R1 ends its read transaction. */
    record End(String conn) implements Step {
        public String script() { return "end " + conn; }
    }

    /**
     * {@code commit W pages 2,7 size 9}: W commits a transaction writing those pages, leaving the
     * database {@code size} pages long. {@code images}, when not null, holds real page images
     * (parallel to {@code pages}); the script form cannot carry them.
     */
    record Commit(String conn, int[] pages, int size, byte[][] images) implements Step {
        public Commit(String conn, int[] pages, int size) {
            this(conn, pages, size, null);
        }

        public String script() {
            return "commit " + conn + " pages " + Arrays.stream(pages).mapToObj(Integer::toString)
                    .collect(Collectors.joining(",")) + " size " + size;
        }
    }

    /**
     * {@code commit W from 3}: W commits the pages of commit 3 of the scenario's source WAL (real
     * page images, see {@link CommitSource}).
     */
    record Replay(String conn, int ordinal, int[] pages, int size, byte[][] images) implements Step {
        public String script() { return "commit " + conn + " from " + ordinal; }
    }

    /**
     * {@code spill W pages 4,5}: W's open write transaction spills those pages to the WAL before
     * commit (cache pressure: non-commit frames, an in-place overwrite of a page it spilled before,
     * zero-salt frames after an overwrite; see {@link WalSim#spill}). A later {@code commit W}
     * completes the transaction, {@code rollback W} abandons it.
     */
    record Spill(String conn, int[] pages) implements Step {
        public String script() {
            return "spill " + conn + " pages " + Arrays.stream(pages).mapToObj(Integer::toString)
                    .collect(Collectors.joining(","));
        }
    }

    /**
     * {@code native-order W be}: W runs on a big-endian host (le: little-endian, the default): a
     * WAL header W writes gets magic 0x377f0683; appends keep the existing header's word order.
     */
    record NativeOrder(String conn, boolean bigEndian) implements Step {
        public String script() { return "native-order " + conn + (bigEndian ? " be" : " le"); }
    }

    /** {@code write-lock W}: W takes the WRITE lock and keeps it (BEGIN IMMEDIATE). */
    record WriteLock(String conn) implements Step {
        public String script() { return "write-lock " + conn; }
    }

    /** {@code rollback W}: W rolls back its open transaction. */
    record Rollback(String conn) implements Step {
        public String script() { return "rollback " + conn; }
    }

    /**
     * {@code checkpoint C PASSIVE}: PRAGMA wal_checkpoint(PASSIVE) on C with busy_timeout=0;
     * {@code checkpoint C FULL wait}: with a busy handler that outlasts the readers and the writer.
     */
    record Checkpoint(String conn, CheckpointMode mode, boolean waitSucceeds) implements Step {
        public Checkpoint(String conn, CheckpointMode mode) {
            this(conn, mode, false);
        }

        public String script() { return "checkpoint " + conn + " " + mode + (waitSucceeds ? " wait" : ""); }
    }

    /**
     * {@code ckpt-begin C PASSIVE [wait]}: the first sub-step of a checkpoint (CKPT, WRITE for FULL
     * and up, the wal-index header snapshot); other connections may act before {@code ckpt-marks},
     * {@code ckpt-copy} and {@code ckpt-end} continue it (docs/wal-reset-race.md).
     */
    record CkptBegin(String conn, CheckpointMode mode, boolean waitSucceeds) implements Step {
        public String script() { return "ckpt-begin " + conn + " " + mode + (waitSucceeds ? " wait" : ""); }
    }

    /** {@code ckpt-marks C}: C's checkpoint tests nBackfill, walks the read marks and builds its iterator. */
    record CkptMarks(String conn) implements Step {
        public String script() { return "ckpt-marks " + conn; }
    }

    /** {@code ckpt-copy C}: C's checkpoint backfills under READ0 (the rule's salt re-check first). */
    record CkptCopy(String conn) implements Step {
        public String script() { return "ckpt-copy " + conn; }
    }

    /** {@code ckpt-end C}: C's checkpoint completes (FULL and up) and returns its result row. */
    record CkptEnd(String conn) implements Step {
        public String script() { return "ckpt-end " + conn; }
    }

    /**
     * {@code restart-log W}: W, holding the WRITE lock ({@code write-lock W}), runs walRestartLog
     * before writing any frame; its later commit appends to the restarted log.
     */
    record RestartLog(String conn) implements Step {
        public String script() { return "restart-log " + conn; }
    }

    /** {@code close W}: W closes (the last close checkpoints and deletes the WAL). */
    record Close(String conn) implements Step {
        public String script() { return "close " + conn; }
    }

    /** {@code crash db=lose wal=keep seed=1}: power loss. */
    record Crash(CrashPolicy policy) implements Step {
        public String script() { return "crash " + policy; }
    }

    /** {@code crash-at ckpt-page-written 2}: the next step stops at that crash point (its 2nd pass). */
    record CrashAt(String point, int occurrence) implements Step {
        public String script() { return "crash-at " + point + " " + occurrence; }
    }

    /** {@code copy db as backup.db}: copies the current bytes of the db or WAL file. */
    record Copy(String file, String as) implements Step {
        public String script() { return "copy " + file + " as " + as; }
    }

    /** {@code check backup.db backup.db-wal}: what a database opened from copied files contains. */
    record Check(String db, String wal) implements Step {
        public String script() { return "check " + db + (wal == null ? "" : " " + wal); }
    }

    /**
     * {@code integrity backup.db backup.db-wal}: walkit's own integrity check (db-format's
     * IntegrityCheck, no SQLite) of the copied database, alone or read through the copied WAL.
     */
    record Integrity(String db, String wal) implements Step {
        public String script() { return "integrity " + db + (wal == null ? "" : " " + wal); }
    }
}
