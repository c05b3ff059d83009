package io.walkit.db;

/**
 * One parsed cell (SQLite: {@code CellInfo}), a mutable holder reused across cells so that scans
 * do not allocate per cell. All offsets are bytes from the page start; page numbers are 1-based.
 * Filled by {@link Database#parseCell(BtreePage, int, Cell)}. Not thread-safe; nothing to close.
 */
public final class Cell {
    /** Offset of the cell in its page. */
    public int offset;
    /** Left child page (interior pages), else 0. */
    public long leftChild;
    /** Total payload bytes (SQLite: nPayload); 0 for table interior cells. */
    public long payloadSize;
    /** Rowid / integer key (SQLite: nKey) on table pages; 0 on index pages. */
    public long key;
    /** Offset of the first payload byte in the page. */
    public int payloadOffset;
    /** Payload bytes stored on the page (SQLite: nLocal). */
    public int localSize;
    /** First overflow page, 0 when the payload is wholly local. */
    public long overflowPage;
    /** Bytes the cell occupies on the page (SQLite: nSize, at least 4). */
    public int size;

    /** An empty holder (all fields 0), to be filled by a parse. */
    public Cell() {
    }

    /**
     * Whether part of the payload lives on overflow pages.
     *
     * @return true when {@link #payloadSize} exceeds {@link #localSize}
     */
    public boolean overflows() {
        return payloadSize > localSize;
    }
}
