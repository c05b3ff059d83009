package io.walkit.sim;

import io.walkit.io.ByteSource;
import io.walkit.wal.CheckpointInfo;
import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalFrameHeader;
import io.walkit.wal.WalHeader;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalIndexBuilder;
import io.walkit.wal.WalIndexHeader;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import it.unimi.dsi.fastutil.ints.Int2IntAVLTreeMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectAVLTreeMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
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
 */
public final class WalSim {

    /** SQLite's PRAGMA synchronous levels relevant to WAL mode. */
    public enum Synchronous { OFF, NORMAL, FULL }

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
     */
    public record Config(int pageSize, FsyncMode fsync, Synchronous synchronous, boolean persistentWal,
                         long journalSizeLimit, int autocheckpoint, long saltSeed, int sectorSize) {

        /** 4096-byte pages, honest fsync, synchronous FULL, no persistent WAL, no limit, autocheckpoint off. */
        public static Config defaults() {
            return new Config(4096, FsyncMode.HONEST, Synchronous.FULL, false, -1, 0, 1, 0);
        }

        public Config withSectorSize(int v) { return new Config(pageSize, fsync, synchronous, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, v); }
        public Config withPageSize(int v) { return new Config(v, fsync, synchronous, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, sectorSize); }
        public Config withFsync(FsyncMode v) { return new Config(pageSize, v, synchronous, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, sectorSize); }
        public Config withSynchronous(Synchronous v) { return new Config(pageSize, fsync, v, persistentWal, journalSizeLimit, autocheckpoint, saltSeed, sectorSize); }
        public Config withPersistentWal(boolean v) { return new Config(pageSize, fsync, synchronous, v, journalSizeLimit, autocheckpoint, saltSeed, sectorSize); }
        public Config withJournalSizeLimit(long v) { return new Config(pageSize, fsync, synchronous, persistentWal, v, autocheckpoint, saltSeed, sectorSize); }
        public Config withAutocheckpoint(int v) { return new Config(pageSize, fsync, synchronous, persistentWal, journalSizeLimit, v, saltSeed, sectorSize); }
        public Config withSaltSeed(long v) { return new Config(pageSize, fsync, synchronous, persistentWal, journalSizeLimit, autocheckpoint, v, sectorSize); }
    }

    /** One page written by a transaction; {@code image == null} asks for the synthetic page content. */
    public record PageWrite(int pageNumber, byte[] image) {}

    /**
     * The outcome of a write transaction.
     *
     * @param status          "ok", "SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT"
     * @param firstFrame      first frame written (0 if none)
     * @param lastFrame       the commit frame (0 if none)
     * @param restarted       whether walRestartLog restarted the WAL first
     * @param autocheckpoint  the automatic checkpoint's result, or null if none ran
     */
    public record CommitResult(String status, int firstFrame, int lastFrame, boolean restarted,
                               CheckpointResult autocheckpoint) {
        /** Whether the commit happened. */
        public boolean ok() {
            return status.equals("ok");
        }
    }

    /** Thrown when an armed crash point is reached; the model then accepts only {@link #crash}. */
    public static final class CrashPointReached extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String point;

        CrashPointReached(String point) {
            super("crash point reached: " + point, null, false, false);
            this.point = point;
        }

        /** The point's name. */
        public String point() {
            return point;
        }
    }

    /** Crash-point names, in the order a checkpoint-then-restart passes them (see docs/sim.md). */
    public static final List<String> CRASH_POINTS = List.of(
            "ckpt-wal-synced", "ckpt-page-written", "ckpt-db-truncated", "ckpt-db-synced", "ckpt-backfill-set",
            "wal-restarted", "wal-header-written", "wal-header-synced", "wal-frame-written", "wal-frame-overwritten",
            "wal-commit-synced");

    private final Config config;
    private final int pageSize;
    private final SimFile db;
    private final SimFile wal;
    private WalIndexState shm;
    private final Map<String, SimConnection> connections = new LinkedHashMap<>();
    private final int[] readShared = new int[WalFormat.READ_MARK_COUNT];
    private final List<DbImage> history = new ArrayList<>();
    private int latest;
    private final RandomGenerator saltRandom;
    private final Map<String, byte[]> copies = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private String armedPoint;
    private int armedCount;
    private boolean halted;
    private int restarts;
    private DbImage inflight;
    private int lastAcknowledged = -1;
    private boolean waitSucceeds;
    private final List<String> restartViolations = new ArrayList<>();

    /**
     * A model whose database file durably holds {@code initialDb} (whole pages) and whose WAL does
     * not exist.
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
        history.add(DbImage.ofFile("initial", initialDb, pageSize));
    }

    /**
     * A model whose database and WAL files durably hold the given bytes (e.g. files copied from a
     * live system, or left by a crash) and whose wal-index is gone: the first connection recovers.
     * The history starts with the image SQLite would read from the pair.
     *
     * @param wal the WAL file's bytes, or null for no WAL file
     */
    public static WalSim fromFiles(Config config, byte[] db, byte[] wal) {
        WalSim sim = new WalSim(config, db);
        if (wal != null) {
            sim.wal.write(0, wal);
            sim.wal.syncHonestly();
            sim.history.set(0, new DbImage("initial (db + WAL)", LogicalImage.of(db, wal, config.pageSize()).pages()));
        }
        return sim;
    }

    /** A model with {@code pages} synthetic pages (version 0) in the database file. */
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

    /** The settings. */
    public Config config() {
        return config;
    }

    /** Page size in bytes. */
    public int pageSize() {
        return pageSize;
    }

    /** The database file. */
    public SimFile dbFile() {
        return db;
    }

    /** The WAL file. */
    public SimFile walFile() {
        return wal;
    }

    /** The wal-index, or null when no connection has it (after a crash or the last close; the next reader recovers). */
    public WalIndexState walIndex() {
        return shm;
    }

    /** The open connections. */
    public Collection<SimConnection> connections() {
        return connections.values();
    }

    /** Connection {@code name}, opened on first use. */
    public SimConnection connection(String name) {
        return connections.computeIfAbsent(name, n -> new SimConnection(n, config.autocheckpoint()));
    }

    /** PRAGMA wal_autocheckpoint={@code frames} on connection {@code name} (0 turns it off). */
    public void setAutocheckpoint(String name, int frames) {
        connection(name).autocheckpoint = Math.max(0, frames);
    }

    /** Whether connection {@code name} is open. */
    public boolean isOpen(String name) {
        return connections.containsKey(name);
    }

    /** The committed images, oldest first: the initial image, then one per commit (and per crash recovery). */
    public List<DbImage> history() {
        return List.copyOf(history);
    }

    /** The current committed image (what a new reader must see). */
    public DbImage latestImage() {
        return history.get(latest);
    }

    /** Index of {@link #latestImage()} in {@link #history()}. */
    public int latestIndex() {
        return latest;
    }

    /** Files copied with {@link #copyFile}, by name. */
    public Map<String, byte[]> copies() {
        return copies;
    }

    /** Number of WAL restarts (walRestartHdr calls) so far. */
    public int restarts() {
        return restarts;
    }

    /** What the last operation did beyond its result (restarts, copies, recoveries), then cleared. */
    public List<String> drainNotes() {
        List<String> out = List.copyOf(notes);
        notes.clear();
        return out;
    }

    /** Whether an armed crash point stopped the model mid-operation. */
    public boolean halted() {
        return halted;
    }

    /** Makes the {@code occurrence}-th (1-based) pass through crash point {@code point} stop the model. */
    public void armCrash(String point, int occurrence) {
        if (!CRASH_POINTS.contains(point)) {
            throw new IllegalArgumentException("unknown crash point " + point + "; known: " + CRASH_POINTS);
        }
        armedPoint = point;
        armedCount = occurrence;
    }

    private void point(String name) {
        if (name.equals(armedPoint) && --armedCount == 0) {
            armedPoint = null;
            halted = true;
            throw new CrashPointReached(name);
        }
    }

    private void requireRunning() {
        if (halted) {
            throw new IllegalStateException("the model stopped at a crash point; only crash is possible");
        }
    }

    /**
     * Starts from an observed wal-index instead of recovery (e.g. one read from a live {@code -shm}
     * whose WAL is empty or matches this model's WAL file). Only before any connection used the model.
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
     */
    public void adoptWalIndex(WalIndexHeader hdr, CheckpointInfo info) {
        adoptWalIndex(hdr.mxFrame(), hdr.pageCount(), info.backfill(), info.backfillAttempted(), info.readMarks(),
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
     */
    public byte[] shmImage() {
        if (shm == null) {
            return null;
        }
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        int mx = shm.mxFrame;
        // walIndexAppend runs for spilled frames too: an open write transaction's frames are indexed.
        int indexed = mx;
        for (SimConnection c : connections.values()) {
            indexed = Math.max(indexed, c.txMxFrame);
        }
        long regions = WalIndex.regionOf(Math.max(indexed, 1)) + 1;
        byte[] image = new byte[(int) (regions * WalFormat.SHM_REGION_SIZE)];
        ByteBuffer b = ByteBuffer.wrap(image).order(order);
        WalIndexHeader h = WalIndexHeader.create(order, shm.iChange, shm.bigEndCksum, shm.szPageSet ? pageSize : 0, mx,
                shm.nPage, shm.frameChecksum, shm.salt1, shm.salt2);
        byte[] hdr = h.encode(order);
        System.arraycopy(hdr, 0, image, 0, WalIndexHeader.SIZE);
        System.arraycopy(hdr, 0, image, WalIndexHeader.SIZE, WalIndexHeader.SIZE);
        int ck = WalFormat.SHM_CKPT_INFO_OFFSET;
        b.putInt(ck, shm.nBackfill);
        for (int i = 0; i < WalFormat.READ_MARK_COUNT; i++) {
            b.putInt(ck + 4 + 4 * i, shm.readMarks[i]);
        }
        b.putInt(ck + 32, shm.nBackfillAttempted);
        for (int f = 1; f <= indexed; f++) {
            WalIndexBuilder.append(b, f, shm.framePage(f));
        }
        return image;
    }

    // ---------------------------------------------------------------------------------------------
    // Read transactions (walTryBeginRead, sqlite3WalEndReadTransaction)

    /**
     * Begins a read transaction on {@code name} (walTryBeginRead): slot 0 when the WAL is fully
     * backfilled, else the WAL slot with the largest mark ≤ mxFrame, raising a free slot's mark
     * to mxFrame when the best mark is lower.
     *
     * @return "ok" or "SQLITE_BUSY" (no usable slot: all four held with marks above mxFrame or unset)
     */
    public String beginRead(String name) {
        requireRunning();
        SimConnection c = connection(name);
        if (c.readLock >= 0) {
            return "ok";
        }
        ensureWalIndex(c);
        return tryBeginRead(c, false) ? "ok" : "SQLITE_BUSY";
    }

    private boolean tryBeginRead(SimConnection c, boolean useWal) {
        if (!useWal && shm.nBackfill == shm.mxFrame) {
            // Everything is in the db file: read it alone under READ0 (aReadMark[0] is always 0).
            readShared[0]++;
            c.readLock = 0;
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
                if (readShared[i] == 0) { // EXCLUSIVE on READi succeeds only when nobody holds it
                    shm.readMarks[i] = mxFrame;
                    mxI = i;
                    break;
                }
            }
        }
        if (mxI == 0) {
            return false;
        }
        readShared[mxI]++;
        c.readLock = mxI;
        snapshot(c);
        return true;
    }

    private void snapshot(SimConnection c) {
        c.snapMxFrame = shm.mxFrame;
        c.snapNPage = shm.nPage;
        c.minFrame = shm.nBackfill + 1;
        c.snapshotImage = latest;
    }

    /** Ends {@code name}'s read transaction (releases its read lock). */
    public void endRead(String name) {
        requireRunning();
        SimConnection c = connections.get(name);
        if (c == null || c.readLock < 0) {
            return;
        }
        readShared[c.readLock]--;
        c.readLock = -1;
    }

    /** Takes the WRITE lock for {@code name} and keeps it (BEGIN IMMEDIATE): "ok", "SQLITE_BUSY" or "SQLITE_BUSY_SNAPSHOT". */
    public String beginWrite(String name) {
        requireRunning();
        SimConnection c = connection(name);
        if (c.writeLock) {
            return "ok";
        }
        if (writeLockHolder() != null) {
            return "SQLITE_BUSY";
        }
        if (c.readLock < 0) {
            ensureWalIndex(c);
            if (!tryBeginRead(c, false)) {
                return "SQLITE_BUSY";
            }
        }
        if (c.snapMxFrame != shm.mxFrame || c.snapshotImage != latest) {
            return "SQLITE_BUSY_SNAPSHOT";
        }
        c.writeLock = true;
        return "ok";
    }

    /** Rolls back {@code name}'s open write transaction: releases the WRITE lock and the read lock. */
    public void rollback(String name) {
        requireRunning();
        SimConnection c = connections.get(name);
        if (c == null) {
            return;
        }
        c.endWriteTransaction();
        endRead(name);
    }

    private SimConnection writeLockHolder() {
        for (SimConnection c : connections.values()) {
            if (c.writeLock) {
                return c;
            }
        }
        return null;
    }

    /**
     * Reads page {@code pageNumber} as {@code name}'s open read transaction sees it (walFindFrame
     * within [minFrame, snapshot mxFrame], else the database file); null past the snapshot's end.
     */
    public byte[] readPage(String name, int pageNumber) {
        SimConnection c = connections.get(name);
        if (c == null || c.readLock < 0) {
            throw new IllegalStateException(name + " has no read transaction");
        }
        int nPage = c.readLock == 0 || c.snapMxFrame == 0 ? dbPages() : c.snapNPage;
        if (pageNumber > nPage) {
            return null;
        }
        if (c.readLock > 0) {
            int f = newestFrame(pageNumber, c.minFrame, c.snapMxFrame);
            if (f > 0) {
                return framePage(f);
            }
        }
        return db.read((long) (pageNumber - 1) * pageSize, pageSize);
    }

    /** The whole image {@code name}'s read transaction sees. */
    public DbImage readerImage(String name) {
        SimConnection c = connections.get(name);
        int nPage = c.readLock == 0 || c.snapMxFrame == 0 ? dbPages() : c.snapNPage;
        byte[][] pages = new byte[nPage][];
        for (int p = 1; p <= nPage; p++) {
            pages[p - 1] = readPage(name, p);
        }
        return new DbImage("reader " + name, pages);
    }

    /**
     * Declares the byte order of the host {@code name} runs on (SQLITE_BIGENDIAN): a WAL header it
     * writes gets magic 0x377f0683 (big-endian checksum words) when true, 0x377f0682 when false;
     * frames it appends use the order of the header already in the WAL. Default false (x86, ARM).
     */
    public void setNativeBigEndian(String name, boolean bigEndian) {
        connection(name).nativeBigEndian = bigEndian;
    }

    /** Index into {@link #history()} of the image {@code name}'s open read transaction should see. */
    public int readerSnapshotIndex(String name) {
        return connections.get(name).snapshotImage;
    }

    private int dbPages() {
        return (int) (db.size() / pageSize);
    }

    private int newestFrame(int pageNumber, int minFrame, int maxFrame) {
        for (int f = maxFrame; f >= minFrame && f >= 1; f--) {
            if (shm.framePage(f) == pageNumber) {
                return f;
            }
        }
        return 0;
    }

    private byte[] framePage(int frame) {
        return wal.read(WalFormat.frameOffset(frame, pageSize) + WalFormat.FRAME_HEADER_SIZE, pageSize);
    }

    // ---------------------------------------------------------------------------------------------
    // Recovery (walIndexRecover) and the wal-index

    private void ensureWalIndex(SimConnection c) {
        if (shm != null) {
            return;
        }
        if (db.size() == 0 && wal.exists()) {
            // pagerOpenWalIfPresent: a zero-length database with a WAL deletes the WAL.
            wal.delete();
            notes.add("database file is empty: WAL deleted on open");
        }
        shm = recover(c);
        if (shm.mxFrame != 0) {
            notes.add("recovery by " + c.name + ": mxFrame=" + shm.mxFrame + " nPage=" + shm.nPage);
        }
    }

    private WalIndexState recover(SimConnection c) {
        WalIndexState s = new WalIndexState();
        byte[] bytes = wal.bytes();
        if (bytes.length > WalFormat.HEADER_SIZE) {
            WalHeader h = WalHeader.read(java.lang.foreign.MemorySegment.ofArray(bytes), 0);
            if ((h.magic() & 0xFFFFFFFE) == WalFormat.MAGIC_LE && WalFormat.isValidPageSize(Integer.toUnsignedLong(h.pageSize()))) {
                // Loaded before the header checksum is checked (walIndexRecover).
                c.nCkpt = h.checkpointSequence();
                s.salt1 = h.salt1();
                s.salt2 = h.salt2();
                s.bigEndCksum = (h.magic() & 1) != 0;
            }
            WalScan scan = WalScanner.scan(ByteSource.of(bytes, wal.name()));
            if (scan.headerAccepted() && scan.pageSize() == pageSize) {
                s.szPageSet = true;
                for (int f = 1; f <= scan.lastValidFrame(); f++) {
                    s.setFramePage(f, scan.frameHeader(f).pageNumber());
                }
                s.mxFrame = scan.mxFrame();
                s.nPage = scan.databaseSize();
                s.frameChecksum = scan.commitCount() == 0 ? 0 : scan.lastCommitChecksum();
            }
        }
        s.nBackfill = 0;
        s.nBackfillAttempted = s.mxFrame;
        s.readMarks[0] = 0;
        s.readMarks[1] = s.mxFrame != 0 ? s.mxFrame : WalIndexState.NOT_USED;
        for (int i = 2; i < 5; i++) {
            s.readMarks[i] = WalIndexState.NOT_USED;
        }
        return s;
    }

    /** walRestartHdr: a new WAL generation in the wal-index only; the WAL file is untouched. */
    private void restartHdr(SimConnection c, int salt) {
        if (shm.nBackfill != shm.mxFrame || readShared[1] + readShared[2] + readShared[3] + readShared[4] > 0) {
            restartViolations.add("restart with nBackfill=" + shm.nBackfill + " mxFrame=" + shm.mxFrame
                    + " WAL readers=" + (readShared[1] + readShared[2] + readShared[3] + readShared[4]));
        }
        c.nCkpt++;
        shm.mxFrame = 0;
        shm.salt1 = shm.salt1 + 1;
        shm.salt2 = salt;
        shm.nBackfill = 0;
        shm.nBackfillAttempted = 0;
        shm.readMarks[1] = 0;
        for (int i = 2; i < 5; i++) {
            shm.readMarks[i] = WalIndexState.NOT_USED;
        }
        restarts++;
        notes.add(String.format("WAL restarted by %s: salts now %08x,%08x, nCkpt %d", c.name, shm.salt1, shm.salt2,
                c.nCkpt));
        point("wal-restarted");
    }

    // ---------------------------------------------------------------------------------------------
    // Write transactions (sqlite3WalBeginWriteTransaction, walRestartLog, walFrames)

    /**
     * Commits one transaction by {@code name} that writes {@code pages} and leaves the database
     * {@code commitSize} pages long. Uses the connection's open read transaction if any (which
     * must be on the latest snapshot), else an implicit one; the read transaction ends with the
     * commit. Then runs the automatic checkpoint if the connection's threshold is reached.
     */
    public CommitResult commit(String name, List<PageWrite> pages, int commitSize) {
        requireRunning();
        // Validate first: a rejected transaction must leave no trace.
        SimConnection c = connection(name);
        List<PageWrite> list = pageList(pages, commitSize, c.txImage);
        SimConnection holder = writeLockHolder();
        if (holder != null && holder != c) {
            return new CommitResult("SQLITE_BUSY", 0, 0, false, null);
        }
        if (c.readLock < 0) {
            ensureWalIndex(c);
            if (!tryBeginRead(c, false)) {
                return new CommitResult("SQLITE_BUSY", 0, 0, false, null);
            }
        }
        if (c.snapMxFrame != shm.mxFrame || c.snapshotImage != latest) {
            c.writeLock = false;
            endRead(name);
            return new CommitResult("SQLITE_BUSY_SNAPSHOT", 0, 0, false, null);
        }
        c.writeLock = true;
        int restartsBefore = restarts;
        restartLog(c);
        boolean restarted = restarts != restartsBefore;

        int version = history.size();
        byte[][] base = c.txImage != null ? c.txImage : latestImage().pages();
        byte[][] image = Arrays.copyOf(base, commitSize);
        for (PageWrite w : list) {
            image[w.pageNumber() - 1] = w.image() != null ? w.image().clone()
                    : PageContent.synthetic(pageSize, w.pageNumber(), version);
        }
        for (int p = 0; p < image.length; p++) {
            if (image[p] == null) {
                image[p] = new byte[pageSize];
            }
        }
        inflight = new DbImage("commit " + version + " (in flight at the crash)", image);
        int first = shm.mxFrame + 1;
        int last = walFrames(c, list, image, true, commitSize);
        history.add(new DbImage("commit " + version, image));
        inflight = null;
        latest = history.size() - 1;
        c.endWriteTransaction();
        endRead(name);

        CheckpointResult auto = null;
        if (c.autocheckpoint > 0 && Integer.compareUnsigned(shm.mxFrame, c.autocheckpoint) >= 0) {
            // sqlite3WalDefaultHook: a PASSIVE checkpoint once the WAL holds N frames after a commit.
            auto = checkpoint(name, CheckpointMode.PASSIVE);
        }
        return new CommitResult("ok", first, last, restarted, auto);
    }

    /**
     * The transaction's page list as pagerWalFrames hands it to walFrames: one entry per page (the
     * last image given wins), ascending, pages past the new database end dropped; page 1 when
     * nothing is left. Rejects what SQLite never produces.
     */
    private List<PageWrite> pageList(List<PageWrite> pages, int commitSize, byte[][] spilled) {
        if (commitSize <= 0) {
            throw new IllegalArgumentException("commit size must be > 0");
        }
        Int2ObjectAVLTreeMap<PageWrite> byPage = new Int2ObjectAVLTreeMap<>();
        for (PageWrite w : pages) {
            if (w.pageNumber() < 1) {
                throw new IllegalArgumentException("page numbers start at 1");
            }
            if (w.image() != null && w.image().length != pageSize) {
                throw new IllegalArgumentException("page image of " + w.image().length + " bytes, page size " + pageSize);
            }
            if (w.pageNumber() <= commitSize) {
                byPage.put(w.pageNumber(), w);
            }
        }
        int oldSize = latestImage().pageCount();
        for (int p = oldSize + 1; p <= commitSize; p++) {
            if (!byPage.containsKey(p) && !(spilled != null && p <= spilled.length && spilled[p - 1] != null)) {
                // SQLite allocates and writes every page by which a transaction grows the database.
                throw new IllegalArgumentException("commit grows the database from " + oldSize + " to " + commitSize
                        + " pages but does not write page " + p);
            }
        }
        List<PageWrite> list = new ArrayList<>(byPage.values());
        if (list.isEmpty()) {
            byte[] one = spilled != null && spilled.length >= 1 && spilled[0] != null ? spilled[0]
                    : oldSize >= 1 ? latestImage().page(1) : null;
            list.add(new PageWrite(1, one));
        }
        return list;
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
     * @return "ok", or "SQLITE_BUSY" / "SQLITE_BUSY_SNAPSHOT" as for {@link #beginWrite}
     */
    public String spill(String name, List<PageWrite> pages) {
        requireRunning();
        SimConnection c = connection(name);
        for (PageWrite w : pages) {
            if (w.pageNumber() < 1) {
                throw new IllegalArgumentException("page numbers start at 1");
            }
            if (w.image() != null && w.image().length != pageSize) {
                throw new IllegalArgumentException("page image of " + w.image().length + " bytes, page size " + pageSize);
            }
        }
        String begun = beginWrite(name);
        if (!begun.equals("ok")) {
            if (begun.equals("SQLITE_BUSY_SNAPSHOT")) {
                endRead(name);
            }
            return begun;
        }
        restartLog(c);
        int version = history.size();
        if (c.txImage == null) {
            c.txImage = latestImage().pages().clone();
        }
        for (PageWrite w : pages) {
            int p = w.pageNumber();
            if (p > c.txImage.length) {
                c.txImage = Arrays.copyOf(c.txImage, p);
            }
            c.txImage[p - 1] = w.image() != null ? w.image().clone() : PageContent.synthetic(pageSize, p, version);
            walFrames(c, List.of(new PageWrite(p, null)), c.txImage, false, 0);
        }
        return "ok";
    }

    /**
     * walFrames: a new header first when mxFrame = 0 (the connection's nCkpt; fresh random salts
     * when it is 0; synced unless synchronous=OFF), then one frame per page with the cumulative
     * checksum, the last carrying the database size when {@code isCommit}. A page this transaction
     * already spilled (frame ≥ iFirst) is overwritten in place, except the commit's last page;
     * after an overwrite appended frames get zero salts and checksums; the commit rewrites the
     * checksums from the first overwritten frame (walRewriteChecksums). Then the commit fsync
     * (synchronous=FULL), journal_size_limit and the wal-index header. Returns the last frame.
     */
    private int walFrames(SimConnection c, List<PageWrite> list, byte[][] image, boolean isCommit, int commitSize) {
        boolean spilled = c.txMxFrame >= 0;
        shm.szPageSet = true;
        int iFirst = spilled && c.txMxFrame != shm.mxFrame ? shm.mxFrame + 1 : 0;
        int iFrame = spilled ? c.txMxFrame : shm.mxFrame;
        long checksum;
        if (iFrame == 0) {
            if (c.nCkpt == 0) {
                shm.salt1 = saltRandom.nextInt();
                shm.salt2 = saltRandom.nextInt();
            }
            // A new header takes the writer's native word order (magic = WAL_MAGIC | SQLITE_BIGENDIAN);
            // appending keeps the order of the header already there (pWal->hdr.bigEndCksum).
            shm.bigEndCksum = c.nativeBigEndian;
        }
        boolean bigEndian = shm.bigEndCksum;
        if (iFrame == 0) {
            WalHeader h = WalHeader.create(bigEndian, pageSize, c.nCkpt, shm.salt1, shm.salt2);
            wal.write(0, h.encode());
            point("wal-header-written");
            if (config.synchronous() != Synchronous.OFF) {
                wal.sync();
            }
            point("wal-header-synced");
            c.truncateOnCommit = true;
            checksum = h.storedChecksum();
        } else {
            checksum = spilled ? c.txChecksum : shm.frameChecksum;
        }
        for (int i = 0; i < list.size(); i++) {
            int page = list.get(i).pageNumber();
            boolean last = i == list.size() - 1;
            if (iFirst > 0 && (!last || !isCommit)) {
                int iWrite = newestFrame(page, iFirst, iFrame);
                if (iWrite >= iFirst) {
                    if (c.reCksum == 0 || iWrite < c.reCksum) {
                        c.reCksum = iWrite;
                    }
                    wal.write(WalFormat.frameOffset(iWrite, pageSize) + WalFormat.FRAME_HEADER_SIZE, image[page - 1].clone());
                    point("wal-frame-overwritten");
                    continue;
                }
            }
            int frame = ++iFrame;
            byte[] frameBytes = new byte[WalFormat.frameSize(pageSize)];
            ByteBuffer b = ByteBuffer.wrap(frameBytes);
            b.putInt(page).putInt(isCommit && last ? commitSize : 0);
            System.arraycopy(image[page - 1], 0, frameBytes, WalFormat.FRAME_HEADER_SIZE, pageSize);
            if (c.reCksum == 0) {
                b.putInt(shm.salt1).putInt(shm.salt2);
                checksum = WalChecksum.frame(java.lang.foreign.MemorySegment.ofArray(frameBytes), 0, pageSize, bigEndian, checksum);
                b.putInt(WalFormat.FRAME_OFF_CHECKSUM1, WalChecksum.first(checksum))
                        .putInt(WalFormat.FRAME_OFF_CHECKSUM2, WalChecksum.second(checksum));
            } // else: salts and checksum stay zero until walRewriteChecksums
            wal.write(WalFormat.frameOffset(frame, pageSize), frameBytes);
            shm.setFramePage(frame, page);
            point("wal-frame-written");
        }
        if (isCommit && c.reCksum != 0) {
            checksum = rewriteChecksums(c, iFrame, bigEndian);
        }
        if (!isCommit) {
            c.txMxFrame = iFrame;
            c.txChecksum = checksum;
            return iFrame;
        }
        if (config.synchronous() == Synchronous.FULL) {
            iFrame = padAndSync(list.getLast().pageNumber(), image, commitSize, iFrame, bigEndian, checksum);
            checksum = paddedChecksum;
        }
        point("wal-commit-synced");
        if (c.truncateOnCommit && config.journalSizeLimit() >= 0) {
            long sz = Math.max(config.journalSizeLimit(), WalFormat.frameOffset(iFrame + 1L, pageSize));
            if (wal.size() > sz) {
                wal.truncate(sz);
                notes.add("journal_size_limit: WAL truncated to " + sz + " bytes");
            }
            c.truncateOnCommit = false;
        }
        shm.mxFrame = iFrame;
        shm.nPage = commitSize;
        shm.frameChecksum = checksum;
        shm.iChange++;
        return iFrame;
    }

    private long paddedChecksum;

    /**
     * The commit sync of walFrames. With powersafe overwrite (sectorSize 0) or a commit ending on a
     * sector boundary: one fsync. Otherwise (padToSectorBoundary) copies of the commit frame (same
     * page, same database size, chained checksums) are appended until the file reaches the next
     * sector boundary; walWriteToLog fsyncs when a write reaches that boundary, so the part of the
     * last copy past it is written after the fsync. The copies are frames like any other (mxFrame
     * and aPgno include them). Returns the last frame; the final checksum is left in paddedChecksum.
     */
    private int padAndSync(int page, byte[][] image, int commitSize, int iFrame, boolean bigEndian, long checksum) {
        paddedChecksum = checksum;
        int sector = config.sectorSize();
        long end = WalFormat.frameOffset(iFrame + 1L, pageSize);
        long syncPoint = sector <= 0 ? end : (end + sector - 1) / sector * sector;
        if (syncPoint == end) {
            wal.sync();
            return iFrame;
        }
        while (end < syncPoint) {
            int frame = ++iFrame;
            byte[] frameBytes = new byte[WalFormat.frameSize(pageSize)];
            ByteBuffer b = ByteBuffer.wrap(frameBytes);
            b.putInt(page).putInt(commitSize).putInt(shm.salt1).putInt(shm.salt2);
            System.arraycopy(image[page - 1], 0, frameBytes, WalFormat.FRAME_HEADER_SIZE, pageSize);
            paddedChecksum = WalChecksum.frame(java.lang.foreign.MemorySegment.ofArray(frameBytes), 0, pageSize, bigEndian,
                    paddedChecksum);
            b.putInt(WalFormat.FRAME_OFF_CHECKSUM1, WalChecksum.first(paddedChecksum))
                    .putInt(WalFormat.FRAME_OFF_CHECKSUM2, WalChecksum.second(paddedChecksum));
            long off = WalFormat.frameOffset(frame, pageSize);
            if (off + frameBytes.length >= syncPoint) {
                int before = (int) (syncPoint - off);
                wal.write(off, Arrays.copyOf(frameBytes, before));
                wal.sync();
                if (before < frameBytes.length) {
                    wal.write(syncPoint, Arrays.copyOfRange(frameBytes, before, frameBytes.length));
                }
            } else {
                wal.write(off, frameBytes);
            }
            shm.setFramePage(frame, page);
            end = off + frameBytes.length;
        }
        return iFrame;
    }

    /**
     * walRewriteChecksums: from frame iReCksum to {@code last}, re-encodes each frame header (its
     * salts and the cumulative checksum over its page as it is now in the file), seeded with the
     * stored checksum of the frame before (the WAL header's for frame 1). Returns the final checksum.
     */
    private long rewriteChecksums(SimConnection c, int last, boolean bigEndian) {
        int from = c.reCksum;
        c.reCksum = 0;
        long seedOff = from == 1 ? WalFormat.HEADER_SIZE - 8 : WalFormat.frameOffset(from - 1, pageSize) + 16;
        ByteBuffer seed = ByteBuffer.wrap(wal.read(seedOff, 8));
        long checksum = WalChecksum.pack(seed.getInt(), seed.getInt());
        for (int f = from; f <= last; f++) {
            long off = WalFormat.frameOffset(f, pageSize);
            byte[] frameBytes = wal.read(off, WalFormat.frameSize(pageSize));
            ByteBuffer b = ByteBuffer.wrap(frameBytes);
            b.putInt(8, shm.salt1).putInt(12, shm.salt2);
            checksum = WalChecksum.frame(java.lang.foreign.MemorySegment.ofArray(frameBytes), 0, pageSize, bigEndian, checksum);
            b.putInt(WalFormat.FRAME_OFF_CHECKSUM1, WalChecksum.first(checksum))
                    .putInt(WalFormat.FRAME_OFF_CHECKSUM2, WalChecksum.second(checksum));
            wal.write(off, Arrays.copyOf(frameBytes, WalFormat.FRAME_HEADER_SIZE));
        }
        return checksum;
    }

    /** walRestartLog: at the start of a write, restart the WAL if the writer reads on slot 0 and nobody uses WAL frames. */
    private void restartLog(SimConnection c) {
        if (c.readLock != 0) {
            return;
        }
        if (shm.nBackfill > 0) {
            int salt = saltRandom.nextInt();
            // EXCLUSIVE on READ1..READ4 without waiting.
            if (readShared[1] == 0 && readShared[2] == 0 && readShared[3] == 0 && readShared[4] == 0) {
                restartHdr(c, salt);
            } else {
                notes.add("restart skipped: a reader holds a WAL read lock (READ1..4)");
            }
        }
        readShared[0]--;
        c.readLock = -1;
        tryBeginRead(c, true);
    }

    // ---------------------------------------------------------------------------------------------
    // Checkpoints (sqlite3WalCheckpoint, walCheckpoint)

    /**
     * {@code PRAGMA wal_checkpoint(mode)} on connection {@code name}, with no busy handler that
     * could succeed (busy_timeout=0): sqlite3WalCheckpoint then walCheckpoint, literally.
     */
    public CheckpointResult checkpoint(String name, CheckpointMode mode) {
        return checkpoint(name, mode, false);
    }

    /**
     * {@code PRAGMA wal_checkpoint(mode)} on {@code name}. With {@code waitSucceeds}, the busy
     * handler of FULL/RESTART/TRUNCATE (a long busy_timeout) succeeds: whoever it waits for
     * finishes first — readers holding the awaited READi end their read transactions, a connection
     * holding WRITE rolls back. PASSIVE never waits.
     */
    public CheckpointResult checkpoint(String name, CheckpointMode mode, boolean waitSucceeds) {
        requireRunning();
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
        for (SimConnection o : connections.values()) {
            if (o.readLock == slot && !o.writeLock) {
                notes.add("busy handler: " + o.name + " finished its read transaction (slot " + slot + ")");
                endRead(o.name);
            }
        }
        return readShared[slot] == 0;
    }

    private CheckpointResult checkpointNow(String name, CheckpointMode mode) {
        SimConnection c = connection(name);
        if (c.readLock >= 0 || c.writeLock) {
            // sqlite3BtreeCheckpoint: a connection with an open transaction cannot checkpoint.
            return new CheckpointResult(1, -1, -1, "SQLITE_LOCKED");
        }
        // CKPT lock: never held across steps in this model. Then the WRITE lock for FULL and up.
        CheckpointMode eMode2 = mode;
        // xBusy2: FULL and up pass the busy handler. Without waitSucceeds it gives up at once
        // (busy_timeout=0); with it, whoever holds the awaited lock finishes first.
        boolean busyHandler = mode != CheckpointMode.PASSIVE;
        if (mode != CheckpointMode.PASSIVE && writeLockHolder() != null && waitSucceeds) {
            SimConnection w = writeLockHolder();
            notes.add("busy handler: " + w.name + " finished (rolled back) its write transaction");
            rollback(w.name);
        }
        if (mode != CheckpointMode.PASSIVE && writeLockHolder() != null) {
            eMode2 = CheckpointMode.PASSIVE;
            busyHandler = false;
        }
        ensureWalIndex(c);
        int hdrMxFrame = shm.mxFrame;
        int hdrNPage = shm.nPage;
        String rc = walCheckpoint(c, eMode2, hdrMxFrame, hdrNPage, busyHandler);
        if (eMode2 == CheckpointMode.TRUNCATE && rc.equals("ok") && shm.mxFrame == 0) {
            hdrMxFrame = 0;
        }
        int busy = rc.equals("SQLITE_BUSY") || (rc.equals("ok") && eMode2 != mode) ? 1 : 0;
        return CheckpointResult.of(busy, hdrMxFrame, shm.nBackfill);
    }

    private String walCheckpoint(SimConnection c, CheckpointMode mode, int mxFrame, int nPage, boolean busyHandler) {
        String rc = "ok";
        if (Integer.compareUnsigned(shm.nBackfill, mxFrame) < 0) {
            int mxSafeFrame = mxFrame;
            int mxPage = nPage;
            for (int i = 1; i < 5; i++) {
                int y = shm.readMarks[i];
                if (Integer.compareUnsigned(mxSafeFrame, y) > 0) {
                    if (readShared[i] == 0 || waitForReaders(i, busyHandler)) {
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
                if (readShared[0] > 0 && !waitForReaders(0, busyHandler)) {
                    rc = "SQLITE_BUSY"; // a db-only reader holds READ0: nothing may be copied
                } else {
                    int nBackfill = shm.nBackfill;
                    shm.nBackfillAttempted = mxSafeFrame;
                    if (config.synchronous() != Synchronous.OFF) {
                        wal.sync(); // CKPT_SYNC_FLAGS: no checkpoint fsync with synchronous=OFF
                    }
                    point("ckpt-wal-synced");
                    for (var e : newest.int2IntEntrySet()) {
                        int p = e.getIntKey();
                        int f = e.getIntValue();
                        if (f <= nBackfill || Integer.compareUnsigned(f, mxSafeFrame) > 0 || p > mxPage) {
                            continue;
                        }
                        db.write((long) (p - 1) * pageSize, framePage(f));
                        point("ckpt-page-written");
                    }
                    if (mxSafeFrame == shm.mxFrame) {
                        db.truncate((long) nPage * pageSize);
                        point("ckpt-db-truncated");
                        if (config.synchronous() != Synchronous.OFF) {
                            db.sync();
                        }
                        point("ckpt-db-synced");
                    }
                    shm.nBackfill = mxSafeFrame;
                    point("ckpt-backfill-set");
                }
            }
            if (rc.equals("SQLITE_BUSY")) {
                rc = "ok"; // partial progress is not an error
            }
        }
        if (rc.equals("ok") && mode != CheckpointMode.PASSIVE) {
            if (Integer.compareUnsigned(shm.nBackfill, mxFrame) < 0) {
                rc = "SQLITE_BUSY";
            } else if (mode == CheckpointMode.RESTART || mode == CheckpointMode.TRUNCATE) {
                int salt = saltRandom.nextInt();
                for (int i = 1; i < 5; i++) {
                    if (readShared[i] > 0) {
                        waitForReaders(i, true);
                    }
                }
                if (readShared[1] + readShared[2] + readShared[3] + readShared[4] > 0) {
                    rc = "SQLITE_BUSY";
                } else if (mode == CheckpointMode.TRUNCATE) {
                    restartHdr(c, salt);
                    wal.truncate(0);
                }
            }
        }
        return rc;
    }

    // ---------------------------------------------------------------------------------------------
    // Close and crash

    /**
     * Closes connection {@code name} (sqlite3WalClose): the last connection checkpoints (PASSIVE),
     * then deletes the WAL, truncates it (persistent WAL with journal_size_limit ≥ 0) or leaves it.
     *
     * @return the close checkpoint's result, or null if other connections were still open
     */
    public CheckpointResult close(String name) {
        requireRunning();
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
        if (r.error() == null) {
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
     * @return the recovered image
     */
    public DbImage crash(CrashPolicy policy) {
        RandomGenerator r = new java.util.SplittableRandom(policy.seed());
        String d = db.crash(policy.db(), r, policy.dbMask());
        String w = wal.crash(policy.wal(), r, policy.walMask());
        notes.add("crash (" + policy + "): db " + d + ", wal " + w);
        connections.clear();
        Arrays.fill(readShared, 0);
        shm = null;
        halted = false;
        armedPoint = null;
        DbImage rec = LogicalImage.of(db.bytes(), wal.exists() ? wal.bytes() : null, pageSize);
        int match = findCommitted(rec);
        String label = match >= 0 ? "recovered = " + history.get(match).label()
                : inflight != null && inflight.samePages(rec) ? "recovered = " + inflight.label()
                : "recovered, equals no committed image";
        lastAcknowledged = latest;
        inflight = null;
        DbImage labelled = new DbImage(label, rec.pages());
        history.add(labelled);
        latest = history.size() - 1;
        notes.add(labelled.label());
        return labelled;
    }

    /** History index of the last commit acknowledged before the most recent crash, or -1 if no crash happened. */
    public int lastAcknowledgedBeforeCrash() {
        return lastAcknowledged;
    }

    /** The newest history index whose image equals {@code image}, or -1. */
    public int findCommitted(DbImage image) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).samePages(image) && !history.get(i).label().startsWith("recovered, equals no")) {
                return i;
            }
        }
        return -1;
    }

    /** "Copy file X now" for backup races: stores the current bytes of {@code file} ("db", "wal", or "shm": {@link #shmImage()}) as {@code as}. */
    public byte[] copyFile(String file, String as) {
        requireRunning();
        byte[] bytes = switch (file) {
            case "db" -> db.bytes();
            case "wal" -> wal.exists() ? wal.bytes() : null;
            case "shm" -> shmImage();
            default -> throw new IllegalArgumentException("copy db, wal or shm, not " + file);
        };
        copies.put(as, bytes);
        notes.add("copied " + file + " as " + as + " (" + (bytes == null ? "no file" : bytes.length + " bytes") + ")");
        return bytes;
    }

    /** The latest image as the database + WAL files now imply it (what a new connection would read). */
    public DbImage impliedImage() {
        if (shm == null) {
            return LogicalImage.of(db.bytes(), wal.exists() ? wal.bytes() : null, pageSize);
        }
        int nPage = shm.mxFrame == 0 ? dbPages() : shm.nPage;
        byte[][] pages = new byte[nPage][];
        for (int p = 1; p <= nPage; p++) {
            int f = newestFrame(p, shm.nBackfill + 1, shm.mxFrame);
            pages[p - 1] = f > 0 ? framePage(f) : db.read((long) (p - 1) * pageSize, pageSize);
        }
        return new DbImage("db + frames (nBackfill, mxFrame]", pages);
    }

    /** The frame headers of the WAL's valid prefix, read back with wal-format's scanner. */
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

    /** Restarts that happened when docs/format-notes.md, "When the WAL restarts" forbid them (always empty unless the model is wrong). */
    public List<String> restartViolations() {
        return List.copyOf(restartViolations);
    }

    /** Whether any connection holds READ{@code slot}. */
    public int readLockHolders(int slot) {
        return readShared[slot];
    }
}
