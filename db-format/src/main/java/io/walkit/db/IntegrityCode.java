package io.walkit.db;

import io.walkit.io.Problem;
import java.util.function.Function;

/**
 * The codes of {@link IntegrityCheck}'s problems, one per message template of SQLite's
 * {@code PRAGMA integrity_check} ({@code btree.c} for the b-tree level, {@code pragma.c} for the
 * row level). {@link Problem#message()} of a problem with one of these codes is SQLite's wording,
 * derived from the problem's field, expected and found values and its page; {@link Problem#text()}
 * adds SQLite's prefix ({@link Problem#structure()}, e.g. {@code Tree 2 page 5 cell 3}).
 *
 * <p>Immutable and thread-safe (an enum).
 */
public enum IntegrityCode implements Problem.Code {
    /** The database file itself cannot be opened (the header is unusable): field, expected and found of the header field. */
    DATABASE_UNREADABLE("database-unreadable", null),
    /** sqlite_schema cannot be read; found is the reason. */
    SCHEMA_UNREADABLE("schema-unreadable", p -> "malformed database schema (sqlite_schema): " + p.found()),
    /** SQLite would refuse to load a schema entry; field is its name, found the reason. */
    SCHEMA_REJECTED("schema-rejected", p -> "malformed database schema (" + p.field() + ") - " + p.found()),
    /** An index's entry count differs from its table's; field is the index name. */
    INDEX_ENTRY_COUNT("index-entry-count", p -> "wrong # of entries in index " + p.field()),
    /** The header's largest root page disagrees with the schema (auto-vacuum). */
    MAX_ROOTPAGE("max-rootpage", p -> "max rootpage (" + p.expected() + ") disagrees with header (" + p.found() + ")"),
    /** Incremental vacuum is set in a file without auto-vacuum. */
    INCREMENTAL_VACUUM("incremental-vacuum", p -> "incremental_vacuum enabled with a max rootpage of zero"),
    /** A page no tree, list or pointer map uses. */
    PAGE_NEVER_USED("page-never-used", p -> "Page " + p.found() + ": never used"),
    /** A pointer-map page is referenced by a tree or list. */
    PTRMAP_PAGE_REFERENCED("ptrmap-page-referenced", p -> "Page " + p.found() + ": pointer map referenced"),
    /** A page number outside 1..database size. */
    INVALID_PAGE_NUMBER("invalid-page-number", p -> "invalid page number " + p.found()),
    /** A page referenced a second time. */
    PAGE_REFERENCED_TWICE("page-referenced-twice", p -> "2nd reference to page " + p.found()),
    /** A pointer-map entry cannot be read; field is {@code key=PAGE}. */
    PTRMAP_UNREADABLE("ptrmap-unreadable", p -> "Failed to read ptrmap " + p.field()),
    /** A pointer-map entry differs from the page's real parent; field is {@code key=PAGE}, values {@code (type,parent)}. */
    BAD_PTRMAP_ENTRY("bad-ptrmap-entry",
            p -> "Bad ptr map entry " + p.field() + " expected=" + p.expected() + " got=" + p.found()),
    /** A freelist trunk claims more leaves than fit. */
    FREELIST_LEAF_COUNT("freelist-leaf-count", p -> "freelist leaf count too big on page " + p.position().pageNumber()),
    /** A freelist or overflow chain is shorter or longer than its declared length; field is "size" or "overflow list length". */
    LIST_LENGTH("list-length", p -> p.field() + " is " + p.found() + " but should be " + p.expected()),
    /** A b-tree deeper than {@link IntegrityCheck#MAX_TREE_DEPTH}. */
    TREE_TOO_DEEP("tree-too-deep", p -> "b-tree deeper than " + IntegrityCheck.MAX_TREE_DEPTH + " levels"),
    /** A b-tree page header SQLite's btreeInitPage rejects; the detail says why. */
    BAD_PAGE_HEADER("bad-page-header", p -> "btreeInitPage() returns error code 11"),
    /** The freeblock chain or free-space accounting of a page is impossible. */
    FREE_SPACE("free-space", p -> "free space corruption"),
    /** A cell pointer outside the cell content area; expected is the allowed range. */
    CELL_OFFSET_RANGE("cell-offset-range", p -> "Offset " + p.found() + " out of range " + p.expected()),
    /** A cell extends past the usable end of its page. */
    CELL_EXTENDS_OFF_PAGE("cell-extends-off-page", p -> "Extends off end of page"),
    /** A table b-tree rowid out of order. */
    ROWID_ORDER("rowid-order", p -> "Rowid " + p.found() + " out of order"),
    /** Sibling subtrees of different depth. */
    CHILD_DEPTH("child-depth", p -> "Child page depth differs"),
    /** Two cells or freeblocks overlap; found is the first byte used twice. */
    MULTIPLE_USES("multiple-uses", p -> "Multiple uses for byte " + p.found() + " of page " + p.position().pageNumber()),
    /** The fragmented-bytes count of a page header is wrong. */
    FRAGMENTATION("fragmentation", p -> "Fragmentation of " + p.expected() + " bytes reported as " + p.found()
            + " on page " + p.position().pageNumber()),
    /** A UNIQUE index holds two equal keys; field is the index name. */
    NON_UNIQUE("non-unique", p -> "non-unique entry in index " + p.field()),
    /** A table or index scan stopped at an unreadable structure; field names it ("table t"), found is the reason. */
    SCAN_STOPPED("scan-stopped", p -> p.field() + ": " + p.found()),
    /** A row's overflow content lies past the end of the file where SQLite reads it directly; field is the table, found the row. */
    SHORT_READ("short-read", p -> "disk I/O error (short read) while reading row " + p.found() + " of " + p.field()
            + ": the file ends inside an overflow page SQLite reads directly"),
    /** A table row without its index entry; field is the index, found the row's 1-based position in the scan. */
    ROW_MISSING_FROM_INDEX("row-missing-from-index", p -> "row " + p.found() + " missing from index " + p.field()),
    /** NULL in a NOT NULL column; field is {@code table.column}. */
    NULL_VALUE("null-value", p -> "NULL value in " + p.field()),
    /** A STRICT column holds a value of another type; field is {@code table.column}, expected the type. */
    STRICT_TYPE("strict-type", p -> "non-" + p.expected() + " value in " + p.field()),
    /** A TEXT-affinity column holds a number; field is {@code table.column}. */
    NUMERIC_IN_TEXT("numeric-in-text", p -> "NUMERIC value in " + p.field()),
    /** A numeric-affinity column holds text that looks like a number; field is {@code table.column}. */
    TEXT_IN_NUMERIC("text-in-numeric", p -> "TEXT value in " + p.field());

    private final String id;
    private final Function<Problem, String> template;

    IntegrityCode(String id, Function<Problem, String> template) {
        this.id = id;
        this.template = template;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String describe(Problem p) {
        return template == null ? Problem.Code.super.describe(p) : template.apply(p);
    }

    @Override
    public boolean describesDetail() {
        return template == null;
    }
}
