package io.walkit.forensics;

import java.util.List;
import java.util.Locale;

/**
 * One row's change between two points of a database's history. Immutable (the value arrays are not
 * copied: treat them as read-only) and thread-safe to share once built.
 *
 * @param change    insert, update or delete
 * @param table     the table's name
 * @param rowid     the rowid (null for WITHOUT ROWID tables)
 * @param key       the primary-key values of a WITHOUT ROWID table (null for rowid tables)
 * @param oldValues the column values before (declared order), null for an insert
 * @param newValues the column values after (declared order), null for a delete
 */
public record RowChange(Change change, String table, Long rowid, List<Object> key, Object[] oldValues, Object[] newValues) {

    /** The kind of change. */
    public enum Change {
        /** The row exists only at the later point. */
        INSERT,
        /** The row exists at both points with different values. */
        UPDATE,
        /** The row exists only at the earlier point. */
        DELETE;

        /**
         * The name in reports ({@code "insert"}, {@code "update"}, {@code "delete"}).
         *
         * @return the result described above
         */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
