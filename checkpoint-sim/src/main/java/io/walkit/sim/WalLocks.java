package io.walkit.sim;

import io.walkit.wal.WalFormat;
import java.util.Arrays;
import java.util.Collection;

/**
 * The model's lock table: the shared-memory locks of the wal-index ({@code WAL_READ_LOCK(0..4)},
 * {@code WAL_WRITE_LOCK}) as the VFS keeps them for all connections (SQLite: the {@code -shm}
 * lock bytes, {@code walLockShared}/{@code walLockExclusive}), and {@code WAL_CKPT_LOCK}, which a
 * checkpoint holds from its first sub-step to its last.
 *
 * <p>READi is a counter of shared holders: an exclusive lock on READi succeeds only when the
 * counter is 0 and is released at once (the model never keeps an exclusive read lock across a
 * step). The WRITE lock's holder is the connection whose {@code writeLock} flag is set (SQLite
 * keeps {@code pWal->writeLock} connection-local too).
 *
 * <p>Not thread-safe; owned by one {@link WalSim}.
 */
final class WalLocks {

    private final int[] readShared = new int[WalFormat.READ_MARK_COUNT];
    private final Collection<SimConnection> connections;
    /** The connection whose checkpoint holds WAL_CKPT_LOCK, or null. */
    private SimConnection ckptHolder;

    WalLocks(Collection<SimConnection> connections) {
        this.connections = connections;
    }

    /** Takes a shared lock on READ{@code slot} for {@code c} (walLockShared) and records it as c's read lock. */
    void lockShared(SimConnection c, int slot) {
        readShared[slot]++;
        c.readLock = slot;
    }

    /** Releases {@code c}'s shared read lock, if any (walUnlockShared). */
    void unlockShared(SimConnection c) {
        if (c.readLock >= 0) {
            readShared[c.readLock]--;
            c.readLock = -1;
        }
    }

    /** Whether an exclusive lock on READ{@code slot} would succeed now (nobody holds it shared). */
    boolean canLockExclusive(int slot) {
        return readShared[slot] == 0;
    }

    /** Number of connections holding READ{@code slot} shared. */
    int holders(int slot) {
        return readShared[slot];
    }

    /** Number of shared holders of READ1..READ4 (the WAL readers). */
    int walReaders() {
        return readShared[1] + readShared[2] + readShared[3] + readShared[4];
    }

    /** The connection holding the WRITE lock, or null. */
    SimConnection writeLockHolder() {
        for (SimConnection c : connections) {
            if (c.writeLock) {
                return c;
            }
        }
        return null;
    }

    /** The connection whose checkpoint holds the CKPT lock, or null. */
    SimConnection ckptHolder() {
        return ckptHolder;
    }

    /** Takes the CKPT lock for {@code c}'s checkpoint; the caller checked {@link #ckptHolder()} is null. */
    void lockCkpt(SimConnection c) {
        assert ckptHolder == null : "CKPT is held by " + ckptHolder.name;
        ckptHolder = c;
    }

    /** Releases the CKPT lock {@code c} holds. */
    void unlockCkpt(SimConnection c) {
        assert ckptHolder == c;
        ckptHolder = null;
    }

    /** Forgets every lock (a crash: the processes and their locks vanish). */
    void clear() {
        Arrays.fill(readShared, 0);
        ckptHolder = null;
    }
}
