/** Forensic analysis of SQLite files: carving deleted and overwritten records from pages. */
module io.walkit.forensics {
    requires transitive io.walkit.db;
    requires it.unimi.dsi.fastutil.core;

    exports io.walkit.forensics;
}
