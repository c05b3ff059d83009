package io.walkit.forensics;

import java.util.Locale;

/**
 * The structure a recovered record was found in. Immutable and thread-safe.
 *
 * <p>{@link #jsonName()} is the fixed interface name ({@code "freeblock"}, {@code "freelist-leaf"}, ...).
 */
public enum SourceKind {
    /** A freeblock of a live b-tree page (SQLite: the chain from header offset 1). */
    FREEBLOCK,
    /** The unallocated gap between a page's cell pointer array and its cell content area. */
    UNALLOCATED,
    /** A freelist trunk page, past its next-trunk pointer, leaf count and leaf numbers. */
    FREELIST_TRUNK,
    /** A freelist leaf page (its content is left as it was when the page was freed). */
    FREELIST_LEAF,
    /** A page reached by nothing (no b-tree, no freelist): typically a dropped table's or index's page. */
    DROPPED_OBJECT,
    /** An overflow page no live cell owns. */
    OVERFLOW,
    /** A WAL frame of the valid prefix whose page a later commit replaced. */
    WAL_SUPERSEDED,
    /** A frame of an earlier WAL generation (salts of a previous restart). */
    WAL_STALE,
    /** A frame past the last commit of the valid prefix (a crashed or rolled-back tail). */
    WAL_UNCOMMITTED,
    /** A page image saved in a rollback journal. */
    JOURNAL;

    /** {@return the name in reports: lower case, dashes} */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
