package io.walkit.sim;

import io.walkit.wal.WalFormat;
import io.walkit.wal.WalHeader;
import it.unimi.dsi.fastutil.ints.Int2ObjectAVLTreeMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The writer of the model: write transactions as SQLite runs them
 * ({@code sqlite3WalBeginWriteTransaction}, {@code walRestartLog}, {@code walFrames} with
 * {@code walWriteToLog}/{@code padToSectorBoundary}, {@code walRewriteChecksums}), spills before
 * commit, and the WAL writes and fsyncs they issue, with a crash point between any two of them.
 *
 * <p>Not thread-safe; owned by one {@link WalSim} and working on its state.
 */
final class SimWriter {

    private final WalSim sim;

    SimWriter(WalSim sim) {
        this.sim = sim;
    }

    /** See {@link WalSim#beginWrite}. */
    ResultCode beginWrite(String name) {
        SimConnection c = sim.connection(name);
        if (c.writeLock) {
            return ResultCode.SQLITE_OK;
        }
        if (sim.locks.writeLockHolder() != null) {
            return ResultCode.SQLITE_BUSY;
        }
        if (c.readLock < 0) {
            sim.ensureWalIndex(c);
            if (!sim.reader.tryBeginRead(c, false)) {
                return ResultCode.SQLITE_BUSY;
            }
        }
        if (c.snapMxFrame != sim.shm.mxFrame || c.snapshotImage != sim.latestIndex()) {
            return ResultCode.SQLITE_BUSY_SNAPSHOT;
        }
        c.writeLock = true;
        return ResultCode.SQLITE_OK;
    }

    /** See {@link WalSim#commit}; the automatic checkpoint is the caller's. */
    WalSim.CommitResult commit(String name, List<WalSim.PageWrite> pages, int commitSize) {
        // Validate first: a rejected transaction must leave no trace.
        SimConnection c = sim.connection(name);
        List<WalSim.PageWrite> list = pageList(pages, commitSize, c.txImage);
        SimConnection holder = sim.locks.writeLockHolder();
        if (holder != null && holder != c) {
            return new WalSim.CommitResult(ResultCode.SQLITE_BUSY, 0, 0, false, null);
        }
        if (c.readLock < 0) {
            sim.ensureWalIndex(c);
            if (!sim.reader.tryBeginRead(c, false)) {
                return new WalSim.CommitResult(ResultCode.SQLITE_BUSY, 0, 0, false, null);
            }
        }
        if (c.snapMxFrame != sim.shm.mxFrame || c.snapshotImage != sim.latestIndex()) {
            c.writeLock = false;
            sim.reader.endRead(name);
            return new WalSim.CommitResult(ResultCode.SQLITE_BUSY_SNAPSHOT, 0, 0, false, null);
        }
        c.writeLock = true;
        int restartsBefore = sim.restarts();
        restartLog(c);
        boolean restarted = sim.restarts() != restartsBefore;

        int pageSize = sim.pageSize();
        int version = sim.history.size();
        byte[][] base = c.txImage != null ? c.txImage : sim.latestImage().pages();
        byte[][] image = Arrays.copyOf(base, commitSize);
        for (WalSim.PageWrite w : list) {
            image[w.pageNumber() - 1] = w.image() != null ? w.image().clone()
                    : PageContent.synthetic(pageSize, w.pageNumber(), version);
        }
        for (int p = 0; p < image.length; p++) {
            if (image[p] == null) {
                image[p] = new byte[pageSize];
            }
        }
        sim.inflight = new DbImage("commit " + version + " (in flight at the crash)", image, DbImage.Origin.IN_FLIGHT);
        int first = sim.shm.mxFrame + 1;
        int last = walFrames(c, list, image, true, commitSize);
        sim.recordCommit(new DbImage("commit " + version, image, DbImage.Origin.COMMIT));
        c.endWriteTransaction();
        sim.reader.endRead(name);
        return new WalSim.CommitResult(ResultCode.SQLITE_OK, first, last, restarted, null);
    }

    /**
     * The transaction's page list as pagerWalFrames hands it to walFrames: one entry per page (the
     * last image given wins), ascending, pages past the new database end dropped; page 1 when
     * nothing is left. Rejects what SQLite never produces.
     */
    private List<WalSim.PageWrite> pageList(List<WalSim.PageWrite> pages, int commitSize, byte[][] spilled) {
        if (commitSize <= 0) {
            throw new StepRejectedException("commit size must be > 0");
        }
        Int2ObjectAVLTreeMap<WalSim.PageWrite> byPage = new Int2ObjectAVLTreeMap<>();
        for (WalSim.PageWrite w : pages) {
            checkPage(w);
            if (w.pageNumber() <= commitSize) {
                byPage.put(w.pageNumber(), w);
            }
        }
        int oldSize = sim.latestImage().pageCount();
        for (int p = oldSize + 1; p <= commitSize; p++) {
            if (!byPage.containsKey(p) && !(spilled != null && p <= spilled.length && spilled[p - 1] != null)) {
                // SQLite allocates and writes every page by which a transaction grows the database.
                throw new StepRejectedException("commit grows the database from " + oldSize + " to " + commitSize
                        + " pages but does not write page " + p);
            }
        }
        List<WalSim.PageWrite> list = new ArrayList<>(byPage.values());
        if (list.isEmpty()) {
            byte[] one = spilled != null && spilled.length >= 1 && spilled[0] != null ? spilled[0]
                    : oldSize >= 1 ? sim.latestImage().page(1) : null;
            list.add(new WalSim.PageWrite(1, one));
        }
        return list;
    }

    private void checkPage(WalSim.PageWrite w) {
        if (w.pageNumber() < 1) {
            throw new StepRejectedException("page numbers start at 1");
        }
        if (w.image() != null && w.image().length != sim.pageSize()) {
            throw new StepRejectedException("page image of " + w.image().length + " bytes, page size " + sim.pageSize());
        }
    }

    /** See {@link WalSim#spill}. */
    ResultCode spill(String name, List<WalSim.PageWrite> pages) {
        SimConnection c = sim.connection(name);
        for (WalSim.PageWrite w : pages) {
            checkPage(w);
        }
        ResultCode begun = beginWrite(name);
        if (begun != ResultCode.SQLITE_OK) {
            if (begun == ResultCode.SQLITE_BUSY_SNAPSHOT) {
                sim.reader.endRead(name);
            }
            return begun;
        }
        restartLog(c);
        int version = sim.history.size();
        if (c.txImage == null) {
            c.txImage = sim.latestImage().pages().clone();
        }
        for (WalSim.PageWrite w : pages) {
            int p = w.pageNumber();
            if (p > c.txImage.length) {
                c.txImage = Arrays.copyOf(c.txImage, p);
            }
            c.txImage[p - 1] = w.image() != null ? w.image().clone() : PageContent.synthetic(sim.pageSize(), p, version);
            walFrames(c, List.of(new WalSim.PageWrite(p, null)), c.txImage, false, 0);
        }
        return ResultCode.SQLITE_OK;
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
    private int walFrames(SimConnection c, List<WalSim.PageWrite> list, byte[][] image, boolean isCommit, int commitSize) {
        WalIndexState shm = sim.shm;
        SimFile wal = sim.wal;
        int pageSize = sim.pageSize();
        WalSim.Config config = sim.config();
        boolean spilled = c.txMxFrame >= 0;
        shm.szPageSet = true;
        int iFirst = spilled && c.txMxFrame != shm.mxFrame ? shm.mxFrame + 1 : 0;
        int iFrame = spilled ? c.txMxFrame : shm.mxFrame;
        long checksum;
        if (iFrame == 0) {
            if (c.nCkpt == 0) {
                shm.salt1 = sim.saltRandom.nextInt();
                shm.salt2 = sim.saltRandom.nextInt();
            }
            // A new header takes the writer's native word order (magic = WAL_MAGIC | SQLITE_BIGENDIAN);
            // appending keeps the order of the header already there (pWal->hdr.bigEndCksum).
            shm.bigEndCksum = c.nativeBigEndian;
        }
        boolean bigEndian = shm.bigEndCksum;
        if (iFrame == 0) {
            WalHeader h = WalHeader.create(bigEndian, pageSize, c.nCkpt, shm.salt1, shm.salt2);
            wal.write(0, h.encode());
            sim.point(CrashPoint.WAL_HEADER_WRITTEN);
            if (config.synchronous() != WalSim.Synchronous.OFF) {
                wal.sync();
            }
            sim.point(CrashPoint.WAL_HEADER_SYNCED);
            c.truncateOnCommit = true;
            checksum = h.storedChecksum();
        } else {
            checksum = spilled ? c.txChecksum : shm.frameChecksum;
        }
        for (int i = 0; i < list.size(); i++) {
            int page = list.get(i).pageNumber();
            boolean last = i == list.size() - 1;
            if (iFirst > 0 && (!last || !isCommit)) {
                int iWrite = shm.findFrame(page, iFirst, iFrame);
                if (iWrite >= iFirst) {
                    if (c.reCksum == 0 || iWrite < c.reCksum) {
                        c.reCksum = iWrite;
                    }
                    wal.write(WalFormat.frameOffset(iWrite, pageSize) + WalFormat.FRAME_HEADER_SIZE, image[page - 1].clone());
                    sim.point(CrashPoint.WAL_FRAME_OVERWRITTEN);
                    continue;
                }
            }
            int frame = ++iFrame;
            int nTruncate = isCommit && last ? commitSize : 0;
            byte[] frameBytes;
            if (c.reCksum == 0) {
                WalBytes.Frame encoded = WalBytes.frame(pageSize, page, nTruncate, shm.salt1, shm.salt2,
                        image[page - 1], bigEndian, checksum);
                frameBytes = encoded.bytes();
                checksum = encoded.checksum();
            } else {
                // salts and checksum stay zero until walRewriteChecksums
                frameBytes = WalBytes.unsaltedFrame(pageSize, page, nTruncate, image[page - 1]);
            }
            wal.write(WalFormat.frameOffset(frame, pageSize), frameBytes);
            shm.setFramePage(frame, page);
            sim.point(CrashPoint.WAL_FRAME_WRITTEN);
        }
        if (isCommit && c.reCksum != 0) {
            int from = c.reCksum;
            c.reCksum = 0;
            checksum = WalBytes.rewriteChecksums(wal, pageSize, from, iFrame, shm.salt1, shm.salt2, bigEndian);
        }
        if (!isCommit) {
            c.txMxFrame = iFrame;
            c.txChecksum = checksum;
            return iFrame;
        }
        if (config.synchronous() == WalSim.Synchronous.FULL) {
            Padded padded = padAndSync(list.getLast().pageNumber(), image, commitSize, iFrame, bigEndian, checksum);
            iFrame = padded.lastFrame();
            checksum = padded.checksum();
        }
        sim.point(CrashPoint.WAL_COMMIT_SYNCED);
        if (c.truncateOnCommit && config.journalSizeLimit() >= 0) {
            long sz = Math.max(config.journalSizeLimit(), WalFormat.frameOffset(iFrame + 1L, pageSize));
            if (wal.size() > sz) {
                wal.truncate(sz);
                sim.notes.add("journal_size_limit: WAL truncated to " + sz + " bytes");
            }
            c.truncateOnCommit = false;
        }
        shm.mxFrame = iFrame;
        shm.nPage = commitSize;
        shm.frameChecksum = checksum;
        shm.iChange++;
        return iFrame;
    }

    /** The last frame after the commit sync and the running checksum after it. */
    private record Padded(int lastFrame, long checksum) {}

    /**
     * The commit sync of walFrames. With powersafe overwrite (sectorSize 0) or a commit ending on a
     * sector boundary: one fsync. Otherwise (padToSectorBoundary) copies of the commit frame (same
     * page, same database size, chained checksums) are appended until the file reaches the next
     * sector boundary; walWriteToLog fsyncs when a write reaches that boundary, so the part of the
     * last copy past it is written after the fsync. The copies are frames like any other (mxFrame
     * and aPgno include them).
     */
    private Padded padAndSync(int page, byte[][] image, int commitSize, int iFrame, boolean bigEndian, long checksum) {
        WalIndexState shm = sim.shm;
        SimFile wal = sim.wal;
        int pageSize = sim.pageSize();
        int sector = sim.config().sectorSize();
        long end = WalFormat.frameOffset(iFrame + 1L, pageSize);
        long syncPoint = sector <= 0 ? end : (end + sector - 1) / sector * sector;
        if (syncPoint == end) {
            wal.sync();
            return new Padded(iFrame, checksum);
        }
        while (end < syncPoint) {
            int frame = ++iFrame;
            WalBytes.Frame encoded = WalBytes.frame(pageSize, page, commitSize, shm.salt1, shm.salt2, image[page - 1],
                    bigEndian, checksum);
            checksum = encoded.checksum();
            byte[] frameBytes = encoded.bytes();
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
        return new Padded(iFrame, checksum);
    }

    /**
     * See {@link WalSim#restartLog}: walRestartLog on its own, for a connection holding the WRITE
     * lock ({@code write-lock}); its later spill or commit then appends to the restarted log.
     * (walRestartLog: at the start of a write, restart the WAL if the writer reads on slot 0 and
     * nobody uses WAL frames.)
     */
    boolean restartLogStep(String name) {
        SimConnection c = sim.connection(name);
        if (!c.writeLock || c.txMxFrame >= 0) {
            throw new StepRejectedException(name + " holds no WRITE lock without frames (write-lock " + name + " first)");
        }
        int before = sim.restarts();
        restartLog(c);
        return sim.restarts() != before;
    }

    private void restartLog(SimConnection c) {
        if (c.readLock != 0) {
            return;
        }
        if (sim.shm.nBackfill > 0) {
            int salt = sim.saltRandom.nextInt();
            // EXCLUSIVE on READ1..READ4 without waiting.
            if (sim.locks.walReaders() == 0) {
                sim.restartHdr(c, salt);
            } else {
                sim.notes.add("restart skipped: a reader holds a WAL read lock (READ1..4)");
            }
        }
        sim.locks.unlockShared(c);
        sim.reader.tryBeginRead(c, true);
    }
}
