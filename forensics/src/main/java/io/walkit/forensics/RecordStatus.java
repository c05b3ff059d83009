package io.walkit.forensics;

import java.util.Locale;

/** Why a recovered record is not part of the current database. Immutable and thread-safe. */
public enum RecordStatus {
    /** Deleted (its space freed) in the state it was found in. */
    DELETED,
    /** A committed older version that a later commit replaced. */
    SUPERSEDED,
    /** Written but never committed. */
    UNCOMMITTED;

    /** {@return the name in reports} */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
