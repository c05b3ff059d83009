package io.walkit.forensics;

import java.util.Locale;

/** How sure the decode of a recovered record is. Immutable and thread-safe. */
public enum Confidence {
    /** The whole cell (payload size, rowid, record header and body) parsed consistently. */
    COMPLETE,
    /**
     * The values are whole, but bytes before them were lost (SQLite overwrote the cell's first four bytes
     * with a freeblock header): the rowid is unknown and the lost record-header bytes were rebuilt from
     * the table's declared column types and the cell's extent.
     */
    RECONSTRUCTED,
    /** Some values are missing (overwritten, or their overflow chain did not survive). */
    PARTIAL;

    /** {@return the name in reports} */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
