package io.walkit.sim;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalHeader;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * The model's wal-index (the {@code -shm} shared memory): the fields of SQLite's
 * {@code WalIndexHdr} and {@code WalCkptInfo} that the protocol reads, plus the frame → page
 * array ({@code aPgno}) the hash tables index.
 *
 * <p>Field correspondence (offsets in the -shm, see docs/format-notes.md, "wal-index header and checkpoint info"):
 * <pre>
 * field               SQLite                 -shm offset
 * mxFrame             hdr.mxFrame            16
 * nPage               hdr.nPage              20
 * frameChecksum       hdr.aFrameCksum        24
 * salt1, salt2        hdr.aSalt              32
 * bigEndCksum         hdr.bigEndCksum        13
 * iChange             hdr.iChange            8
 * nBackfill           pInfo->nBackfill       96
 * readMarks[0..4]     pInfo->aReadMark[]     100..116
 * nBackfillAttempted  pInfo->nBackfillAttempted 128
 * framePages          aPgno[] in every region (frame f → page number)
 * </pre>
 * All values are u32 held in Java ints; {@link #NOT_USED} is READMARK_NOT_USED.
 *
 * <p>Besides the fields, this class holds the two operations that rewrite the wal-index header
 * and read marks as a whole: recovery ({@link #recover}, walIndexRecover) and the restart of the
 * header for a new WAL generation ({@link #restartHdr}, walRestartHdr). Not thread-safe; owned by
 * one {@link WalSim}, which replaces it on recovery.
 */
public final class WalIndexState {

    /** SQLite's READMARK_NOT_USED (0xFFFFFFFF). */
    public static final int NOT_USED = 0xFFFFFFFF;

    /**
     * An empty wal-index, as a connection finds a zeroed {@code -shm}: mxFrame 0, no salts,
     * aReadMark {@code [0, -, -, -, -]}. The model builds its own; outside code rarely needs one.
     */
    public WalIndexState() {
    }

    int mxFrame;
    int nPage;
    long frameChecksum;
    int salt1;
    int salt2;
    int iChange;
    /** SQLite: {@code hdr.bigEndCksum}: the WAL's checksum word order (magic 0x377f0683). */
    boolean bigEndCksum;
    /** Whether {@code hdr.szPage} is set (recovery of an empty WAL leaves it 0 until the first walFrames). */
    boolean szPageSet;
    int nBackfill;
    int nBackfillAttempted;
    final int[] readMarks = {0, NOT_USED, NOT_USED, NOT_USED, NOT_USED};
    /** framePages.getInt(f - 1) is the page of frame f; entries past mxFrame may be stale. */
    final IntArrayList framePages = new IntArrayList();

    /**
     * walIndexRecover: the wal-index a connection rebuilds from the WAL file's valid prefix
     * (wal-format's scanner) when no other connection has one: nBackfill = 0, nBackfillAttempted =
     * mxFrame, mark 1 = mxFrame (unused when the WAL is empty). Loads the header's checkpoint
     * sequence into {@code c}'s nCkpt before the header checksum is checked, as SQLite does.
     */
    static WalIndexState recover(SimFile wal, int pageSize, SimConnection c) {
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
        s.readMarks[1] = s.mxFrame != 0 ? s.mxFrame : NOT_USED;
        for (int i = 2; i < 5; i++) {
            s.readMarks[i] = NOT_USED;
        }
        return s;
    }

    /**
     * walRestartHdr: a new WAL generation in the wal-index only (the WAL file is untouched):
     * mxFrame = 0, salt-1 + 1, salt-2 = {@code salt}, nBackfill = nBackfillAttempted = 0, mark 1 = 0,
     * marks 2..4 unused.
     */
    void restartHdr(int salt) {
        mxFrame = 0;
        salt1 = salt1 + 1;
        salt2 = salt;
        nBackfill = 0;
        nBackfillAttempted = 0;
        readMarks[1] = 0;
        for (int i = 2; i < 5; i++) {
            readMarks[i] = NOT_USED;
        }
    }

    /**
     * walFindFrame: the newest frame in [{@code minFrame}, {@code maxFrame}] that holds page
     * {@code pageNumber}, or 0.
     */
    int findFrame(int pageNumber, int minFrame, int maxFrame) {
        for (int f = maxFrame; f >= minFrame && f >= 1; f--) {
            if (framePage(f) == pageNumber) {
                return f;
            }
        }
        return 0;
    }

    /**
     * SQLite's {@code mxFrame}: the last committed frame.
     *
     * @return the 1-based frame number, 0 when the WAL holds no commit (u32 in an int)
     */
    public int mxFrame() {
        return mxFrame;
    }

    /**
     * SQLite's {@code nPage}: database size in pages as of mxFrame.
     *
     * @return the page count
     */
    public int nPage() {
        return nPage;
    }

    /**
     * SQLite's {@code bigEndCksum}: true when the current WAL header's magic is 0x377f0683.
     *
     * @return whether checksum words are big-endian
     */
    public boolean bigEndCksum() {
        return bigEndCksum;
    }

    /**
     * SQLite's {@code nBackfill}: frames 1..nBackfill are in the database file.
     *
     * @return the frame count
     */
    public int nBackfill() {
        return nBackfill;
    }

    /**
     * SQLite's {@code nBackfillAttempted}: the last frame a checkpoint tried to copy (nBackfill
     * after a successful copy; mxFrame after recovery).
     *
     * @return the frame count
     */
    public int nBackfillAttempted() {
        return nBackfillAttempted;
    }

    /**
     * Read mark {@code i} (0..4), u32 in an int.
     *
     * @param i the slot, 0..4
     * @return {@code aReadMark[i]}, or {@link #NOT_USED}
     * @throws ArrayIndexOutOfBoundsException if {@code i} is outside 0..4
     */
    public int readMark(int i) {
        return readMarks[i];
    }

    /**
     * A copy of the five read marks.
     *
     * @return a fresh array of aReadMark[0..4] ({@link #NOT_USED} for unused slots)
     */
    public int[] readMarks() {
        return readMarks.clone();
    }

    /**
     * Salt-1 of the current WAL generation.
     *
     * @return {@code hdr.aSalt[0]}
     */
    public int salt1() {
        return salt1;
    }

    /**
     * Salt-2 of the current WAL generation.
     *
     * @return {@code hdr.aSalt[1]}
     */
    public int salt2() {
        return salt2;
    }

    /**
     * The page number recorded for frame {@code frame} (1-based), or 0 if none.
     *
     * @param frame 1-based frame number
     * @return the 1-based page number in {@code aPgno}, or 0 (also for frames out of range; entries
     *         past mxFrame may be stale)
     */
    public int framePage(int frame) {
        return frame >= 1 && frame <= framePages.size() ? framePages.getInt(frame - 1) : 0;
    }

    /**
     * walIndexAppend: records {@code page} for {@code frame}. The first frame of a 32 KiB region
     * clears the region's whole aPgno first (SQLite zeroes its page array and hash table), so
     * entries an older WAL generation left there read as 0 from then on.
     */
    void setFramePage(int frame, int page) {
        long region = io.walkit.wal.WalIndex.regionOf(frame);
        long zero = io.walkit.wal.WalIndex.regionZero(region);
        if (frame - zero == 1) {
            long end = Math.min(framePages.size(), zero + io.walkit.wal.WalIndex.regionEntries(region));
            for (long f = frame + 1; f <= end; f++) {
                framePages.set((int) (f - 1), 0);
            }
        }
        while (framePages.size() < frame) {
            framePages.add(0);
        }
        framePages.set(frame - 1, page);
    }

    /**
     * Marks as text: {@code [0, 12, -, -, -]}.
     *
     * @return the five marks, unsigned decimal, {@code -} for unused
     */
    public String marksText() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            sb.append(i == 0 ? "" : ", ").append(readMarks[i] == NOT_USED ? "-" : Integer.toUnsignedString(readMarks[i]));
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        return "mxFrame=" + Integer.toUnsignedString(mxFrame) + " nPage=" + nPage + " nBackfill=" + nBackfill
                + " nBackfillAttempted=" + nBackfillAttempted + " marks=" + marksText()
                + String.format(" salts=%08x,%08x", salt1, salt2);
    }
}
