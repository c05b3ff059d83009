package io.walkit.wal;

import io.walkit.io.ByteSource;
import io.walkit.io.Problem;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the claim a wal-index's {@code nBackfill} makes about the database file: that every WAL
 * frame up to {@code nBackfill} has been copied into it. This is the state SQLite's WAL-reset race
 * (3.7.0 to 3.51.2, fixed in 3.51.3; see docs/wal-reset-race.md) leaves behind: a checkpoint that
 * read the wal-index header before another connection restarted the WAL stores an
 * {@code nBackfill} that counts frames of the new log it never copied.
 *
 * <p>The rule checked is the checkpoint invariant of spec §5.8: the database file with the frames
 * {@code (nBackfill, mxFrame]} applied is the latest committed image. Hence a page whose newest
 * committed frame is at or below {@code nBackfill} and that no later frame (up to {@code mxFrame})
 * rewrites must be byte for byte that frame's image in the database file. Pages rewritten above
 * {@code nBackfill} may legitimately hold any older version (a partial checkpoint skips them,
 * §5.3), so they are not judged. Only frames valid in the current WAL generation (the WAL's salts)
 * and committed are considered; the WAL file, not the index's {@code aPgno}, says which page a
 * frame holds.
 *
 * <p>The three files must be copies taken at one instant (or a quiescent database): a database
 * copied before a checkpoint finished differs from the frames for an innocent reason, and the
 * finding says so. Work and memory are bounded by the WAL's size (one map entry per distinct page
 * among its valid frames); nothing is sized by a field. Stateless and thread-safe; the caller owns
 * and closes every {@link ByteSource}.
 */
public final class BackfillCheck {

    /** What {@link #check} reports. */
    public enum Code implements Problem.Code {
        /** A page nBackfill claims was checkpointed differs from its WAL frame in the database file. */
        BACKFILLED_PAGE_DIFFERS("backfilled-page-differs"),
        /** The database file ends before a page nBackfill claims was checkpointed. */
        BACKFILL_NOT_IN_DATABASE("backfill-not-in-database"),
        /** More pages differ than are reported one by one. */
        MORE_BACKFILLED_PAGES_DIFFER("more-backfilled-pages-differ"),
        /** The summary: nBackfill claims frames that are not in the database (the WAL-reset race's footprint). */
        WAL_RESET_RACE("wal-reset-race");

        private final String id;

        Code(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** Cap on per-page findings, so a hostile or badly damaged set gives a bounded report. */
    static final int MAX_PAGE_FINDINGS = 16;

    private BackfillCheck() {
    }

    /**
     * Compares the database pages that {@code index}'s {@code nBackfill} claims were checkpointed
     * with the WAL frames they came from.
     *
     * <p>Problems ({@link Code}, ids stable for JSON): {@code backfilled-page-differs} (ERROR, one per page up
     * to a cap, plus {@code more-backfilled-pages-differ}) names the page, the frame, the database
     * offset and the first differing byte; {@code backfill-not-in-database} (ERROR) when the
     * database file ends before such a page; {@code wal-reset-race} (ERROR, once) when any of those,
     * or {@code nBackfill > mxFrame}, shows nBackfill claims frames that are not in the database.
     * Nothing is reported when the index is not decoded, its salts are not the WAL's (another
     * generation: {@link WalIndex#crossCheck} reports that), or {@code nBackfill} is 0.
     *
     * @param index    the wal-index
     * @param scan     the WAL beside it
     * @param database the database file beside them
     * @return the findings, empty when the claim holds
     */
    public static List<Problem> check(WalIndex index, WalScan scan, ByteSource database) {
        List<Problem> out = new ArrayList<>();
        if (index.status() != WalIndex.Status.DECODED || !scan.headerAccepted() || index.checkpointInfo() == null) {
            return out;
        }
        WalIndexHeader h = index.header();
        WalHeader w = scan.header();
        if (h == null || h.salt1() != w.salt1() || h.salt2() != w.salt2() || h.pageSize() != scan.pageSize()) {
            return out;
        }
        long nBackfill = Integer.toUnsignedLong(index.checkpointInfo().nBackfill());
        long mxFrame = Integer.toUnsignedLong(h.mxFrame());
        if (nBackfill == 0) {
            return out;
        }
        boolean pastMxFrame = nBackfill > mxFrame;
        // The frames both the index and the WAL agree are committed.
        long last = Math.min(mxFrame, scan.mxFrame());
        long claimed = Math.min(nBackfill, last);
        int pageSize = scan.pageSize();
        // Newest frame ≤ claimed per page, and the pages some frame in (claimed, last] rewrites.
        Int2IntOpenHashMap newest = new Int2IntOpenHashMap();
        IntOpenHashSet rewritten = new IntOpenHashSet();
        long smallestCommitAfter = Long.MAX_VALUE;
        for (long f = 1; f <= last; f++) {
            WalFrameHeader fh = scan.frameHeader(f);
            if (f <= claimed) {
                newest.put(fh.pageNumber(), (int) f);
            } else {
                rewritten.add(fh.pageNumber());
                if (fh.commitSize() != 0) {
                    smallestCommitAfter = Math.min(smallestCommitAfter, Integer.toUnsignedLong(fh.commitSize()));
                }
            }
        }
        long nPage = Integer.toUnsignedLong(h.nPage());
        int differing = 0;
        byte[] expected = new byte[pageSize];
        byte[] found = new byte[pageSize];
        // Ascending page order, as the checkpoint copies, so the report is stable.
        int[] pages = newest.keySet().toIntArray();
        java.util.Arrays.sort(pages);
        for (int page : pages) {
            long p = Integer.toUnsignedLong(page);
            // Pages past the database's end (or cut by a later, smaller commit) are not copied.
            if (p == 0 || p > nPage || p > smallestCommitAfter || rewritten.contains(page)) {
                continue;
            }
            int frame = newest.get(page);
            long dbOffset = (p - 1) * pageSize;
            String claim = "the image of WAL frame " + frame + " (nBackfill " + nBackfill + " claims it was checkpointed)";
            if (dbOffset + pageSize > database.size()) {
                if (differing++ < MAX_PAGE_FINDINGS) {
                    out.add(new Problem(Problem.Severity.ERROR, Code.BACKFILL_NOT_IN_DATABASE, database.name(),
                            new Problem.Position.FileOffset(dbOffset), "database page " + p, "page " + p, claim,
                            "the file ends at " + database.size() + " bytes", null));
                }
                continue;
            }
            scan.source().copy(scan.frameOffset(frame) + WalFormat.FRAME_HEADER_SIZE, expected, 0, pageSize);
            database.copy(dbOffset, found, 0, pageSize);
            int at = java.util.Arrays.mismatch(expected, found);
            if (at >= 0 && differing++ < MAX_PAGE_FINDINGS) {
                out.add(new Problem(Problem.Severity.ERROR, Code.BACKFILLED_PAGE_DIFFERS, database.name(),
                        new Problem.Position.FileOffset(dbOffset + at), "database page " + p, "page " + p, claim,
                        String.format("another image (byte %d of the page is 0x%02x, the frame's 0x%02x)", at,
                                found[at] & 0xFF, expected[at] & 0xFF), null));
            }
        }
        if (differing > MAX_PAGE_FINDINGS) {
            out.add(new Problem(Problem.Severity.ERROR, Code.MORE_BACKFILLED_PAGES_DIFFER, database.name(), null,
                    "database file", null, null, null,
                    (differing - MAX_PAGE_FINDINGS) + " further pages claimed backfilled differ from their frames"));
        }
        if (differing > 0 || pastMxFrame) {
            String what = pastMxFrame
                    ? "nBackfill " + nBackfill + " exceeds mxFrame " + mxFrame
                    + (differing > 0 ? " and " + differing + " page(s) claimed backfilled are not in the database" : "")
                    : differing + " page(s) below nBackfill " + nBackfill + " are not in the database";
            out.add(new Problem(Problem.Severity.ERROR, Code.WAL_RESET_RACE, index.source().name(), null,
                    "wal-index checkpoint info", null, null, null, what
                    + ": the state SQLite's WAL-reset race leaves (3.7.0-3.51.2; fixed in 3.51.3, 3.50.7, 3.44.6): "
                    + "a checkpoint that read the wal-index header before a writer restarted the WAL stored nBackfill "
                    + "for frames it never copied; later checkpoints skip them and a reader on read mark 0 or the next "
                    + "restart loses them. (A database copied at another instant than the -shm and -wal looks the same.)"));
        }
        return out;
    }
}
