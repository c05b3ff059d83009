package io.walkit.sim;

import it.unimi.dsi.fastutil.ints.Int2IntAVLTreeMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpointer of the model: {@code PRAGMA wal_checkpoint} as SQLite runs it
 * ({@code sqlite3WalCheckpoint}, then {@code walCheckpoint}), with the busy handler of
 * FULL/RESTART/TRUNCATE, and the database writes and fsyncs it issues to the storage layer with a
 * crash point between any two of them.
 *
 * <p>A checkpoint runs in the four sub-steps SQLite takes between lock acquisitions
 * (docs/wal-reset-race.md), so that a scenario can let other connections act in between:
 * <ol>
 * <li>{@link Phase#BEGIN}: the CKPT lock (held until the end), the WRITE lock for FULL and up,
 * the wal-index header read into the checkpoint's own snapshot;</li>
 * <li>{@link Phase#MARKS}: the nBackfill test against the snapshot's mxFrame, the read-mark loop
 * (mxSafeFrame) and the iterator over the live {@code aPgno};</li>
 * <li>{@link Phase#COPY}: READ0 exclusive, the salt re-check of {@link CheckpointRule#POST_FIX},
 * nBackfillAttempted, WAL fsync, page copies, database truncate and fsync, nBackfill;</li>
 * <li>{@link Phase#END}: the FULL/RESTART/TRUNCATE completion, the result row, the locks
 * released.</li>
 * </ol>
 * {@link #checkpoint} runs all four at once: the model's atomic checkpoint, unchanged.
 *
 * <p>Not thread-safe; owned by one {@link WalSim} and working on its state.
 */
final class Checkpointer {

    /** The sub-steps of one checkpoint, in order. */
    enum Phase {
        /** Locks and the header snapshot (sqlite3WalCheckpoint up to walIndexReadHdr). */
        BEGIN,
        /** nBackfill test, read marks, iterator (walCheckpoint up to walIteratorInit). */
        MARKS,
        /** READ0, the backfill, nBackfill (walCheckpoint's copy under READ0). */
        COPY,
        /** The completion of FULL and up, the result, the locks released. */
        END;

        /** The script word of the sub-step: {@code ckpt-begin}, {@code ckpt-marks}, ... */
        String script() {
            return "ckpt-" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One checkpoint between its sub-steps: what SQLite keeps in {@code pWal} and on its stack. */
    private static final class Run {
        final SimConnection c;
        final CheckpointMode mode;
        final boolean waitSucceeds;
        CheckpointMode eMode2;
        boolean busyHandler;
        /** The snapshot of the wal-index header (pWal->hdr). */
        int hdrMxFrame;
        int hdrNPage;
        int hdrSalt1;
        int hdrSalt2;
        /** Whether walCheckpoint's backfill part runs at all (nBackfill &lt; hdr.mxFrame). */
        boolean backfill;
        int mxSafeFrame;
        /** Page → newest frame ≤ hdr.mxFrame; null when there is nothing to copy. */
        Int2IntAVLTreeMap iterator;
        ResultCode rc = ResultCode.SQLITE_OK;
        /** The phase that ran last. */
        Phase done;

        Run(SimConnection c, CheckpointMode mode, boolean waitSucceeds) {
            this.c = c;
            this.mode = mode;
            this.waitSucceeds = waitSucceeds && mode != CheckpointMode.PASSIVE;
        }
    }

    private final WalSim sim;
    /** Checkpoints between sub-steps, by connection name. */
    private final Map<String, Run> running = new LinkedHashMap<>();
    /** The run whose busy handler is active (waitForReaders), or null. */
    private Run current;

    Checkpointer(WalSim sim) {
        this.sim = sim;
    }

    /** See {@link WalSim#checkpoint(String, CheckpointMode, boolean)}: all four sub-steps at once. */
    CheckpointResult checkpoint(String name, CheckpointMode mode, boolean waitSucceeds) {
        CheckpointResult early = begin(name, mode, waitSucceeds);
        return early != null ? early : advance(name, Phase.END);
    }

    /**
     * Sub-step 1 of a checkpoint by {@code name}: returns the final result when the checkpoint ends
     * here (SQLITE_LOCKED, or SQLITE_BUSY because another checkpoint holds CKPT), else null.
     */
    CheckpointResult begin(String name, CheckpointMode mode, boolean waitSucceeds) {
        if (running.containsKey(name)) {
            throw new StepRejectedException(name + " is inside a checkpoint already (" + Phase.END.script() + " "
                    + name + " first)");
        }
        SimConnection c = sim.connection(name);
        if (c.readLock >= 0 || c.writeLock) {
            // sqlite3BtreeCheckpoint: a connection with an open transaction cannot checkpoint.
            return new CheckpointResult(1, -1, -1, ResultCode.SQLITE_LOCKED);
        }
        if (sim.locks.ckptHolder() != null) {
            // walLockExclusive(WAL_CKPT_LOCK) fails at once, busy handler or not; outputs stay -1.
            sim.notes.add("CKPT is held by " + sim.locks.ckptHolder().name + "'s checkpoint");
            return CheckpointResult.of(1, -1, -1);
        }
        Run r = new Run(c, mode, waitSucceeds);
        sim.locks.lockCkpt(c);
        // xBusy2: FULL and up pass the busy handler. Without waitSucceeds it gives up at once
        // (busy_timeout=0); with it, whoever holds the awaited lock finishes first.
        r.eMode2 = mode;
        r.busyHandler = mode != CheckpointMode.PASSIVE;
        if (mode != CheckpointMode.PASSIVE && sim.locks.writeLockHolder() != null && r.waitSucceeds) {
            SimConnection w = sim.locks.writeLockHolder();
            sim.notes.add("busy handler: " + w.name + " finished (rolled back) its write transaction");
            sim.rollback(w.name);
        }
        if (mode != CheckpointMode.PASSIVE) {
            if (sim.locks.writeLockHolder() != null) {
                r.eMode2 = CheckpointMode.PASSIVE;
                r.busyHandler = false;
            } else {
                c.writeLock = true; // pWal->writeLock: held until the end of the checkpoint
            }
        }
        // walIndexReadHdr: the snapshot every later sub-step works from.
        sim.ensureWalIndex(c);
        r.hdrMxFrame = sim.shm.mxFrame;
        r.hdrNPage = sim.shm.nPage;
        r.hdrSalt1 = sim.shm.salt1;
        r.hdrSalt2 = sim.shm.salt2;
        r.done = Phase.BEGIN;
        running.put(name, r);
        return null;
    }

    /** Whether {@code name} is between the sub-steps of a checkpoint. */
    boolean inCheckpoint(String name) {
        return running.containsKey(name);
    }

    /** The sub-step {@code name}'s checkpoint ran last, or null when it has none in progress. */
    Phase phase(String name) {
        Run r = running.get(name);
        return r == null ? null : r.done;
    }

    /** The header snapshot's mxFrame of {@code name}'s checkpoint in progress. */
    int snapshotMxFrame(String name) {
        return running.get(name).hdrMxFrame;
    }

    /** The mxSafeFrame of {@code name}'s checkpoint in progress (after {@link Phase#MARKS}). */
    int mxSafeFrame(String name) {
        return running.get(name).mxSafeFrame;
    }

    /**
     * Runs {@code name}'s checkpoint up to and including sub-step {@code target} (skipped sub-steps
     * run first, in order). Returns the result row when {@code target} is {@link Phase#END}, else null.
     */
    CheckpointResult advance(String name, Phase target) {
        Run r = running.get(name);
        if (r == null) {
            throw new StepRejectedException(name + " has no checkpoint in progress (" + Phase.BEGIN.script() + " "
                    + name + " MODE first)");
        }
        if (target.ordinal() <= r.done.ordinal()) {
            throw new StepRejectedException(name + "'s checkpoint is past " + target.script());
        }
        current = r;
        try {
            while (r.done.ordinal() < target.ordinal()) {
                Phase next = Phase.values()[r.done.ordinal() + 1];
                // The phase counts as done before it runs: a crash point inside it ends the run.
                r.done = next;
                switch (next) {
                    case MARKS -> marks(r);
                    case COPY -> copy(r);
                    case END -> {
                        return end(r);
                    }
                    case BEGIN -> throw new AssertionError("BEGIN runs in begin()");
                }
            }
            return null;
        } finally {
            current = null;
        }
    }

    /** Forgets every checkpoint in progress (a crash: the processes vanish with their locks). */
    void clear() {
        running.clear();
    }

    /** The busy handler of a waiting checkpoint: lets the holders of READ{@code slot} finish. */
    private boolean waitForReaders(int slot, boolean busyHandler) {
        if (!busyHandler || current == null || !current.waitSucceeds) {
            return false;
        }
        for (SimConnection o : sim.connections.values()) {
            if (o.readLock == slot && !o.writeLock) {
                sim.notes.add("busy handler: " + o.name + " finished its read transaction (slot " + slot + ")");
                sim.reader.endRead(o.name);
            }
        }
        return sim.locks.canLockExclusive(slot);
    }

    /**
     * walCheckpoint, first part: the backfill happens only when the live nBackfill is below the
     * snapshot's mxFrame; mxSafeFrame from the read marks (marks of unheld slots advance); the
     * iterator pairs each page with its newest frame ≤ the snapshot's mxFrame in the live aPgno.
     */
    private void marks(Run r) {
        WalIndexState shm = sim.shm;
        WalLocks locks = sim.locks;
        r.backfill = Integer.compareUnsigned(shm.nBackfill, r.hdrMxFrame) < 0;
        if (!r.backfill) {
            return;
        }
        int mxSafeFrame = r.hdrMxFrame;
        for (int i = 1; i < 5; i++) {
            int y = shm.readMarks[i];
            if (Integer.compareUnsigned(mxSafeFrame, y) > 0) {
                if (locks.canLockExclusive(i) || waitForReaders(i, r.busyHandler)) {
                    // Nobody uses slot i: advance its mark so it stops constraining checkpoints.
                    shm.readMarks[i] = i == 1 ? mxSafeFrame : WalIndexState.NOT_USED;
                } else {
                    mxSafeFrame = y;
                    r.busyHandler = false;
                }
            }
        }
        r.mxSafeFrame = mxSafeFrame;
        if (Integer.compareUnsigned(shm.nBackfill, mxSafeFrame) < 0) {
            // walIteratorInit: each page once, ascending, with its newest frame ≤ mxFrame (not ≤
            // mxSafeFrame); entries of 0 (cleared aPgno slots) are never returned.
            Int2IntAVLTreeMap newest = new Int2IntAVLTreeMap();
            for (int f = shm.nBackfill + 1; f <= r.hdrMxFrame; f++) {
                int page = shm.framePage(f);
                if (page != 0) {
                    newest.put(page, f);
                }
            }
            r.iterator = newest;
        }
    }

    /**
     * walCheckpoint, the backfill under READ0: nothing when a db-only reader holds READ0; with the
     * post-fix rule nothing when the WAL was restarted since the header snapshot; else each
     * iterator page whose frame lies in (nBackfill, mxSafeFrame] is copied, the WAL synced before
     * and the database truncated and synced after when mxSafeFrame is the live mxFrame; then
     * nBackfill = mxSafeFrame.
     */
    private void copy(Run r) {
        if (!r.backfill) {
            return;
        }
        WalIndexState shm = sim.shm;
        int pageSize = sim.pageSize();
        if (r.iterator != null) {
            if (!sim.locks.canLockExclusive(0) && !waitForReaders(0, r.busyHandler)) {
                r.rc = ResultCode.SQLITE_BUSY; // a db-only reader holds READ0: nothing may be copied
            } else if (sim.config().rule() == CheckpointRule.POST_FIX
                    && (shm.salt1 != r.hdrSalt1 || shm.salt2 != r.hdrSalt2)) {
                // 3.51.3: with READ0 held no restart can happen any more; a restart since the
                // header read means the snapshot describes a log that no longer exists.
                sim.notes.add(String.format("the WAL was restarted since %s read the header (salts %08x,%08x now "
                        + "%08x,%08x): nothing copied (post-fix rule)", r.c.name, r.hdrSalt1, r.hdrSalt2,
                        shm.salt1, shm.salt2));
            } else {
                if (shm.salt1 != r.hdrSalt1 || shm.salt2 != r.hdrSalt2) {
                    sim.notes.add(String.format("the WAL was restarted since %s read the header (mxFrame %d then, "
                            + "%d now): the pre-fix rule backfills with the stale snapshot", r.c.name, r.hdrMxFrame,
                            shm.mxFrame));
                }
                int nBackfill = shm.nBackfill;
                int mxSafeFrame = r.mxSafeFrame;
                shm.nBackfillAttempted = mxSafeFrame;
                if (sim.config().synchronous() != WalSim.Synchronous.OFF) {
                    sim.wal.sync(); // CKPT_SYNC_FLAGS: no checkpoint fsync with synchronous=OFF
                }
                sim.point(CrashPoint.CKPT_WAL_SYNCED);
                for (var e : r.iterator.int2IntEntrySet()) {
                    int p = e.getIntKey();
                    int f = e.getIntValue();
                    if (f <= nBackfill || Integer.compareUnsigned(f, mxSafeFrame) > 0 || p > r.hdrNPage) {
                        continue;
                    }
                    sim.db.write((long) (p - 1) * pageSize, WalBytes.framePage(sim.wal, f, pageSize));
                    sim.point(CrashPoint.CKPT_PAGE_WRITTEN);
                }
                if (mxSafeFrame == shm.mxFrame) {
                    sim.db.truncate((long) r.hdrNPage * pageSize);
                    sim.point(CrashPoint.CKPT_DB_TRUNCATED);
                    if (sim.config().synchronous() != WalSim.Synchronous.OFF) {
                        sim.db.sync();
                    }
                    sim.point(CrashPoint.CKPT_DB_SYNCED);
                }
                shm.nBackfill = mxSafeFrame;
                sim.point(CrashPoint.CKPT_BACKFILL_SET);
            }
        }
        if (r.rc == ResultCode.SQLITE_BUSY) {
            r.rc = ResultCode.SQLITE_OK; // partial progress is not an error
        }
    }

    /**
     * walCheckpoint's tail for FULL and up (busy when frames of the snapshot remain, the wait for
     * READ1..4, the header restart and WAL truncation of TRUNCATE), then sqlite3WalCheckpoint's
     * result row and the release of WRITE and CKPT.
     */
    private CheckpointResult end(Run r) {
        running.remove(r.c.name);
        try {
            WalIndexState shm = sim.shm;
            WalLocks locks = sim.locks;
            ResultCode rc = r.rc;
            if (rc == ResultCode.SQLITE_OK && r.eMode2 != CheckpointMode.PASSIVE) {
                if (Integer.compareUnsigned(shm.nBackfill, r.hdrMxFrame) < 0) {
                    rc = ResultCode.SQLITE_BUSY;
                } else if (r.eMode2 == CheckpointMode.RESTART || r.eMode2 == CheckpointMode.TRUNCATE) {
                    int salt = sim.saltRandom.nextInt();
                    for (int i = 1; i < 5; i++) {
                        if (!locks.canLockExclusive(i)) {
                            waitForReaders(i, true);
                        }
                    }
                    if (locks.walReaders() > 0) {
                        rc = ResultCode.SQLITE_BUSY;
                    } else if (r.eMode2 == CheckpointMode.TRUNCATE) {
                        sim.restartHdr(r.c, salt);
                        sim.wal.truncate(0);
                        r.hdrMxFrame = 0; // walRestartHdr sets pWal->hdr.mxFrame: pnLog is 0
                    }
                }
            }
            int busy = rc == ResultCode.SQLITE_BUSY || (rc == ResultCode.SQLITE_OK && r.eMode2 != r.mode) ? 1 : 0;
            return CheckpointResult.of(busy, r.hdrMxFrame, shm.nBackfill);
        } finally {
            if (r.eMode2 != CheckpointMode.PASSIVE) {
                r.c.writeLock = false;
            }
            sim.locks.unlockCkpt(r.c);
        }
    }
}
