/**
 * walkit's database format: pages, b-trees, records, the schema, rollback journals, the integrity
 * check, and the read-only evidence facade ({@link io.walkit.db.Evidence}).
 */
module io.walkit.db {
    requires transitive io.walkit.wal;
    requires it.unimi.dsi.fastutil.core;

    exports io.walkit.db;
}
