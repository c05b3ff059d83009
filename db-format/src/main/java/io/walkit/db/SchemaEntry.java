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
 * @param rowid the schema row's rowid (its position in creation order)
 */
public record SchemaEntry(long rowid, String type, String name, String tableName, long rootPage, String sql) {

    public boolean isTable() { return "table".equals(type); }

    public boolean isIndex() { return "index".equals(type); }
}
