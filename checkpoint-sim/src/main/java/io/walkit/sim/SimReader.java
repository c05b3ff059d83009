package io.walkit.sim;

/**
 * The read side of the model: read transactions (SQLite: {@code walTryBeginRead},
 * {@code sqlite3WalEndReadTransaction}) and page lookups through a snapshot
 * ({@code sqlite3WalFindFrame}, {@code sqlite3WalReadFrame}).
 *
 * <p>Not thread-safe; owned by one {@link WalSim} and working on its state.
 */
final class SimReader {

    private final WalSim sim;

    SimReader(WalSim sim) {
        this.sim = sim;
    }

    /** See {@link WalSim#beginRead}. */
    ResultCode beginRead(String name) {
        SimConnection c = sim.connection(name);
        if (c.readLock >= 0) {
            return ResultCode.SQLITE_OK;
        }
        sim.ensureWalIndex(c);
        return tryBeginRead(c, false) ? ResultCode.SQLITE_OK : ResultCode.SQLITE_BUSY;
    }

    /**
     * walTryBeginRead: slot 0 when nBackfill = mxFrame (and {@code useWal} is false), else the WAL
     * slot with the largest mark ≤ mxFrame, raising a free slot's mark to mxFrame when the best
     * mark is lower. False when no slot is usable.
     */
    boolean tryBeginRead(SimConnection c, boolean useWal) {
        WalIndexState shm = sim.shm;
        WalLocks locks = sim.locks;
        if (!useWal && shm.nBackfill == shm.mxFrame) {
            // Everything is in the db file: read it alone under READ0 (aReadMark[0] is always 0).
            locks.lockShared(c, 0);
            snapshot(c);
            return true;
        }
        int mxFrame = shm.mxFrame;
        int mxReadMark = 0;
        int mxI = 0;
        for (int i = 1; i < 5; i++) {
            int m = shm.readMarks[i];
            if (Integer.compareUnsigned(mxReadMark, m) <= 0 && Integer.compareUnsigned(m, mxFrame) <= 0) {
                mxReadMark = m;
                mxI = i;
            }
        }
        if (Integer.compareUnsigned(mxReadMark, mxFrame) < 0 || mxI == 0) {
            for (int i = 1; i < 5; i++) {
                if (locks.canLockExclusive(i)) { // EXCLUSIVE on READi succeeds only when nobody holds it
                    shm.readMarks[i] = mxFrame;
                    mxI = i;
                    break;
                }
            }
        }
        if (mxI == 0) {
            return false;
        }
        locks.lockShared(c, mxI);
        snapshot(c);
        return true;
    }

    private void snapshot(SimConnection c) {
        WalIndexState shm = sim.shm;
        c.snapMxFrame = shm.mxFrame;
        c.snapNPage = shm.nPage;
        c.minFrame = shm.nBackfill + 1;
        c.snapshotImage = sim.latestIndex();
    }

    /** See {@link WalSim#endRead}. */
    void endRead(String name) {
        SimConnection c = sim.connections.get(name);
        if (c == null || c.readLock < 0) {
            return;
        }
        sim.locks.unlockShared(c);
    }

    /** See {@link WalSim#readPage}. */
    byte[] readPage(String name, int pageNumber) {
        SimConnection c = sim.connections.get(name);
        if (c == null || c.readLock < 0) {
            throw new StepRejectedException(name + " has no read transaction");
        }
        int nPage = c.readLock == 0 || c.snapMxFrame == 0 ? sim.dbPages() : c.snapNPage;
        if (pageNumber > nPage) {
            return null;
        }
        if (c.readLock > 0) {
            int f = sim.shm.findFrame(pageNumber, c.minFrame, c.snapMxFrame);
            if (f > 0) {
                return WalBytes.framePage(sim.wal, f, sim.pageSize());
            }
        }
        return sim.db.read((long) (pageNumber - 1) * sim.pageSize(), sim.pageSize());
    }

    /** See {@link WalSim#readerImage}. */
    DbImage readerImage(String name) {
        SimConnection c = sim.connections.get(name);
        int nPage = c.readLock == 0 || c.snapMxFrame == 0 ? sim.dbPages() : c.snapNPage;
        byte[][] pages = new byte[nPage][];
        for (int p = 1; p <= nPage; p++) {
            pages[p - 1] = readPage(name, p);
        }
        return new DbImage("reader " + name, pages);
    }
}
