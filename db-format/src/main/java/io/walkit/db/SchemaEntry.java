package io.walkit.db;

/**
 * One row of {@code sqlite_schema} (alias {@code sqlite_master}), the table b-tree rooted at page 1.
 *
 * <pre>
 * column   | meaning
 * ---------+------------------------------------------------------------------
 * type     | 'table', 'index', 'view' or 'trigger'
 * name     | the object's name
 * tbl_name | the table an index or trigger belongs to (the name itself for tables)
 * rootpage | root b-tree page; 0 for views, triggers and virtual tables
 * sql      | the CREATE statement; NULL for automatic indexes (sqlite_autoindex_T_N)
 * </pre>
 *
 * <p>Immutable; thread-safe. Text columns holding another type are read as text; a missing
 * value is {@code null}.
 *
 * @param rowid     the schema row's rowid (its position in creation order)
 * @param type      the {@code type} column, or {@code null}
 * @param name      the {@code name} column, or {@code null}
 * @param tableName the {@code tbl_name} column, or {@code null}
 * @param rootPage  the {@code rootpage} column as a 1-based page number; 0 for none (or a non-number)
 * @param sql       the {@code sql} column, or {@code null}
 */
public record SchemaEntry(long rowid, String type, String name, String tableName, long rootPage, String sql) {

    /** {@return whether the type is 'table' (virtual tables too: their root page is 0)} */
    public boolean isTable() { return "table".equals(type); }

    /** {@return whether the type is 'index'} */
    public boolean isIndex() { return "index".equals(type); }
}
