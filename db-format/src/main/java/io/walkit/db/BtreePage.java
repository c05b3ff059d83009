package io.walkit.db;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.walkit.db.DbFormat.*;

/**
 * One b-tree page (SQLite: {@code MemPage}): its header, cell pointer array and cells. Offsets in
 * the page are from the page start; the header starts at {@code hdr} = 100 on page 1, else 0.
 *
 * <pre>
 * offset   | size | field                    | SQLite
 * ---------+------+--------------------------+-----------------------------------------------
 * hdr+0    |  1   | page type 2/5/10/13      | flag byte: intkey 1, zerodata 2, leafdata 4, leaf 8
 * hdr+1    |  2   | first freeblock, 0 none  |
 * hdr+3    |  2   | cell count K             | nCell, at most (P − 8)/6 (MX_CELL)
 * hdr+5    |  2   | cell content start       | 0 means 65536
 * hdr+7    |  1   | fragmented free bytes    |
 * hdr+8    |  4   | right-most child         | interior pages only
 * hdr+8/12 | 2·K  | cell pointer array       | aCellIdx, in key order
 * </pre>
 *
 * <p>Cells (SQLite: {@code btreeParseCellPtr*}):
 * <pre>
 * table leaf (13):     varint payload size, varint rowid, local payload, [u32 first overflow]
 * table interior (5):  u32 left child, varint rowid
 * index leaf (10):     varint payload size, local payload, [u32 first overflow]
 * index interior (2):  u32 left child, varint payload size, local payload, [u32 first overflow]
 * </pre>
 * Decoding never throws on odd values: reads beyond the page read as zero; callers check ranges
 * with {@link #headerProblem()} and the cell fields.
 *
 * <p>Immutable view over the page's bytes; safe to share between threads while the segment stays
 * valid. It owns nothing: the segment belongs to the {@link PageSource} it came from.
 */
public final class BtreePage {

    private final long pageNumber;
    private final MemorySegment data;
    private final int hdr;
    private final int type;
    private final int usable;
    private final int pageSize;
    private final boolean leaf;
    private final boolean intKey;
    private final int maxLocal;
    private final int minLocal;

    /**
     * Decodes the header of {@code data} (exactly one page) as page {@code pageNumber}.
     *
     * @param pageNumber the 1-based page number (page 1 has its b-tree header at offset 100)
     * @param data       the page's bytes, exactly one page long
     * @param usable     the usable page size in bytes (page size − reserved bytes)
     */
    public BtreePage(long pageNumber, MemorySegment data, int usable) {
        this.pageNumber = pageNumber;
        this.data = data;
        this.pageSize = (int) data.byteSize();
        this.hdr = pageNumber == 1 ? HEADER_SIZE : 0;
        this.type = u8(hdr);
        this.usable = usable;
        this.leaf = (type & 8) != 0;
        this.intKey = (type & ~8) == PAGE_TABLE_INTERIOR;
        this.maxLocal = type == PAGE_TABLE_LEAF ? DbFormat.maxLeaf(usable) : DbFormat.maxLocal(usable);
        this.minLocal = DbFormat.minLocal(usable);
    }

    /** {@return the 1-based page number} */
    public long pageNumber() { return pageNumber; }

    /** {@return the page bytes (one page)} */
    public MemorySegment data() { return data; }

    /** {@return the offset of the b-tree header: 100 on page 1, else 0} */
    public int headerOffset() { return hdr; }

    /** {@return the raw page type byte (valid: 2, 5, 10, 13; see {@link DbFormat#PAGE_TABLE_LEAF})} */
    public int type() { return type; }

    /** {@return whether the type byte is one of 2, 5, 10, 13} */
    public boolean validType() {
        return type == PAGE_INDEX_INTERIOR || type == PAGE_TABLE_INTERIOR || type == PAGE_INDEX_LEAF || type == PAGE_TABLE_LEAF;
    }

    /** {@return whether the leaf flag (8) is set in the type byte} */
    public boolean isLeaf() { return leaf; }

    /** {@return whether this is a table b-tree page (integer keys, SQLite: intKey), type 5 or 13} */
    public boolean isTable() { return intKey; }

    /** {@return the usable page size in bytes the page was decoded with} */
    public int usableSize() { return usable; }

    /** {@return the page offset of the first freeblock, 0 when there is none} */
    public int firstFreeblock() { return u16(hdr + BTREE_OFF_FIRST_FREEBLOCK); }

    /** {@return the number of cells as stored (unchecked; see {@link #headerProblem()})} */
    public int cellCount() { return u16(hdr + BTREE_OFF_CELL_COUNT); }

    /** {@return the start of the cell content area (SQLite: get2byteNotZero, 0 means 65536)} */
    public int contentStart() {
        int v = u16(hdr + BTREE_OFF_CONTENT_START);
        return v == 0 ? 65536 : v;
    }

    /** {@return the number of fragmented free bytes (header byte 7)} */
    public int fragmentedBytes() { return u8(hdr + BTREE_OFF_FRAGMENTED); }

    /** {@return the right-most child's 1-based page number (interior pages, unsigned), 0 on leaves} */
    public long rightChild() { return leaf ? 0 : u32(hdr + BTREE_OFF_RIGHT_CHILD); }

    /** {@return the size of the b-tree page header: 8 for leaves, 12 for interior pages} */
    public int headerSize() { return leaf ? LEAF_HEADER_SIZE : INTERIOR_HEADER_SIZE; }

    /** {@return the page offset of the cell pointer array} */
    public int cellPointerArrayOffset() { return hdr + headerSize(); }

    /** {@return the first byte after the cell pointer array (SQLite: iCellFirst)} */
    public int cellPointerArrayEnd() { return cellPointerArrayOffset() + 2 * cellCount(); }

    /**
     * The page offset of cell {@code i}, read from the cell pointer array (unchecked: see
     * {@link Database#parseCell(BtreePage, int, Cell)}).
     *
     * @param i the 0-based cell index
     * @return the offset stored in the pointer array
     */
    public int cellOffset(int i) { return u16(cellPointerArrayOffset() + 2 * i); }

    /** {@return the largest local payload of this page kind in bytes (SQLite: maxLocal / maxLeaf)} */
    public int maxLocal() { return maxLocal; }

    /** {@return the smallest local payload in bytes when a payload spills (SQLite: minLocal)} */
    public int minLocal() { return minLocal; }

    /** {@return the maximum cell count for the page size (SQLite: MX_CELL)} */
    public int maxCells() { return (pageSize - 8) / 6; }

    /**
     * What {@code btreeInitPage} rejects: an invalid type or too many cells; {@code null} if neither.
     *
     * @return a description of the problem, or {@code null}
     */
    public String headerProblem() {
        if (!validType()) {
            return "invalid page type " + type;
        }
        if (cellCount() > maxCells()) {
            return "cell count " + cellCount() + " exceeds " + maxCells();
        }
        return null;
    }

    /**
     * SQLite's {@code btreeComputeFreeSpace}: the free bytes on the page, or −1 when the freeblock
     * chain or the free-space total is impossible. Bounded by the page size (the chain ascends).
     *
     * @return the free bytes, or −1
     */
    public int computeFreeSpace() {
        int iCellFirst = cellPointerArrayEnd();
        int iCellLast = usable - 4;
        int top = contentStart();
        int pc = firstFreeblock();
        long nFree = fragmentedBytes() + (long) top;
        if (pc > 0) {
            if (pc < top) {
                return -1;
            }
            int next;
            int size;
            while (true) {
                if (pc > iCellLast) {
                    return -1;
                }
                next = u16(pc);
                size = u16(pc + 2);
                nFree += size;
                if (next <= pc + size + 3) {
                    break;
                }
                pc = next;
            }
            if (next > 0) {
                return -1;
            }
            if (pc + size > usable) {
                return -1;
            }
        }
        if (nFree > usable || nFree < iCellFirst) {
            return -1;
        }
        return (int) (nFree - iCellFirst);
    }

    /**
     * Parses the cell at page offset {@code offset} into {@code cell} (SQLite: {@code xParseCell}).
     * Never throws: out-of-page bytes read as zero; the caller checks {@code cell.size} against
     * the usable size.
     *
     * @param offset the page offset of the cell
     * @param cell   receives the decoded fields
     */
    public void parseCell(int offset, Cell cell) {
        cell.offset = offset;
        int p = offset;
        if (!leaf) {
            cell.leftChild = u32(p);
            p += 4;
        } else {
            cell.leftChild = 0;
        }
        if (intKey && !leaf) {
            cell.payloadSize = 0;
            cell.key = Varint.read(data, p, pageSize);
            p += Varint.size(data, p, pageSize);
            cell.payloadOffset = p;
            cell.localSize = 0;
            cell.overflowPage = 0;
            cell.size = p - offset;
            return;
        }
        long payload;
        int b0 = u8(p);
        if (b0 < 0x80) {
            // One-byte varints are the common case.
            payload = b0;
            p++;
        } else {
            payload = Varint.read(data, p, pageSize);
            p += Varint.size(data, p, pageSize);
        }
        // SQLite keeps payload sizes in a u32.
        payload &= 0xFFFF_FFFFL;
        cell.payloadSize = payload;
        if (intKey) {
            int k0 = u8(p);
            if (k0 < 0x80) {
                cell.key = k0;
                p++;
            } else {
                cell.key = Varint.read(data, p, pageSize);
                p += Varint.size(data, p, pageSize);
            }
        } else {
            cell.key = 0;
        }
        cell.payloadOffset = p;
        if (payload <= maxLocal) {
            cell.localSize = (int) payload;
            cell.overflowPage = 0;
            int size = (int) (p - offset + payload);
            cell.size = Math.max(size, 4);
        } else {
            int local = DbFormat.localPayload(payload, maxLocal, minLocal, usable);
            cell.localSize = local;
            int ovfl = p + local;
            cell.overflowPage = ovfl + 4 <= pageSize ? u32(ovfl) : 0;
            cell.size = p - offset + local + 4;
        }
    }

    /**
     * The size SQLite's {@code xCellSize} gives the cell at {@code offset}.
     *
     * @param offset  the page offset of the cell
     * @param scratch a holder overwritten by the parse
     * @return the cell's size in bytes on the page
     */
    public int cellSize(int offset, Cell scratch) {
        parseCell(offset, scratch);
        return scratch.size;
    }

    /**
     * An unsigned byte of the page.
     *
     * @param off the page offset (non-negative)
     * @return the byte, or 0 at or beyond the page end
     */
    public int u8(int off) {
        return off < pageSize ? data.get(ValueLayout.JAVA_BYTE, off) & 0xFF : 0;
    }

    /**
     * A big-endian unsigned 16-bit value of the page.
     *
     * @param off the page offset (non-negative)
     * @return the value; bytes beyond the page end read as 0
     */
    public int u16(int off) {
        return (u8(off) << 8) | u8(off + 1);
    }

    /**
     * A big-endian unsigned 32-bit value of the page.
     *
     * @param off the page offset (non-negative)
     * @return the value; bytes beyond the page end read as 0
     */
    public long u32(int off) {
        if (off + 4 <= pageSize) {
            return data.get(io.walkit.io.ByteSource.INT_BE, off) & 0xFFFF_FFFFL;
        }
        return ((long) u8(off) << 24) | (u8(off + 1) << 16) | (u8(off + 2) << 8) | u8(off + 3);
    }

    /**
     * A display name for the page type, for messages (never decide on it).
     *
     * @param type the raw page type byte
     * @return e.g. {@code "table leaf"}, or a "not a b-tree page" text
     */
    public static String typeName(int type) {
        return switch (type) {
            case PAGE_INDEX_INTERIOR -> "index interior";
            case PAGE_TABLE_INTERIOR -> "table interior";
            case PAGE_INDEX_LEAF -> "index leaf";
            case PAGE_TABLE_LEAF -> "table leaf";
            default -> "not a b-tree page (" + type + ")";
        };
    }
}
