package io.walkit.wal;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrays;

/**
 * Page number → newest frame number holding it, for the frames of a WAL up to some frame
 * (normally a commit frame). Memory is proportional to the number of distinct pages.
 */
public final class PageIndex {

    private final Int2IntOpenHashMap newest;
    private final int mxFrame;

    PageIndex(Int2IntOpenHashMap newest, int mxFrame) {
        this.newest = newest;
        this.mxFrame = mxFrame;
    }

    /** {@return the frame bound this index was built for: only frames 1..mxFrame were considered} */
    public int mxFrame() {
        return mxFrame;
    }

    /**
     * {@return the newest frame ≤ {@link #mxFrame()} holding {@code pageNumber}, or 0 if none does}
     *
     * @param pageNumber the database page number, 1-based
     */
    public int newestFrame(int pageNumber) {
        return newest.get(pageNumber);
    }

    /** {@return the number of distinct pages in the indexed frames} */
    public int pageCount() {
        return newest.size();
    }

    /** {@return the distinct page numbers, in ascending unsigned order} */
    public int[] pages() {
        int[] pages = newest.keySet().toIntArray();
        IntArrays.unstableSort(pages);
        // Page numbers are u32; put "negative" (≥ 2^31) ones last.
        int firstNegative = 0;
        while (firstNegative < pages.length && pages[firstNegative] < 0) {
            firstNegative++;
        }
        if (firstNegative > 0) {
            int[] sorted = new int[pages.length];
            System.arraycopy(pages, firstNegative, sorted, 0, pages.length - firstNegative);
            System.arraycopy(pages, 0, sorted, pages.length - firstNegative, firstNegative);
            pages = sorted;
        }
        return pages;
    }
}
