package io.walkit.forensics;

import java.util.Arrays;

/**
 * One record recovered from outside the live database. Immutable once built and thread-safe (callers
 * must not modify {@link #values()}).
 *
 * @param table      the owning table's name, or null when no schema fits
 * @param columns    column names in declared order (null when the table is unknown)
 * @param rowid      the rowid when the cell's rowid survived, else null
 * @param values     column values in declared order: null, Long, Double, String or byte[]; the
 *                   INTEGER PRIMARY KEY column holds the rowid when it survived, else null
 * @param status     deleted, superseded or uncommitted
 * @param confidence how sure the decode is
 * @param source     where the bytes were found
 */
public record RecoveredRecord(String table, java.util.List<String> columns, Long rowid, Object[] values,
                              RecordStatus status, Confidence confidence, RecordSource source) {

    @Override
    public String toString() {
        return "RecoveredRecord[" + table + " rowid=" + rowid + " " + Arrays.deepToString(values) + " " + status.jsonName()
                + " " + confidence.jsonName() + " " + source + "]";
    }
}
