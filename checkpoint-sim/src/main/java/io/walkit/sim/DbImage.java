package io.walkit.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A logical database image: {@code pageCount} page images of {@code pageSize} bytes (page 1 first).
 * Page arrays are shared, never mutated. Immutable by convention; thread-safe once built.
 *
 * @param label  a short description for people ("commit 3", "initial", "recovered = commit 2");
 *               never read back to decide anything
 * @param pages  page images; {@code pages[p-1]} is page p
 * @param origin where the image comes from: what verdicts are decided on
 */
public record DbImage(String label, byte[][] pages, Origin origin) {

    /** Where an image comes from. */
    public enum Origin {
        /** The model's initial image. */
        INITIAL,
        /** A committed (acknowledged) transaction. */
        COMMIT,
        /** The commit being written when a crash happened (not acknowledged). */
        IN_FLIGHT,
        /** What a crash recovered: equal to a committed image. */
        RECOVERED_COMMITTED,
        /** What a crash recovered: equal to the commit in flight at the crash (or to an earlier such recovery). */
        RECOVERED_IN_FLIGHT,
        /** What a crash recovered: equal to no committed image (the database is a mixture: corrupt). */
        RECOVERED_UNCOMMITTED,
        /** Any other view (a reader's snapshot, files read together, a restore). */
        VIEW;

        /**
         * Whether the image is (or recovered) the transaction in flight at a crash.
         *
         * @return true for {@link #IN_FLIGHT} and {@link #RECOVERED_IN_FLIGHT}
         */
        public boolean inFlight() {
            return this == IN_FLIGHT || this == RECOVERED_IN_FLIGHT;
        }
    }

    /**
     * A {@link Origin#VIEW} image.
     *
     * @param label a short description for people
     * @param pages page images; {@code pages[p-1]} is page p (not copied)
     */
    public DbImage(String label, byte[][] pages) {
        this(label, pages, Origin.VIEW);
    }

    /**
     * Number of pages.
     *
     * @return the page count
     */
    public int pageCount() {
        return pages.length;
    }

    /**
     * Page {@code pageNumber} (1-based).
     *
     * @param pageNumber 1..{@link #pageCount()}
     * @return the image's own array (shared: do not modify)
     * @throws ArrayIndexOutOfBoundsException if {@code pageNumber} is out of range
     */
    public byte[] page(int pageNumber) {
        return pages[pageNumber - 1];
    }

    /**
     * The image as a database file.
     *
     * @param pageSize page size in bytes (every page must be at least this long)
     * @return a fresh array of {@code pageCount * pageSize} bytes
     */
    public byte[] toFileBytes(int pageSize) {
        byte[] out = new byte[pages.length * pageSize];
        for (int i = 0; i < pages.length; i++) {
            System.arraycopy(pages[i], 0, out, i * pageSize, pageSize);
        }
        return out;
    }

    /**
     * Splits a database file into pages; a trailing partial page is zero-padded ({@link Origin#VIEW}).
     *
     * @param label    a short description for people
     * @param file     the database file's bytes (copied)
     * @param pageSize page size in bytes
     * @return the image
     */
    public static DbImage ofFile(String label, byte[] file, int pageSize) {
        int n = (file.length + pageSize - 1) / pageSize;
        byte[][] pages = new byte[n][];
        for (int i = 0; i < n; i++) {
            pages[i] = Arrays.copyOfRange(file, i * pageSize, i * pageSize + pageSize);
        }
        return new DbImage(label, pages);
    }

    /**
     * Whether both images have the same pages (labels and origins are ignored).
     *
     * @param o the other image
     * @return true if the page counts and every page's bytes are equal
     */
    public boolean samePages(DbImage o) {
        return Arrays.deepEquals(pages, o.pages);
    }

    /**
     * Pages (1-based) whose content differs, plus pages present in only one image.
     *
     * @param o the other image
     * @return the page numbers, ascending (empty when the pages are the same)
     */
    public List<Integer> differingPages(DbImage o) {
        List<Integer> out = new ArrayList<>();
        for (int p = 1; p <= Math.max(pageCount(), o.pageCount()); p++) {
            if (p > pageCount() || p > o.pageCount() || !Arrays.equals(page(p), o.page(p))) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DbImage d && label.equals(d.label) && origin == d.origin && samePages(d);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(pages);
    }

    @Override
    public String toString() {
        return label + " (" + pages.length + " pages)";
    }
}
