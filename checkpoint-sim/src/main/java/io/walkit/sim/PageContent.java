package io.walkit.sim;

import java.nio.ByteBuffer;

/**
 * The simple page-content model for pure-protocol scenarios: a page image that names the page
 * and the version that wrote it, so any mixture of versions can be told apart byte for byte.
 *
 * <p>Layout (big-endian): 0 magic "SIMP", 4 page number, 8 version (the commit ordinal), then
 * a filler derived from both. Such pages are not b-tree pages; scenarios that need SQLite to
 * read the database use page images taken from real SQLite instead.
 *
 * <p>Stateless; thread-safe.
 */
public final class PageContent {

    private static final int MAGIC = 0x53494D50;

    private PageContent() {}

    /**
     * The synthetic image of {@code pageNumber} as written by version {@code version}.
     *
     * @param pageSize   page size in bytes (at least 12)
     * @param pageNumber 1-based page number
     * @param version    the commit ordinal that wrote it (0 for the initial database)
     * @return a fresh array of {@code pageSize} bytes
     */
    public static byte[] synthetic(int pageSize, int pageNumber, int version) {
        ByteBuffer b = ByteBuffer.allocate(pageSize);
        b.putInt(MAGIC).putInt(pageNumber).putInt(version);
        long x = pageNumber * 0x9E3779B97F4A7C15L ^ version * 0xC2B2AE3D27D4EB4FL;
        while (b.remaining() >= 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.putLong(x);
        }
        return b.array();
    }

    /**
     * The version a synthetic page carries, or -1 if the bytes are not a synthetic page of {@code pageNumber}.
     *
     * @param page       a page image
     * @param pageNumber the 1-based page number it should name
     * @return the version, or -1
     */
    public static int versionOf(byte[] page, int pageNumber) {
        ByteBuffer b = ByteBuffer.wrap(page);
        if (page.length < 12 || b.getInt(0) != MAGIC || b.getInt(4) != pageNumber) {
            return -1;
        }
        return b.getInt(8);
    }

    /**
     * "v3", "zero" or "other" for display.
     *
     * @param page       a page image
     * @param pageNumber the 1-based page number it should name
     * @return {@code v<version>} for a synthetic page of that number, {@code zero} for all zeros,
     *         else {@code other}
     */
    public static String describe(byte[] page, int pageNumber) {
        int v = versionOf(page, pageNumber);
        if (v >= 0) {
            return "v" + v;
        }
        for (byte x : page) {
            if (x != 0) {
                return "other";
            }
        }
        return "zero";
    }
}
