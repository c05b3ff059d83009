package io.walkit.forensics;

import io.walkit.db.BtreePage;
import io.walkit.db.Database;
import io.walkit.db.DbFormat;
import io.walkit.db.FreelistTrunkPage;
import io.walkit.db.PageUsage;
import io.walkit.db.Record;
import io.walkit.db.SchemaEntry;
import io.walkit.db.WalPageSource;
import io.walkit.io.CorruptFileException;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovers deleted table records from one database image: freeblocks and the unallocated gap of
 * every live table-leaf page, freelist trunk and leaf pages, pages nothing references (dropped
 * tables and indexes), and the overflow chains of deleted records where they survive. Records are
 * decoded with the owning table's schema (the live schema, plus CREATE TABLE statements carved from
 * deleted {@code sqlite_schema} rows for dropped tables); records on orphan pages take the first
 * table whose shape fits.
 *
 * <p>Nothing live is reported: a carved record equal to a live row of its table (same rowid, or an
 * unknown rowid and the same values) is a stale copy SQLite left behind when moving cells, and is
 * dropped; so are duplicates among carved records. A record whose rowid is still live in its table
 * with other values is reported as {@link RecordStatus#SUPERSEDED}.
 *
 * <p>Not thread-safe; the caller owns and closes the {@link Database}. Bounds: every page is read
 * once for carving and once for the live rows; memory is the carved records plus three 64-bit hashes
 * per live row.
 */
public final class Carver {

    private final Database db;
    private final String file;
    private final String walFile;
    private final int usable;
    private final int pageSize;
    private final boolean utf8;
    private PageUsage usage;
    private final List<RecordShape> liveShapes = new ArrayList<>();
    private final Map<Long, RecordShape> shapeByRoot = new LinkedHashMap<>();
    private final List<RecordShape> carvedShapes = new ArrayList<>();
    private final LongOpenHashSet liveByValues = new LongOpenHashSet();
    private final LongOpenHashSet liveByRowidValues = new LongOpenHashSet();
    private final LongOpenHashSet liveRowids = new LongOpenHashSet();
    private final LongOpenHashSet liveRaw = new LongOpenHashSet();

    private Carver(Database db, String file, String walFile) {
        this.db = db;
        this.file = file;
        this.walFile = walFile;
        this.usable = db.usableSize();
        this.pageSize = db.pageSize();
        this.utf8 = db.charset().equals(StandardCharsets.UTF_8);
    }

    /**
     * Carves {@code db}, whose pages are those of {@code file} (the name reported in each source).
     *
     * @param db the database to carve; the caller keeps it open during the call and closes it
     * @param file the name of the database file, reported in each record's source
     * @return the recovered records (never a live row), in page order
     * @throws CorruptFileException when the live schema cannot be read
     */
    public static List<RecoveredRecord> carve(Database db, String file) throws CorruptFileException {
        return new Carver(db, file, null).run();
    }

    /**
     * Carves {@code db} read through a WAL as of one commit: pages whose newest image is a WAL frame are
     * reported with {@code walFile}, the frame number and the offset in the WAL; the others with
     * {@code file}. Only the newest image of each page is carved here.
     *
     * @param db the database read through its WAL; the caller keeps it open during the call and closes it
     * @param file the name of the database file, reported for pages read from it
     * @param walFile the name of the WAL, reported for pages read from its frames
     * @return the recovered records (never a live row), in page order
     * @throws CorruptFileException when the live schema cannot be read
     */
    public static List<RecoveredRecord> carve(Database db, String file, String walFile) throws CorruptFileException {
        return new Carver(db, file, walFile).run();
    }

    private List<RecoveredRecord> run() throws CorruptFileException {
        if (db.pageCount() == 0) {
            return List.of();
        }
        RecordShape schemaShape = RecordShape.schemaTable();
        shapeByRoot.put(1L, schemaShape);
        List<Long> roots = new ArrayList<>();
        roots.add(1L);
        for (SchemaEntry e : db.schema().entries()) {
            if (e.rootPage() > 0) {
                roots.add(e.rootPage());
            }
            if (e.isTable() && e.rootPage() > 0 && e.sql() != null) {
                RecordShape s = RecordShape.of(e.name(), e.sql());
                if (s != null && !s.withoutRowid()) {
                    liveShapes.add(s);
                    shapeByRoot.put(e.rootPage(), s);
                    collectLive(e.rootPage(), s);
                }
            }
        }
        usage = PageUsage.of(db, roots);
        List<PageCarver.Carved> none = List.of();
        List<RecoveredRecord> out = new ArrayList<>();
        // Deleted schema rows first: their CREATE TABLE statements give dropped tables' shapes.
        for (long p = 1; p <= db.pageCount(); p++) {
            if (usage != null && usage.kind(p) == PageUsage.Kind.TABLE_LEAF && usage.owner(p) == 1) {
                carveLivePage(p, schemaShape, out);
            }
        }
        for (RecoveredRecord r : out) {
            if ("sqlite_schema".equals(r.table()) && "table".equals(r.values()[0]) && r.values()[1] instanceof String name
                    && r.values()[4] instanceof String sql) {
                RecordShape s = RecordShape.of(name, sql);
                if (s != null && !s.withoutRowid()) {
                    carvedShapes.add(s);
                }
            }
        }
        for (long p = 1; p <= db.pageCount(); p++) {
            PageUsage.Kind kind = usage == null ? PageUsage.Kind.UNUSED : usage.kind(p);
            switch (kind) {
                case TABLE_LEAF -> {
                    long owner = usage.owner(p);
                    if (owner != 1) {
                        RecordShape s = shapeByRoot.get(owner);
                        if (s != null) {
                            carveLivePage(p, s, out);
                        }
                    }
                }
                case FREELIST_TRUNK -> carveOrphan(p, SourceKind.FREELIST_TRUNK, out);
                case FREELIST_LEAF -> carveOrphan(p, SourceKind.FREELIST_LEAF, out);
                case UNUSED -> carveOrphan(p, SourceKind.DROPPED_OBJECT, out);
                default -> {
                    // interior, index, overflow, pointer-map and lock-byte pages hold no table records
                }
            }
        }
        assert none.isEmpty();
        return filter(out);
    }

    private void collectLive(long root, RecordShape shape) throws CorruptFileException {
        String t = shape.table();
        db.scanTable(root, (rowid, rec) -> {
            Object[] v = shape.row(rowid, rec);
            liveByValues.add(Hashing.values(t, null, v));
            liveByRowidValues.add(Hashing.values(t, rowid, v));
            liveRowids.add(Hashing.rowid(t, rowid));
            liveRaw.add(Hashing.values(null, null, rec.values()));
            return true;
        });
    }

    private byte[] pageBytes(long p) throws CorruptFileException {
        MemorySegment seg = db.page(p);
        return seg.toArray(ValueLayout.JAVA_BYTE);
    }

    private List<RecordShape> shapesWith(RecordShape first) {
        List<RecordShape> l = new ArrayList<>();
        if (first != null) {
            l.add(first);
        }
        for (RecordShape s : liveShapes) {
            if (s != first) {
                l.add(s);
            }
        }
        for (RecordShape s : carvedShapes) {
            if (s != first) {
                l.add(s);
            }
        }
        return l;
    }

    /** Freeblocks and the unallocated gap of a live table-leaf page owned by {@code shape}'s table. */
    private void carveLivePage(long p, RecordShape shape, List<RecoveredRecord> out) throws CorruptFileException {
        byte[] d = pageBytes(p);
        BtreePage page = new BtreePage(p, MemorySegment.ofArray(d), usable);
        if (page.headerProblem() != null) {
            return;
        }
        PageCarver pc = new PageCarver(d, usable, this::readOverflow);
        List<RecordShape> shapes = shapesWith(shape);
        int[] order = prefixOrder(page, d);
        carveFreeSpace(p, page, pc, shapes, order, false, SourceKind.FREEBLOCK, out);
    }

    private void carveFreeSpace(long p, BtreePage page, PageCarver pc, List<RecordShape> shapes, int[] order,
                                boolean shapeFree, SourceKind freeKind, List<RecoveredRecord> out) {
        int cpaEnd = page.cellPointerArrayEnd();
        int contentStart = page.contentStart();
        if (cpaEnd < contentStart && contentStart <= usable) {
            emit(p, pc.scanFreeblock(cpaEnd, contentStart, shapes, shapeFree, order, false), freeKind == SourceKind.FREEBLOCK
                    ? SourceKind.UNALLOCATED : freeKind, out);
        }
        int fb = page.firstFreeblock();
        int prev = 0;
        for (int i = 0; fb != 0 && i < usable / 4; i++) {
            // SQLite: freeblocks are in increasing order and inside the content area (btreeComputeFreeSpace).
            if (fb <= prev || fb < cpaEnd || fb + 4 > usable) {
                break;
            }
            int next = page.u16(fb);
            int size = page.u16(fb + 2);
            int end = Math.min(fb + size, usable);
            emit(p, pc.scanFreeblock(fb, end, shapes, shapeFree, order, true), freeKind, out);
            prev = fb;
            fb = next;
        }
    }

    /** A freelist or unreferenced page: its old cells, freeblocks and gap if it still reads as a table leaf, else every byte. */
    private void carveOrphan(long p, SourceKind kind, List<RecoveredRecord> out) throws CorruptFileException {
        byte[] d = pageBytes(p);
        PageCarver pc = new PageCarver(d, usable, this::readOverflow);
        List<RecordShape> shapes = shapesWith(null);
        if (kind == SourceKind.FREELIST_TRUNK) {
            long leaves = Math.min(FreelistTrunkPage.read(p, MemorySegment.ofArray(d)).leafCount(),
                    FreelistTrunkPage.maxLeaves(usable));
            int from = (int) (8 + 4 * leaves);
            emit(p, rawScan(pc, from, shapes, d), kind, out);
            return;
        }
        BtreePage page = new BtreePage(p, MemorySegment.ofArray(d), usable);
        if (page.headerProblem() == null && page.type() == DbFormat.PAGE_TABLE_LEAF) {
            List<PageCarver.Carved> cells = new ArrayList<>();
            for (int i = 0; i < page.cellCount(); i++) {
                int off = page.cellOffset(i);
                if (off >= page.cellPointerArrayEnd() && off < usable) {
                    PageCarver.Carved c = pc.wholeCell(off, usable, shapes, true);
                    if (c != null) {
                        cells.add(c);
                    }
                }
            }
            emit(p, cells, kind, out);
            RecordShape dominant = cells.isEmpty() ? null : cells.getFirst().shape();
            carveFreeSpace(p, page, pc, shapesWith(dominant), prefixOrder(page, d), true, kind, out);
            return;
        }
        if (page.headerProblem() == null) {
            return;
        }
        int from = p == 1 ? DbFormat.HEADER_SIZE : 0;
        emit(p, rawScan(pc, from, shapes, d), kind, out);
    }

    /**
     * Every byte from {@code from}: whole cells, then cells with lost first bytes in the stretches between
     * them, rebuilt with the shape of the whole cells found (the page held one table's cells).
     */
    private List<PageCarver.Carved> rawScan(PageCarver pc, int from, List<RecordShape> shapes, byte[] d) {
        List<PageCarver.Carved> whole = pc.scanWhole(from, usable, shapes, true);
        RecordShape dominant = null;
        for (PageCarver.Carved c : whole) {
            if (c.shape() != null) {
                dominant = c.shape();
                break;
            }
        }
        if (dominant == null) {
            return whole;
        }
        return pc.scanFreeblock(from, usable, List.of(dominant), true, DEFAULT_ORDER, false);
    }

    private static final int[] DEFAULT_ORDER = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};

    /** Likely sizes of (payload varint + rowid varint) on this page, from its live cells; the rest after. */
    private int[] prefixOrder(BtreePage page, byte[] d) {
        int[] count = new int[19];
        io.walkit.db.Cell cell = new io.walkit.db.Cell();
        for (int i = 0; i < Math.min(page.cellCount(), 64); i++) {
            int off = page.cellOffset(i);
            if (off < page.cellPointerArrayEnd() || off + 4 > usable) {
                continue;
            }
            page.parseCell(off, cell);
            int k = cell.payloadOffset - off;
            if (k >= 2 && k <= 18) {
                count[k]++;
            }
        }
        List<Integer> ks = new ArrayList<>();
        for (int k = 2; k <= 18; k++) {
            ks.add(k);
        }
        ks.sort((x, y) -> count[y] != count[x] ? count[y] - count[x] : x - y);
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The {@code bytes} after the local part of a payload, from an overflow chain of free pages; null if it did not survive. */
    private byte[] readOverflow(long first, long bytes) {
        if (bytes <= 0 || bytes > (long) db.pageCount() * (usable - 4)) {
            return null;
        }
        byte[] out = new byte[(int) bytes];
        int have = 0;
        long pg = first;
        for (long i = 0; have < bytes && i < db.pageCount(); i++) {
            if (pg < 1 || pg > db.pageCount() || usage == null) {
                return null;
            }
            PageUsage.Kind k = usage.kind(pg);
            if (k != PageUsage.Kind.FREELIST_LEAF && k != PageUsage.Kind.UNUSED) {
                return null;
            }
            MemorySegment s;
            try {
                s = db.page(pg);
            } catch (CorruptFileException e) {
                return null;
            }
            int n = (int) Math.min(usable - 4, bytes - have);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 4, out, have, n);
            have += n;
            pg = s.get(io.walkit.io.ByteSource.INT_BE, 0) & 0xFFFF_FFFFL;
        }
        return have == bytes ? out : null;
    }

    private void emit(long p, List<PageCarver.Carved> cells, SourceKind kind, List<RecoveredRecord> out) {
        Record rec = db.newRecord();
        for (PageCarver.Carved c : cells) {
            MemorySegment seg = MemorySegment.ofArray(c.payload());
            if (rec.parse(seg, 0, c.payload().length) != null || !textValid(rec)) {
                continue;
            }
            RecordShape s = c.shape();
            Object[] values = s == null ? rec.values() : s.row(c.rowid(), rec);
            RecordSource src = source(p, c.offset(), kind);
            out.add(new RecoveredRecord(s == null ? null : s.table(), s == null ? null : s.columnNames(), c.rowid(), values,
                    RecordStatus.DELETED, c.confidence(), src));
        }
    }

    /** Where byte {@code inPage} of page {@code p} lives: the database file, or the WAL frame holding the page's newest image. */
    private RecordSource source(long p, int inPage, SourceKind kind) {
        long offset = db.pages().fileOffset(p, inPage);
        if (db.pages() instanceof WalPageSource w && w.frameOf(p) > 0) {
            return new RecordSource(walFile, kind, p, (long) w.frameOf(p), offset);
        }
        return new RecordSource(file, kind, p, null, offset);
    }

    private boolean textValid(Record rec) {
        if (!utf8) {
            return true;
        }
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int i = 0; i < rec.columnCount(); i++) {
            if (rec.isText(i)) {
                try {
                    dec.reset().decode(ByteBuffer.wrap(rec.getBytes(i)));
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Drops stale copies of live rows and duplicates; marks old versions of live rowids superseded. */
    private List<RecoveredRecord> filter(List<RecoveredRecord> all) {
        LongOpenHashSet seenRowid = new LongOpenHashSet();
        LongOpenHashSet seenValues = new LongOpenHashSet();
        List<RecoveredRecord> sorted = new ArrayList<>(all);
        // Whole cells first, so a rebuilt copy of the same record is the one dropped.
        sorted.sort(java.util.Comparator.comparing(RecoveredRecord::confidence));
        java.util.Set<RecoveredRecord> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (RecoveredRecord r : sorted) {
            String t = r.table();
            long byValues = Hashing.values(t, null, r.values());
            if (t == null) {
                if (liveRaw.contains(byValues)) {
                    continue;
                }
            } else if (r.rowid() != null ? liveByRowidValues.contains(Hashing.values(t, r.rowid(), r.values()))
                    : liveByValues.contains(byValues)) {
                continue;
            }
            if (r.rowid() != null) {
                if (!seenRowid.add(Hashing.values(t, r.rowid(), r.values()))) {
                    continue;
                }
                seenValues.add(byValues);
            } else if (!seenValues.add(byValues)) {
                continue;
            }
            keep.add(r);
        }
        List<RecoveredRecord> out = new ArrayList<>();
        for (RecoveredRecord r : all) {
            if (keep.contains(r)) {
                boolean superseded = r.table() != null && r.rowid() != null && liveRowids.contains(Hashing.rowid(r.table(), r.rowid()));
                out.add(superseded ? new RecoveredRecord(r.table(), r.columns(), r.rowid(), r.values(), RecordStatus.SUPERSEDED,
                        r.confidence(), r.source()) : r);
            }
        }
        return out;
    }
}
