package io.walkit.sim;

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
 */
public final class WalIndexState {

    /** SQLite's READMARK_NOT_USED (0xFFFFFFFF). */
    public static final int NOT_USED = 0xFFFFFFFF;

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

    /** SQLite's {@code mxFrame}: the last committed frame. */
    public int mxFrame() {
        return mxFrame;
    }

    /** SQLite's {@code nPage}: database size in pages as of mxFrame. */
    public int nPage() {
        return nPage;
    }

    /** SQLite's {@code bigEndCksum}: true when the current WAL header's magic is 0x377f0683. */
    public boolean bigEndCksum() {
        return bigEndCksum;
    }

    /** SQLite's {@code nBackfill}: frames 1..nBackfill are in the database file. */
    public int nBackfill() {
        return nBackfill;
    }

    /** SQLite's {@code nBackfillAttempted}. */
    public int nBackfillAttempted() {
        return nBackfillAttempted;
    }

    /** Read mark {@code i} (0..4), u32 in an int. */
    public int readMark(int i) {
        return readMarks[i];
    }

    /** A copy of the five read marks. */
    public int[] readMarks() {
        return readMarks.clone();
    }

    /** Salt-1 of the current WAL generation. */
    public int salt1() {
        return salt1;
    }

    /** Salt-2 of the current WAL generation. */
    public int salt2() {
        return salt2;
    }

    /** The page number recorded for frame {@code frame} (1-based), or 0 if none. */
    public int framePage(int frame) {
        return frame >= 1 && frame <= framePages.size() ? framePages.getInt(frame - 1) : 0;
    }

    void setFramePage(int frame, int page) {
        while (framePages.size() < frame) {
            framePages.add(0);
        }
        framePages.set(frame - 1, page);
    }

    /** Marks as text: {@code [0, 12, -, -, -]}. */
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

    WalIndexState copy() {
        WalIndexState c = new WalIndexState();
        c.mxFrame = mxFrame;
        c.nPage = nPage;
        c.frameChecksum = frameChecksum;
        c.salt1 = salt1;
        c.salt2 = salt2;
        c.iChange = iChange;
        c.nBackfill = nBackfill;
        c.nBackfillAttempted = nBackfillAttempted;
        System.arraycopy(readMarks, 0, c.readMarks, 0, 5);
        c.framePages.addAll(framePages);
        return c;
    }
}
