package io.walkit.sim;

import it.unimi.dsi.fastutil.ints.Int2IntAVLTreeMap;

/**
 * The checkpointer of the model: {@code PRAGMA wal_checkpoint} as SQLite runs it
 * ({@code sqlite3WalCheckpoint}, then {@code walCheckpoint}), with the busy handler of
 * FULL/RESTART/TRUNCATE, and the database writes and fsyncs it issues to the storage layer with a
 * crash point between any two of them.
 *
 * <p>Not thread-safe; owned by one {@link WalSim} and working on its state.
 */
final class Checkpointer {

    private final WalSim sim;
    private boolean waitSucceeds;

    Checkpointer(WalSim sim) {
        this.sim = sim;
    }

    /** See {@link WalSim#checkpoint(String, CheckpointMode, boolean)}. */
    CheckpointResult checkpoint(String name, CheckpointMode mode, boolean waitSucceeds) {
        this.waitSucceeds = waitSucceeds && mode != CheckpointMode.PASSIVE;
        try {
            return checkpointNow(name, mode);
        } finally {
            this.waitSucceeds = false;
        }
    }

    /** The busy handler of a waiting checkpoint: lets the holders of READ{@code slot} finish. */
    private boolean waitForReaders(int slot, boolean busyHandler) {
        if (!busyHandler || !waitSucceeds) {
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

    /** sqlite3WalCheckpoint: locks, the busy handler's downgrade to PASSIVE, then walCheckpoint. */
    private CheckpointResult checkpointNow(String name, CheckpointMode mode) {
        SimConnection c = sim.connection(name);
        if (c.readLock >= 0 || c.writeLock) {
            // sqlite3BtreeCheckpoint: a connection with an open transaction cannot checkpoint.
            return new CheckpointResult(1, -1, -1, ResultCode.SQLITE_LOCKED);
        }
        // CKPT lock: never held across steps in this model. Then the WRITE lock for FULL and up.
        CheckpointMode eMode2 = mode;
        // xBusy2: FULL and up pass the busy handler. Without waitSucceeds it gives up at once
        // (busy_timeout=0); with it, whoever holds the awaited lock finishes first.
        boolean busyHandler = mode != CheckpointMode.PASSIVE;
        if (mode != CheckpointMode.PASSIVE && sim.locks.writeLockHolder() != null && waitSucceeds) {
            SimConnection w = sim.locks.writeLockHolder();
            sim.notes.add("busy handler: " + w.name + " finished (rolled back) its write transaction");
            sim.rollback(w.name);
        }
        if (mode != CheckpointMode.PASSIVE && sim.locks.writeLockHolder() != null) {
            eMode2 = CheckpointMode.PASSIVE;
            busyHandler = false;
        }
        sim.ensureWalIndex(c);
        int hdrMxFrame = sim.shm.mxFrame;
        int hdrNPage = sim.shm.nPage;
        ResultCode rc = walCheckpoint(c, eMode2, hdrMxFrame, hdrNPage, busyHandler);
        if (eMode2 == CheckpointMode.TRUNCATE && rc == ResultCode.SQLITE_OK && sim.shm.mxFrame == 0) {
            hdrMxFrame = 0;
        }
        int busy = rc == ResultCode.SQLITE_BUSY || (rc == ResultCode.SQLITE_OK && eMode2 != mode) ? 1 : 0;
        return CheckpointResult.of(busy, hdrMxFrame, sim.shm.nBackfill);
    }

    /**
     * walCheckpoint: mxSafeFrame from the read marks (marks of unheld slots advance), each page's
     * newest frame ≤ mxFrame copied when it lies in (nBackfill, mxSafeFrame], the WAL synced
     * before and the database truncated and synced after when everything was copied; then the
     * FULL/RESTART/TRUNCATE tail (busy when frames remain, restart of the header for TRUNCATE).
     */
    private ResultCode walCheckpoint(SimConnection c, CheckpointMode mode, int mxFrame, int nPage, boolean busyHandler) {
        WalIndexState shm = sim.shm;
        WalLocks locks = sim.locks;
        int pageSize = sim.pageSize();
        ResultCode rc = ResultCode.SQLITE_OK;
        if (Integer.compareUnsigned(shm.nBackfill, mxFrame) < 0) {
            int mxSafeFrame = mxFrame;
            int mxPage = nPage;
            for (int i = 1; i < 5; i++) {
                int y = shm.readMarks[i];
                if (Integer.compareUnsigned(mxSafeFrame, y) > 0) {
                    if (locks.canLockExclusive(i) || waitForReaders(i, busyHandler)) {
                        // Nobody uses slot i: advance its mark so it stops constraining checkpoints.
                        shm.readMarks[i] = i == 1 ? mxSafeFrame : WalIndexState.NOT_USED;
                    } else {
                        mxSafeFrame = y;
                        busyHandler = false;
                    }
                }
            }
            if (Integer.compareUnsigned(shm.nBackfill, mxSafeFrame) < 0) {
                // walIteratorInit: each page once, ascending, with its newest frame ≤ mxFrame (not ≤ mxSafeFrame).
                Int2IntAVLTreeMap newest = new Int2IntAVLTreeMap();
                for (int f = shm.nBackfill + 1; f <= mxFrame; f++) {
                    newest.put(shm.framePage(f), f);
                }
                if (!locks.canLockExclusive(0) && !waitForReaders(0, busyHandler)) {
                    rc = ResultCode.SQLITE_BUSY; // a db-only reader holds READ0: nothing may be copied
                } else {
                    int nBackfill = shm.nBackfill;
                    shm.nBackfillAttempted = mxSafeFrame;
                    if (sim.config().synchronous() != WalSim.Synchronous.OFF) {
                        sim.wal.sync(); // CKPT_SYNC_FLAGS: no checkpoint fsync with synchronous=OFF
                    }
                    sim.point(CrashPoint.CKPT_WAL_SYNCED);
                    for (var e : newest.int2IntEntrySet()) {
                        int p = e.getIntKey();
                        int f = e.getIntValue();
                        if (f <= nBackfill || Integer.compareUnsigned(f, mxSafeFrame) > 0 || p > mxPage) {
                            continue;
                        }
                        sim.db.write((long) (p - 1) * pageSize, WalBytes.framePage(sim.wal, f, pageSize));
                        sim.point(CrashPoint.CKPT_PAGE_WRITTEN);
                    }
                    if (mxSafeFrame == shm.mxFrame) {
                        sim.db.truncate((long) nPage * pageSize);
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
            if (rc == ResultCode.SQLITE_BUSY) {
                rc = ResultCode.SQLITE_OK; // partial progress is not an error
            }
        }
        if (rc == ResultCode.SQLITE_OK && mode != CheckpointMode.PASSIVE) {
            if (Integer.compareUnsigned(shm.nBackfill, mxFrame) < 0) {
                rc = ResultCode.SQLITE_BUSY;
            } else if (mode == CheckpointMode.RESTART || mode == CheckpointMode.TRUNCATE) {
                int salt = sim.saltRandom.nextInt();
                for (int i = 1; i < 5; i++) {
                    if (!locks.canLockExclusive(i)) {
                        waitForReaders(i, true);
                    }
                }
                if (locks.walReaders() > 0) {
                    rc = ResultCode.SQLITE_BUSY;
                } else if (mode == CheckpointMode.TRUNCATE) {
                    sim.restartHdr(c, salt);
                    sim.wal.truncate(0);
                }
            }
        }
        return rc;
    }
}
