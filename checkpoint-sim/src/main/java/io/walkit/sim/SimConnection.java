package io.walkit.sim;

/**
 * One database connection of the model: its connection-local WAL state ({@code Wal} in wal.c)
 * and the read transaction it holds.
 *
 * <p>The model creates connections ({@link WalSim#connection}) and changes them; the public
 * accessors read the live state. Not thread-safe; nothing to close ({@link WalSim#close} closes
 * the connection in the model).
 */
public final class SimConnection {

    final String name;
    /** SQLite: {@code pWal->nCkpt}, connection-local, loaded by recovery, +1 per restart this connection performs. */
    int nCkpt;
    /** SQLite: {@code pWal->readLock}: -1 no read transaction, 0 db-only reader, 1..4 WAL reader. */
    int readLock = -1;
    /** The snapshot's mxFrame ({@code pWal->hdr.mxFrame} at read start). */
    int snapMxFrame;
    /** The snapshot's nPage. */
    int snapNPage;
    /** SQLite: {@code pWal->minFrame} = nBackfill + 1 at read start. */
    int minFrame;
    /** Index into the model's history of the committed image this snapshot shows. */
    int snapshotImage;
    /** Holds the WRITE lock across steps (an open write transaction, BEGIN IMMEDIATE). */
    boolean writeLock;
    /** SQLite: {@code pWal->truncateOnCommit}, set when this connection wrote a new WAL header. */
    boolean truncateOnCommit;
    /** PRAGMA wal_autocheckpoint for this connection (0 = off). */
    int autocheckpoint;
    /** SQLite: {@code SQLITE_BIGENDIAN} of the host this connection's process runs on. */
    boolean nativeBigEndian;
    /**
     * SQLite: {@code pWal->hdr.mxFrame} while the open write transaction has spilled frames that
     * are not committed yet (it runs ahead of the wal-index's mxFrame); -1 when nothing is spilled.
     */
    int txMxFrame = -1;
    /** SQLite: {@code pWal->hdr.aFrameCksum} after the last spilled frame (valid when txMxFrame >= 0). */
    long txChecksum;
    /** SQLite: {@code pWal->iReCksum}: the first frame overwritten in place by this transaction, 0 none. */
    int reCksum;
    /** The open write transaction's image so far (pages spilled before commit), null when none. */
    byte[][] txImage;

    /** Forgets the open write transaction's spilled state (sqlite3WalEndWriteTransaction, sqlite3WalUndo). */
    void endWriteTransaction() {
        writeLock = false;
        truncateOnCommit = false;
        txMxFrame = -1;
        txChecksum = 0;
        reCksum = 0;
        txImage = null;
    }

    SimConnection(String name, int autocheckpoint) {
        this.name = name;
        this.autocheckpoint = autocheckpoint;
    }

    /**
     * The connection's name in scripts.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The read-lock slot held (-1 none, 0..4).
     *
     * @return SQLite's {@code pWal->readLock}
     */
    public int readLock() {
        return readLock;
    }

    /**
     * The snapshot's mxFrame (meaningful while a read transaction is open).
     *
     * @return the last committed frame the read transaction sees
     */
    public int snapshotMxFrame() {
        return snapMxFrame;
    }

    /**
     * Connection-local checkpoint sequence (SQLite: nCkpt).
     *
     * @return the sequence this connection writes into a new WAL header
     */
    public int nCkpt() {
        return nCkpt;
    }

    /**
     * Whether a read transaction is open.
     *
     * @return true while it holds a read lock
     */
    public boolean reading() {
        return readLock >= 0;
    }

    /**
     * The last frame the open write transaction has spilled (SQLite: pWal->hdr.mxFrame), -1 when none.
     *
     * @return the 1-based frame number, or -1
     */
    public int pendingMxFrame() {
        return txMxFrame;
    }

    /**
     * The first frame the open write transaction overwrote in place (SQLite: iReCksum), 0 when none.
     *
     * @return the 1-based frame number, or 0
     */
    public int pendingOverwrite() {
        return reCksum;
    }

    /**
     * Whether this connection's host is big-endian (it writes magic 0x377f0683 in a new WAL header).
     *
     * @return true for a big-endian host
     */
    public boolean nativeBigEndian() {
        return nativeBigEndian;
    }

    /**
     * Whether the connection holds the WRITE lock across steps.
     *
     * @return true during an open write transaction
     */
    public boolean holdsWriteLock() {
        return writeLock;
    }
}
