/**
 * Forensic analysis of SQLite files. The package {@code io.walkit.forensics} is exported once it
 * holds types (an empty package cannot be exported).
 */
module io.walkit.forensics {
    requires transitive io.walkit.db;
}
