package io.walkit.sim;

import io.walkit.io.ByteSource;
import io.walkit.wal.CheckpointInfo;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalFrameHeader;
import io.walkit.wal.WalIndexHeader;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A byte-level model of SQLite's WAL protocol (src/wal.c): one database file, one WAL file, the
 * wal-index, connections with their read locks, the writer, checkpoints, restarts, close and
 * crashes. Every state yields the real bytes of the database and WAL files.
 *
 * <p>Operations are atomic steps (the model is single-threaded: a lock held by another connection
 * across steps is simply busy; a busy handler cannot wait for anything, which is what
 * {@code PRAGMA busy_timeout=0} gives in real SQLite). Each follows the function named in its
 * javadoc literally, in SQLite's order, including the writes and fsyncs it issues to the storage
 * layer ({@link SimFile}), so a crash can be injected between any two of them
 * ({@link #armCrash}).
 *
 * <p>The model also keeps the history of committed images, so properties (docs/format-notes.md, "Checkpoint invariants") can be
 * checked: see {@link Invariants}.
 *
 * <p>This class is the facade and the shared state; the protocol is split along SQLite's own
 * seams, one package-private class each, so a checkpoint and a write can be cut into sub-steps
 * that interleave:
 * <ul>
 * <li>{@code WalLocks}: the lock table (READ0..4 shared holders, the WRITE holder);</li>
 * <li>{@link WalIndexState}: the wal-index header, checkpoint info and read marks, with recovery
 * (walIndexRecover) and walRestartHdr;</li>
 * <li>{@code SimReader}: read transactions (walTryBeginRead) and page lookups (walFindFrame);</li>
 * <li>{@code SimWriter}: write transactions (walRestartLog, walFrames, spills, sector padding,
 * walRewriteChecksums);</li>
 * <li>{@code Checkpointer}: sqlite3WalCheckpoint and walCheckpoint with the busy handler;</li>
 * <li>{@code WalBytes}: the file bytes (frames with their running checksum, the -shm image).</li>
 * </ul>
 *
 * <p>Not thread-safe: one thread drives a model; the model owns its {@link SimFile}s and has
 * nothing to close.
 */
public final class WalSim {

    /** SQLite's PRAGMA synchronous levels relevant to WAL mode. */
    public enum Synchronous {
        /** No fsync at all (checkpoints and commits alike). */
        OFF,
        /** The WAL is synced at checkpoints only, not at each commit. */
        NORMAL,
        /** The WAL is synced at each commit (and padded to a sector boundary without powersafe overwrite). */
        FULL
    }

    /**
     * Model settings.
     *
     * @param pageSize         database page size
     * @param fsync            storage honesty
     * @param synchronous      PRAGMA synchronous (FULL syncs the WAL at each commit)
     * @param persistentWal    SQLITE_FCNTL_PERSIST_WAL (the WAL survives the last close)
     * @param journalSizeLimit PRAGMA journal_size_limit (-1 = none)
     * @param autocheckpoint   PRAGMA wal_autocheckpoint for new connections (0 = off)
     * @param saltSeed         seed of the random salts SQLite draws
     * @param sectorSize       0: the VFS has powersafe overwrite (unix default, no padding); else the
     *                         sector size a synchronous=FULL commit pads the WAL to with copies of
     *                         its commit frame (psow=0)
     * @param rule             which walCheckpoint runs: before or after the fix of the WAL-reset race
     */
    public record Config(int pageSize, FsyncMode fsync, Synchronous synchronous, boolean persistentWal,
                         long journalSizeLimit, int autocheckpoint, long saltSeed, int sectorSize,
                         CheckpointRule rule) {

        /**
         * 4096-byte pages, honest fsync, synchronous FULL, no persistent WAL, no journal size limit,
         * autocheckpoint off, salt seed 1, powersafe overwrite (no sector padding), the post-fix
         * walCheckpoint.
         *
         * @return the default settings
         */
        public static Config defaults() {
            return new Config(4096, FsyncMode.HONEST, Synchronous.FULL, false, -1, 0, 1, 0, CheckpointRule.POST_FIX);
        }

        /**
         * The same settings with sector size {@code v} (0: powersafe overwrite, no padding).
         *
         * @param v sector size in bytes, or 0
         * @return a new settings record
         */
        public Config withSectorSize(int v) { return new Config(pageSize, fsync, synchronous, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, v, rule); }
        /**
         * The same settings with walCheckpoint from before or after the WAL-reset fix.
         *
         * @param v the checkpoint rule
         * @return a new settings record
         */
        public Config withRule(CheckpointRule v) { return new Config(pageSize, fsync, synchronous, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, sectorSize, v); }
        /**
         * The same settings with page size {@code v} bytes.
         *
         * @param v page size in bytes (a power of two in 512..65536; checked by the model's constructor)
         * @return a new settings record
         */
        public Config withPageSize(int v) { return new Config(v, fsync, synchronous, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, sectorSize, rule); }
        /**
         * The same settings with storage honesty {@code v}.
         *
         * @param v how the simulated storage treats fsync
         * @return a new settings record
         */
        public Config withFsync(FsyncMode v) { return new Config(pageSize, v, synchronous, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, sectorSize, rule); }
        /**
         * The same settings with PRAGMA synchronous {@code v}.
         *
         * @param v the synchronous level
         * @return a new settings record
         */
        public Config withSynchronous(Synchronous v) { return new Config(pageSize, fsync, v, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, sectorSize, rule); }
        /**
         * The same settings with SQLITE_FCNTL_PERSIST_WAL {@code v}.
         *
         * @param v whether the WAL file survives the last connection's close
         * @return a new settings record
         */
        public Config withPersistentWal(boolean v) { return new Config(pageSize, fsync, synchronous, v, journalSizeLimit, autocheckpoint, saltSeed, sectorSize, rule); }
        /**
         * The same settings with PRAGMA journal_size_limit {@code v} (-1: none).
         *
         * @param v the limit in bytes a restarted WAL is truncated to, or -1 for none
         * @return a new settings record
         */
        public Config withJournalSizeLimit(long v) { return new Config(pageSize, fsync, synchronous, persistentWal, v, autocheckpoint, saltSeed, sectorSize, rule); }
        /**
         * The same settings with PRAGMA wal_autocheckpoint {@code v} for new connections (0: off).
         *
         * @param v the autocheckpoint threshold in frames, or 0
         * @return a new settings record
         */
        public Config withAutocheckpoint(int v) { return new Config(pageSize, fsync, synchronous, persistentWal, journalSizeLimit, v, saltSeed, sectorSize, rule); }
        /**
         * The same settings with salt seed {@code v}.
         *
         * @param v seed of the generator the model draws WAL salts from
         * @return a new settings record
         */
        public Config withSaltSeed(long v) { return new Config(pageSize, fsync, synchronous, persistentWal, journalSizeLimit, autocheckpoint, v, sectorSize, rule); }
    }

    /**
     * One page written by a transaction; {@code image == null} asks for the synthetic page content.
     *
     * @param pageNumber 1-based page number
     * @param image      the page's new bytes ({@code pageSize} long), or null for a synthetic page
     *                   ({@link PageContent#synthetic}) whose version is the history size when written
     */
    public record PageWrite(int pageNumber, byte[] image) {}

    /**
     * The outcome of a write transaction.
     *
     * @param status          SQLITE_OK, SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT
     * @param firstFrame      first frame written (0 if none)
     * @param lastFrame       the commit frame (0 if none)
     * @param restarted       whether walRestartLog restarted the WAL first
     * @param autocheckpoint  the automatic checkpoint's result, or null if none ran
     */
    public record CommitResult(ResultCode status, int firstFrame, int lastFrame, boolean restarted,
                               CheckpointResult autocheckpoint) {
        /**
         * Whether the commit happened.
         *
         * @return true when {@code status} is SQLITE_OK
         */
        public boolean ok() {
            return status == ResultCode.SQLITE_OK;
        }
    }

    /**
     * Thrown when an armed crash point is reached; the model then accepts only {@link #crash}.
     * Unchecked on purpose: it unwinds the operation in progress like a power cut, and the driver
     * (the scenario runner or a test) catches it by type. Carries no stack trace.
     */
    public static final class CrashPointReached extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The crash point that stopped the model (part of the serialized form). */
        private final CrashPoint point;

        CrashPointReached(CrashPoint point) {
            super("crash point reached: " + point, null, false, false);
            this.point = point;
        }

        /**
         * The point.
         *
         * @return the crash point that stopped the model
         */
        public CrashPoint point() {
            return point;
        }
    }


    // The state every seam works on (package-private: the seams are this package's classes).
    private final Config config;
    private final int pageSize;
    final SimFile db;
    final SimFile wal;
    /** The wal-index; null when no connection has it (the next one recovers). */
    WalIndexState shm;
    final Map<String, SimConnection> connections = new LinkedHashMap<>();
    final WalLocks locks = new WalLocks(connections.values());
    final List<DbImage> history = new ArrayList<>();
    private int latest;
    final RandomGenerator saltRandom;
    private final Map<String, byte[]> copies = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    private CrashPoint armedPoint;
    private int armedCount;
    private boolean halted;
    private int restarts;
    /** The commit being written (its image), for labelling what a crash recovers; null between commits. */
    DbImage inflight;
    private int lastAcknowledged = -1;
    private final List<String> restartViolations = new ArrayList<>();

    // The seams (SQLite: walTryBeginRead & co., walFrames & co., walCheckpoint).
    final SimReader reader = new SimReader(this);
    final SimWriter writer = new SimWriter(this);
    private final Checkpointer checkpointer = new Checkpointer(this);

    /**
     * A model whose database file durably holds {@code initialDb} (whole pages) and whose WAL does
     * not exist.
     *
     * @param config    the settings
     * @param initialDb the database file's bytes (copied), a whole number of pages
     * @throws IllegalArgumentException if the page size is invalid or {@code initialDb} is not a
     *                                  whole number of pages
     */
    public WalSim(Config config, byte[] initialDb) {
        this.config = Objects.requireNonNull(config);
        this.pageSize = config.pageSize();
        if (!WalFormat.isValidPageSize(pageSize) || initialDb.length % pageSize != 0) {
            throw new IllegalArgumentException("bad page size " + pageSize + " or db size " + initialDb.length);
        }
        this.db = SimFile.of("db", config.fsync(), initialDb);
        this.wal = new SimFile("db-wal", config.fsync());
        this.saltRandom = new java.util.SplittableRandom(config.saltSeed());
        history.add(new DbImage("initial", DbImage.ofFile("initial", initialDb, pageSize).pages(), DbImage.Origin.INITIAL));
    }

    /**
     * A model whose database and WAL files durably hold the given bytes (e.g. files copied from a
     * live system, or left by a crash) and whose wal-index is gone: the first connection recovers.
     * The history starts with the image SQLite would read from the pair.
     *
     * @param config the settings
     * @param db     the database file's bytes, a whole number of pages
     * @param wal    the WAL file's bytes, or null for no WAL file
     * @return the model
     * @throws IllegalArgumentException if the page size is invalid or {@code db} is not a whole
     *                                  number of pages
     */
    public static WalSim fromFiles(Config config, byte[] db, byte[] wal) {
        WalSim sim = new WalSim(config, db);
        if (wal != null) {
            sim.wal.write(0, wal);
            sim.wal.syncHonestly();
            sim.history.set(0, new DbImage("initial (db + WAL)", LogicalImage.of(db, wal, config.pageSize()).pages(),
                    DbImage.Origin.INITIAL));
        }
        return sim;
    }

    /**
     * A model with {@code pages} synthetic pages (version 0) in the database file.
     *
     * @param config the settings
     * @param pages  number of pages in the database file
     * @return the model
     */
    public static WalSim withSyntheticDb(Config config, int pages) {
        byte[] file = new byte[pages * config.pageSize()];
        for (int p = 1; p <= pages; p++) {
            System.arraycopy(PageContent.synthetic(config.pageSize(), p, 0), 0, file, (p - 1) * config.pageSize(),
                    config.pageSize());
        }
        return new WalSim(config, file);
    }

    // ---------------------------------------------------------------------------------------------
    // Accessors

    /**
     * The settings.
     *
     * @return the settings the model was built with
     */
    public Config config() {
        return config;
    }

    /**
     * Page size in bytes.
     *
     * @return the page size
     */
    public int pageSize() {
        return pageSize;
    }

    /**
     * The database file.
     *
     * @return the simulated database file (live, owned by the model)
     */
    public SimFile dbFile() {
        return db;
    }

    /**
     * The WAL file.
     *
     * @return the simulated WAL file (live, owned by the model; empty when there is no WAL)
     */
    public SimFile walFile() {
        return wal;
    }

    /**
     * The wal-index, or null when no connection has it (after a crash or the last close; the next reader recovers).
     *
     * @return the live wal-index state, or null
     */
    public WalIndexState walIndex() {
        return shm;
    }

    /**
     * The open connections.
     *
     * @return a live view of the open connections, in opening order
     */
    public Collection<SimConnection> connections() {
        return connections.values();
    }

    /**
     * Connection {@code name}, opened on first use.
     *
     * @param name the connection's name
     * @return the connection
     */
    public SimConnection connection(String name) {
        return connections.computeIfAbsent(name, n -> new SimConnection(n, config.autocheckpoint()));
    }

    /**
     * PRAGMA wal_autocheckpoint={@code frames} on connection {@code name} (0 turns it off).
     *
     * @param name   the connection (opened if needed)
     * @param frames the threshold in frames; 0 or negative turns it off
     */
    public void setAutocheckpoint(String name, int frames) {
        connection(name).autocheckpoint = Math.max(0, frames);
    }

    /**
     * Whether connection {@code name} is open.
     *
     * @param name the connection's name
     * @return true if it is open
     */
    public boolean isOpen(String name) {
        return connections.containsKey(name);
    }

    /**
     * The committed images, oldest first: the initial image, then one per commit (and per crash recovery).
     *
     * @return an immutable copy of the history
     */
    public List<DbImage> history() {
        return List.copyOf(history);
    }

    /**
     * The current committed image (what a new reader must see).
     *
     * @return the latest committed image
     */
    public DbImage latestImage() {
        return history.get(latest);
    }

    /**
     * Index of {@link #latestImage()} in {@link #history()}.
     *
     * @return the 0-based index
     */
    public int latestIndex() {
        return latest;
    }

    /**
     * Files copied with {@link #copyFile}, by name.
     *
     * @return an unmodifiable view, in copy order; the arrays are the model's own (do not modify)
     */
    public Map<String, byte[]> copies() {
        return java.util.Collections.unmodifiableMap(copies);
    }

    /**
     * Number of WAL restarts (walRestartHdr calls) so far.
     *
     * @return the count
     */
    public int restarts() {
        return restarts;
    }

    /**
     * What the last operation did beyond its result (restarts, copies, recoveries), then cleared.
     *
     * @return the notes since the last call, oldest first (empty if none)
     */
    public List<String> drainNotes() {
        List<String> out = List.copyOf(notes);
        notes.clear();
        return out;
    }

    /**
     * Whether an armed crash point stopped the model mid-operation.
     *
     * @return true until {@link #crash} runs
     */
    public boolean halted() {
        return halted;
    }

    /**
     * Makes the {@code occurrence}-th (1-based) pass through crash point {@code point} stop the
     * model: that pass throws {@link CrashPointReached}. Replaces any point armed before.
     *
     * @param point      the crash point
     * @param occurrence which pass stops the model, 1-based
     */
    public void armCrash(CrashPoint point, int occurrence) {
        armedPoint = java.util.Objects.requireNonNull(point);
        armedCount = occurrence;
    }

    /** A crash point: stops the model here when it is the armed one. */
    void point(CrashPoint name) {
        if (name == armedPoint && --armedCount == 0) {
            armedPoint = null;
            halted = true;
            throw new CrashPointReached(name);
        }
    }

    /** A connection inside a checkpoint's sub-steps is inside one API call: it can do nothing else. */
    private void requireIdle(String name) {
        if (checkpointer.inCheckpoint(name)) {
            throw new StepRejectedException(name + " is inside a checkpoint (ckpt-end " + name + " first)");
        }
    }

    private void requireRunning() {
        if (halted) {
            throw new StepRejectedException("the model stopped at a crash point; only crash is possible");
        }
    }

    /**
     * Starts from an observed wal-index instead of recovery (e.g. one read from a live {@code -shm}
     * whose WAL is empty or matches this model's WAL file). Only before any connection used the model.
     *
     * @param mxFrame            the header's mxFrame (last valid commit frame, 0 for none)
     * @param nPage              the header's nPage (database size in pages)
     * @param nBackfill          the checkpoint info's nBackfill
     * @param nBackfillAttempted the checkpoint info's nBackfillAttempted
     * @param readMarks          aReadMark[0..4] (at least 5 entries; READMARK_NOT_USED 0xffffffff,
     *                           i.e. -1, for an unused slot)
     * @param salt1              the header's aSalt[0]
     * @param salt2              the header's aSalt[1]
     * @throws IllegalStateException    if the model already has a wal-index
     * @throws IllegalArgumentException if the WAL file does not have exactly {@code mxFrame}
     *                                  committed frames
     */
    public void adoptWalIndex(int mxFrame, int nPage, int nBackfill, int nBackfillAttempted, int[] readMarks,
                              int salt1, int salt2) {
        if (shm != null) {
            throw new IllegalStateException("the model already has a wal-index");
        }
        WalIndexState s = new WalIndexState();
        if (mxFrame > 0) {
            WalScan scan = WalScanner.scan(ByteSource.of(wal.bytes(), wal.name()));
            if (scan.mxFrame() != mxFrame) {
                throw new IllegalArgumentException("the WAL has " + scan.mxFrame() + " committed frames, not " + mxFrame);
            }
            for (int f = 1; f <= mxFrame; f++) {
                s.setFramePage(f, scan.frameHeader(f).pageNumber());
            }
            s.frameChecksum = scan.lastCommitChecksum();
        }
        if (wal.size() >= WalFormat.HEADER_SIZE) {
            s.bigEndCksum = (ByteBuffer.wrap(wal.read(0, 4)).getInt() & 1) != 0;
        }
        s.mxFrame = mxFrame;
        s.nPage = nPage;
        s.nBackfill = nBackfill;
        s.nBackfillAttempted = nBackfillAttempted;
        System.arraycopy(readMarks, 0, s.readMarks, 0, 5);
        s.salt1 = salt1;
        s.salt2 = salt2;
        shm = s;
    }

    /**
     * Starts from the header and checkpoint info of an observed {@code -shm} (every field,
     * including iChange, aFrameCksum and bigEndCksum, so {@link #shmImage()} can be compared with
     * the real file byte for byte). Only before any connection used the model.
     *
     * @param hdr  the observed wal-index header
     * @param info the observed checkpoint info
     * @throws IllegalStateException    if the model already has a wal-index
     * @throws IllegalArgumentException if the WAL file does not have exactly {@code hdr.mxFrame()}
     *                                  committed frames
     */
    public void adoptWalIndex(WalIndexHeader hdr, CheckpointInfo info) {
        adoptWalIndex(hdr.mxFrame(), hdr.nPage(), info.nBackfill(), info.nBackfillAttempted(), info.aReadMark(),
                hdr.salt1(), hdr.salt2());
        shm.iChange = hdr.change();
        shm.frameChecksum = hdr.frameChecksum();
        shm.bigEndCksum = hdr.bigEndCksum() != 0;
        shm.szPageSet = hdr.szPage() != 0;
    }

    /**
     * The wal-index ({@code -shm}) bytes of the model's current state as a little-endian host's
     * SQLite would have them: both header copies (walIndexWriteHdr: isInit, iVersion, iChange,
     * bigEndCksum, szPage, mxFrame, nPage, aFrameCksum, aSalt, aCksum), the checkpoint info
     * (nBackfill, aReadMark, nBackfillAttempted; aLock and notUsed0 zero) and, in each 32 KiB
     * region, aPgno and the hash table for frames 1..mxFrame and the frames an open write
     * transaction has spilled (walIndexAppend). Entries SQLite may still hold for frames beyond
     * mxFrame of older generations (after a restart, until overwritten) are not reproduced. Null when no connection has the wal-index (after a crash or the last close).
     *
     * @return a fresh array of whole 32 KiB regions, or null
     */
    public byte[] shmImage() {
        if (shm == null) {
            return null;
        }
        // walIndexAppend runs for spilled frames too: an open write transaction's frames are indexed.
        int indexed = shm.mxFrame;
        for (SimConnection c : connections.values()) {
            indexed = Math.max(indexed, c.txMxFrame);
        }
        return WalBytes.shmImage(shm, pageSize, indexed);
    }

    // ---------------------------------------------------------------------------------------------
    // Read transactions (walTryBeginRead, sqlite3WalEndReadTransaction)

    /**
     * Begins a read transaction on {@code name} (walTryBeginRead): slot 0 when the WAL is fully
     * backfilled, else the WAL slot with the largest mark ≤ mxFrame, raising a free slot's mark
     * to mxFrame when the best mark is lower.
     *
     * @param name the connection (opened if needed; recovers the wal-index if none exists)
     * @return SQLITE_OK or SQLITE_BUSY (no usable slot: all four held with marks above mxFrame or unset)
     */
    public ResultCode beginRead(String name) {
        requireRunning();
        requireIdle(name);
        return reader.beginRead(name);
    }

    /**
     * Ends {@code name}'s read transaction (releases its read lock); nothing when it has none.
     *
     * @param name the connection
     */
    public void endRead(String name) {
        requireRunning();
        requireIdle(name);
        reader.endRead(name);
    }

    /**
     * Takes the WRITE lock for {@code name} and keeps it (BEGIN IMMEDIATE; SQLite:
     * sqlite3WalBeginWriteTransaction), beginning a read transaction first if it has none.
     *
     * @param name the connection
     * @return SQLITE_OK, SQLITE_BUSY (another connection writes) or SQLITE_BUSY_SNAPSHOT (its read
     *         transaction is not on the latest snapshot)
     */
    public ResultCode beginWrite(String name) {
        requireRunning();
        requireIdle(name);
        return writer.beginWrite(name);
    }

    /**
     * Rolls back {@code name}'s open write transaction: releases the WRITE lock and the read lock.
     * Frames it spilled stay in the WAL file beyond mxFrame. Nothing when {@code name} is not open.
     *
     * @param name the connection
     */
    public void rollback(String name) {
        requireRunning();
        requireIdle(name);
        SimConnection c = connections.get(name);
        if (c == null) {
            return;
        }
        c.endWriteTransaction();
        endRead(name);
    }

    /**
     * Reads page {@code pageNumber} as {@code name}'s open read transaction sees it (walFindFrame
     * within [minFrame, snapshot mxFrame], else the database file); null past the snapshot's end.
     *
     * @param name       a connection with an open read transaction
     * @param pageNumber 1-based page number
     * @return a fresh copy of the page, or null past the snapshot's end
     * @throws StepRejectedException if {@code name} has no read transaction
     */
    public byte[] readPage(String name, int pageNumber) {
        return reader.readPage(name, pageNumber);
    }

    /**
     * The whole image {@code name}'s read transaction sees.
     *
     * @param name a connection with an open read transaction
     * @return every page of its snapshot, read as {@link #readPage} would
     */
    public DbImage readerImage(String name) {
        return reader.readerImage(name);
    }

    /**
     * Declares the byte order of the host {@code name} runs on (SQLITE_BIGENDIAN): a WAL header it
     * writes gets magic 0x377f0683 (big-endian checksum words) when true, 0x377f0682 when false;
     * frames it appends use the order of the header already in the WAL. Default false (x86, ARM).
     *
     * @param name      the connection (opened if needed)
     * @param bigEndian true for a big-endian host
     */
    public void setNativeBigEndian(String name, boolean bigEndian) {
        connection(name).nativeBigEndian = bigEndian;
    }

    /**
     * Index into {@link #history()} of the image {@code name}'s open read transaction should see.
     *
     * @param name an open connection (a {@code NullPointerException} otherwise)
     * @return the 0-based history index recorded when its read transaction began
     */
    public int readerSnapshotIndex(String name) {
        return connections.get(name).snapshotImage;
    }

    /** The database file's size in whole pages. */
    int dbPages() {
        return (int) (db.size() / pageSize);
    }

    // ---------------------------------------------------------------------------------------------
    // Recovery (walIndexRecover) and the wal-index

    /** Recovers the wal-index (walIndexRecover) when no connection has one. */
    void ensureWalIndex(SimConnection c) {
        if (shm != null) {
            return;
        }
        if (db.size() == 0 && wal.exists()) {
            // pagerOpenWalIfPresent: a zero-length database with a WAL deletes the WAL.
            wal.delete();
            notes.add("database file is empty: WAL deleted on open");
        }
        shm = WalIndexState.recover(wal, pageSize, c);
        if (shm.mxFrame != 0) {
            notes.add("recovery by " + c.name + ": mxFrame=" + shm.mxFrame + " nPage=" + shm.nPage);
        }
    }

    /** walRestartHdr: a new WAL generation in the wal-index only; the WAL file is untouched. */
    void restartHdr(SimConnection c, int salt) {
        if (shm.nBackfill != shm.mxFrame || locks.walReaders() > 0) {
            restartViolations.add("restart with nBackfill=" + shm.nBackfill + " mxFrame=" + shm.mxFrame
                    + " WAL readers=" + locks.walReaders());
        }
        c.nCkpt++;
        shm.restartHdr(salt);
        restarts++;
        notes.add(String.format("WAL restarted by %s: salts now %08x,%08x, nCkpt %d", c.name, shm.salt1, shm.salt2,
                c.nCkpt));
        point(CrashPoint.WAL_RESTARTED);
    }

    // ---------------------------------------------------------------------------------------------
    // Write transactions (sqlite3WalBeginWriteTransaction, walRestartLog, walFrames)

    /**
     * Commits one transaction by {@code name} that writes {@code pages} and leaves the database
     * {@code commitSize} pages long. Uses the connection's open read transaction if any (which
     * must be on the latest snapshot), else an implicit one; the read transaction ends with the
     * commit. Then runs the automatic checkpoint if the connection's threshold is reached.
     *
     * @param name       the connection (opened if needed)
     * @param pages      the pages written, in the order their frames are appended
     * @param commitSize the database size in pages after the commit (the commit frame's nTruncate)
     * @return the frames written, whether the WAL restarted, and the autocheckpoint's result
     */
    public CommitResult commit(String name, List<PageWrite> pages, int commitSize) {
        requireRunning();
        requireIdle(name);
        CommitResult r = writer.commit(name, pages, commitSize);
        SimConnection c = connection(name);
        if (r.ok() && c.autocheckpoint > 0 && Integer.compareUnsigned(shm.mxFrame, c.autocheckpoint) >= 0) {
            // sqlite3WalDefaultHook: a PASSIVE checkpoint once the WAL holds N frames after a commit.
            CheckpointResult auto = checkpoint(name, CheckpointMode.PASSIVE);
            return new CommitResult(r.status(), r.firstFrame(), r.lastFrame(), r.restarted(), auto);
        }
        return r;
    }

    /** Records a new committed image as the latest (the writer's commit is durable in the WAL's protocol sense). */
    void recordCommit(DbImage image) {
        history.add(image);
        inflight = null;
        latest = history.size() - 1;
    }

    /**
     * {@code name}'s open write transaction spills {@code pages} to the WAL before commit
     * (pagerStress → pagerWalFrames with isCommit=0, one page per call, docs/format-notes.md, "Frames written mid-transaction"): takes the WRITE
     * lock and restarts the WAL as a commit would (walRestartLog), then each page either overwrites
     * its own earlier frame of this transaction in place (data only; the frame's stored checksum
     * goes stale and {@code iReCksum} records the first such frame) or is appended as a non-commit
     * frame; once an overwrite happened, appended frames carry zero salts and checksums
     * (walEncodeFrame) until the commit rewrites them (walRewriteChecksums). Nothing is synced
     * except a new WAL header; the wal-index header is unchanged (its aPgno gets the new frames).
     *
     * @param name  the connection (opened if needed)
     * @param pages the pages spilled, one frame each, in order
     * @return SQLITE_OK, or SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT as for {@link #beginWrite}
     */
    public ResultCode spill(String name, List<PageWrite> pages) {
        requireRunning();
        requireIdle(name);
        return writer.spill(name, pages);
    }

    // ---------------------------------------------------------------------------------------------
    // Checkpoints (sqlite3WalCheckpoint, walCheckpoint)

    /**
     * {@code PRAGMA wal_checkpoint(mode)} on connection {@code name}, with no busy handler that
     * could succeed (busy_timeout=0): sqlite3WalCheckpoint then walCheckpoint, literally.
     *
     * @param name the connection (opened if needed)
     * @param mode PASSIVE, FULL, RESTART or TRUNCATE
     * @return the result row (busy, log, checkpointed) and status
     */
    public CheckpointResult checkpoint(String name, CheckpointMode mode) {
        return checkpoint(name, mode, false);
    }

    /**
     * {@code PRAGMA wal_checkpoint(mode)} on {@code name}. With {@code waitSucceeds}, the busy
     * handler of FULL/RESTART/TRUNCATE (a long busy_timeout) succeeds: whoever it waits for
     * finishes first — readers holding the awaited READi end their read transactions, a connection
     * holding WRITE rolls back. PASSIVE never waits.
     *
     * @param name         the connection (opened if needed)
     * @param mode         PASSIVE, FULL, RESTART or TRUNCATE
     * @param waitSucceeds whether the busy handler's wait succeeds
     * @return the result row (busy, log, checkpointed) and status
     */
    public CheckpointResult checkpoint(String name, CheckpointMode mode, boolean waitSucceeds) {
        requireRunning();
        requireIdle(name);
        return checkpointer.checkpoint(name, mode, waitSucceeds);
    }

    /**
     * Sub-step 1 of {@code PRAGMA wal_checkpoint(mode)} on {@code name} (see {@code Checkpointer}):
     * takes CKPT (and WRITE for FULL and up, or degrades to PASSIVE) and reads the wal-index header
     * into the checkpoint's snapshot. Other connections may act before the next sub-step; {@code
     * name} itself can only continue its checkpoint.
     *
     * @param name         the connection (opened if needed)
     * @param mode         PASSIVE, FULL, RESTART or TRUNCATE
     * @param waitSucceeds whether the busy handler's wait succeeds
     * @return the result row when the checkpoint ends here (SQLITE_LOCKED; busy because another
     *         checkpoint holds CKPT), else null
     */
    public CheckpointResult checkpointBegin(String name, CheckpointMode mode, boolean waitSucceeds) {
        requireRunning();
        return checkpointer.begin(name, mode, waitSucceeds);
    }

    /**
     * Sub-step 2 of {@code name}'s checkpoint: the nBackfill test against the snapshot, the read
     * marks (mxSafeFrame) and the iterator over the live wal-index.
     *
     * @param name a connection inside a checkpoint ({@link #checkpointBegin} first)
     */
    public void checkpointMarks(String name) {
        requireRunning();
        checkpointer.advance(name, Checkpointer.Phase.MARKS);
    }

    /**
     * Sub-step 3 of {@code name}'s checkpoint (sub-step 2 first if it was skipped): under READ0,
     * the {@link CheckpointRule}'s salt re-check, the backfill and nBackfill.
     *
     * @param name a connection inside a checkpoint ({@link #checkpointBegin} first)
     */
    public void checkpointCopy(String name) {
        requireRunning();
        checkpointer.advance(name, Checkpointer.Phase.COPY);
    }

    /**
     * The last sub-step of {@code name}'s checkpoint (the skipped ones first): completion and the result row.
     *
     * @param name a connection inside a checkpoint ({@link #checkpointBegin} first)
     * @return the checkpoint's result
     */
    public CheckpointResult checkpointEnd(String name) {
        requireRunning();
        return checkpointer.advance(name, Checkpointer.Phase.END);
    }

    /**
     * Whether {@code name} is between the sub-steps of a checkpoint.
     *
     * @param name the connection
     * @return true between {@link #checkpointBegin} and {@link #checkpointEnd}
     */
    public boolean inCheckpoint(String name) {
        return checkpointer.inCheckpoint(name);
    }

    /**
     * The mxFrame of the header snapshot {@code name}'s checkpoint in progress works from.
     *
     * @param name a connection inside a checkpoint
     * @return the snapshot's mxFrame
     */
    public int checkpointSnapshotMxFrame(String name) {
        return checkpointer.snapshotMxFrame(name);
    }

    /**
     * The mxSafeFrame of {@code name}'s checkpoint in progress (0 before its read-mark sub-step).
     *
     * @param name a connection inside a checkpoint
     * @return the last frame the checkpoint may backfill, or 0
     */
    public int checkpointMxSafeFrame(String name) {
        return checkpointer.mxSafeFrame(name);
    }

    /**
     * walRestartLog on its own, by {@code name} holding the WRITE lock ({@link #beginWrite}) with no
     * frames written yet: restarts the WAL when {@code name} reads on slot 0, nBackfill &gt; 0 and
     * no connection holds READ1..4, then moves {@code name}'s read lock to a WAL slot. The later
     * commit or spill appends to the restarted log. Returns whether the WAL was restarted.
     *
     * @param name a connection holding the WRITE lock
     * @return true if the WAL was restarted
     */
    public boolean restartLog(String name) {
        requireRunning();
        requireIdle(name);
        return writer.restartLogStep(name);
    }

    // ---------------------------------------------------------------------------------------------
    // Close and crash

    /**
     * Closes connection {@code name} (sqlite3WalClose): the last connection checkpoints (PASSIVE),
     * then deletes the WAL, truncates it (persistent WAL with journal_size_limit ≥ 0) or leaves it.
     *
     * @param name the connection; nothing happens when it is not open
     * @return the close checkpoint's result, or null if other connections were still open (or
     *         {@code name} was not open)
     */
    public CheckpointResult close(String name) {
        requireRunning();
        requireIdle(name);
        SimConnection c = connections.get(name);
        if (c == null) {
            return null;
        }
        c.endWriteTransaction();
        endRead(name);
        if (connections.size() > 1) {
            connections.remove(name);
            return null;
        }
        CheckpointResult r = checkpoint(name, CheckpointMode.PASSIVE);
        if (r.returnedRow()) {
            if (!config.persistentWal()) {
                wal.delete();
                notes.add("last close: checkpointed, WAL deleted");
            } else if (config.journalSizeLimit() >= 0) {
                wal.truncate(0);
                notes.add("last close: checkpointed, persistent WAL truncated to 0");
            } else {
                notes.add("last close: checkpointed, persistent WAL left as is");
            }
        }
        connections.remove(name);
        shm = null; // the next opener finds no other user and rebuilds the -shm by recovery
        return r;
    }

    /**
     * Power loss (or process crash with {@link CrashPolicy#keepAll()}): every connection and the
     * wal-index vanish; each file keeps the pending operations its policy selects. The recovered
     * logical image is recorded in the history, labelled with the commit it equals, if any.
     *
     * @param policy which pending writes each file keeps, and the seed of its choices
     * @return the recovered image
     */
    public DbImage crash(CrashPolicy policy) {
        RandomGenerator r = new java.util.SplittableRandom(policy.seed());
        String d = db.crash(policy.db(), r, policy.dbMask());
        String w = wal.crash(policy.wal(), r, policy.walMask());
        notes.add("crash (" + policy + "): db " + d + ", wal " + w);
        connections.clear();
        locks.clear();
        checkpointer.clear();
        shm = null;
        halted = false;
        armedPoint = null;
        DbImage rec = LogicalImage.of(db.bytes(), wal.exists() ? wal.bytes() : null, pageSize);
        int match = findCommitted(rec);
        DbImage labelled;
        if (match >= 0) {
            DbImage m = history.get(match);
            labelled = new DbImage("recovered = " + m.label(), rec.pages(), m.origin().inFlight()
                    ? DbImage.Origin.RECOVERED_IN_FLIGHT : DbImage.Origin.RECOVERED_COMMITTED);
        } else if (inflight != null && inflight.samePages(rec)) {
            labelled = new DbImage("recovered = " + inflight.label(), rec.pages(), DbImage.Origin.RECOVERED_IN_FLIGHT);
        } else {
            labelled = new DbImage("recovered, equals no committed image", rec.pages(), DbImage.Origin.RECOVERED_UNCOMMITTED);
        }
        lastAcknowledged = latest;
        inflight = null;
        history.add(labelled);
        latest = history.size() - 1;
        notes.add(labelled.label());
        return labelled;
    }

    /**
     * History index of the last commit acknowledged before the most recent crash, or -1 if no crash happened.
     *
     * @return the 0-based history index, or -1
     */
    public int lastAcknowledgedBeforeCrash() {
        return lastAcknowledged;
    }

    /**
     * The newest history index whose image equals {@code image} (page by page), or -1. Images
     * recovered as {@link DbImage.Origin#RECOVERED_UNCOMMITTED} never match.
     *
     * @param image the image to look for
     * @return the 0-based history index, or -1
     */
    public int findCommitted(DbImage image) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).samePages(image) && history.get(i).origin() != DbImage.Origin.RECOVERED_UNCOMMITTED) {
                return i;
            }
        }
        return -1;
    }

    /**
     * "Copy file X now" for backup races: stores the current bytes of {@code file} (the -shm as
     * {@link #shmImage()}) as {@code as}; null (and stored as absent) when the file does not exist.
     *
     * @param file which file to copy
     * @param as   the name the copy is stored under in {@link #copies()} (replaces an earlier one)
     * @return the copied bytes, or null when the file does not exist
     */
    public byte[] copyFile(SimFileKind file, String as) {
        requireRunning();
        byte[] bytes = switch (file) {
            case DB -> db.bytes();
            case WAL -> wal.exists() ? wal.bytes() : null;
            case SHM -> shmImage();
        };
        copies.put(as, bytes);
        notes.add("copied " + file + " as " + as + " (" + (bytes == null ? "no file" : bytes.length + " bytes") + ")");
        return bytes;
    }

    /**
     * The latest image as the database + WAL files now imply it (what a new connection would read).
     *
     * @return the image: recovered from the files when there is no wal-index, else the database
     *         file overlaid with frames (nBackfill, mxFrame]
     */
    public DbImage impliedImage() {
        if (shm == null) {
            return LogicalImage.of(db.bytes(), wal.exists() ? wal.bytes() : null, pageSize);
        }
        int nPage = shm.mxFrame == 0 ? dbPages() : shm.nPage;
        byte[][] pages = new byte[nPage][];
        for (int p = 1; p <= nPage; p++) {
            int f = shm.findFrame(p, shm.nBackfill + 1, shm.mxFrame);
            pages[p - 1] = f > 0 ? WalBytes.framePage(wal, f, pageSize) : db.read((long) (p - 1) * pageSize, pageSize);
        }
        return new DbImage("db + frames (nBackfill, mxFrame]", pages);
    }

    /**
     * The frame headers of the WAL's valid prefix, read back with wal-format's scanner.
     *
     * @return frames 1..mxFrame of the last valid commit, in order (empty when there is no WAL)
     */
    public List<WalFrameHeader> walFrames() {
        if (!wal.exists()) {
            return List.of();
        }
        WalScan scan = WalScanner.scan(ByteSource.of(wal.bytes(), wal.name()));
        List<WalFrameHeader> out = new ArrayList<>();
        for (int f = 1; f <= scan.mxFrame(); f++) {
            out.add(scan.frameHeader(f));
        }
        return out;
    }

    /**
     * Restarts that happened when docs/format-notes.md, "When the WAL restarts" forbid them (always empty unless the model is wrong).
     *
     * @return one line per violating restart, oldest first
     */
    public List<String> restartViolations() {
        return List.copyOf(restartViolations);
    }

    /**
     * How many connections hold READ{@code slot} (SQLite: the shared WAL_READ_LOCK(slot)).
     *
     * @param slot the read-mark slot, 0..4
     * @return the number of holders (0 when none)
     */
    public int readLockHolders(int slot) {
        return locks.holders(slot);
    }
}
