package io.walkit.db;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

/**
 * A set of page numbers for cycle-safe traversal: a bitmap when the database is small enough
 * (at most 2^28 pages, 32 MiB), else a hash set whose size grows only with the pages actually
 * visited, so memory never depends on an untrusted size field alone.
 */
final class PageSet {

    private static final long BITMAP_LIMIT = 1L << 28;

    private final long[] bits;
    private final LongOpenHashSet set;
    private int size;

    PageSet(long pageCount) {
        if (pageCount <= BITMAP_LIMIT) {
            bits = new long[(int) ((pageCount + 64) >>> 6)];
            set = null;
        } else {
            bits = null;
            set = new LongOpenHashSet();
        }
    }

    /** Adds {@code page}; returns false if it was already present. {@code page} must be in 0..pageCount. */
    boolean add(long page) {
        if (bits != null) {
            int w = (int) (page >>> 6);
            long m = 1L << page;
            if ((bits[w] & m) != 0) {
                return false;
            }
            bits[w] |= m;
            size++;
            return true;
        }
        boolean added = set.add(page);
        if (added) {
            size++;
        }
        return added;
    }

    boolean contains(long page) {
        if (bits != null) {
            return (bits[(int) (page >>> 6)] & (1L << page)) != 0;
        }
        return set.contains(page);
    }

    int size() {
        return size;
    }
}
