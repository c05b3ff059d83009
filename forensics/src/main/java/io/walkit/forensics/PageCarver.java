package io.walkit.forensics;

import io.walkit.db.Affinity;
import io.walkit.db.DbFormat;
import io.walkit.db.Varint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds table-leaf cells in the freed bytes of one page image: whole cells anywhere in a region, and
 * cells whose first four bytes SQLite overwrote with a freeblock header (SQLite: {@code freeSpace}
 * writes the next-freeblock offset and the block size over the start of the freed cell), whose lost
 * record-header bytes are rebuilt from the table's declared column types and the cell's extent.
 *
 * <p>A table-leaf cell is {@code varint payloadSize, varint rowid, record[local], u32 firstOverflow?}
 * and a record is {@code varint headerSize, varint serialType*, body}. A candidate is accepted only
 * when every length agrees: the header size covers exactly the serial types, the body sizes add up
 * to the payload size, the field count and types fit a table's shape, and the cell ends inside the
 * region.
 *
 * <p>Not thread-safe (one instance per page, reused scratch arrays). Bounds: each region is scanned
 * once byte by byte with at most {@link #MAX_FIELDS} serial types read per candidate; rebuilding
 * recurses at most {@link #MAX_DEPTH} cells deep; overflow bytes come from the caller's reader,
 * which caps them by the file.
 */
final class PageCarver {

    /** Most fields a carved record may have (SQLite's default SQLITE_MAX_COLUMN). */
    static final int MAX_FIELDS = 2000;
    /** Most cells rebuilt one after another inside one gap. */
    static final int MAX_DEPTH = 16;
    /** Smallest plausible cell: payload size, rowid, header size, one serial type. */
    static final int MIN_CELL = 4;

    /** Reads the rest of a payload from an overflow chain; null when the chain did not survive. */
    interface OverflowReader {
        byte[] read(long firstPage, long bytes);
    }

    /**
     * One carved cell.
     *
     * @param offset     page offset of the cell's first byte
     * @param end        page offset just past the cell's local bytes
     * @param rowid      the rowid, or null when it was overwritten
     * @param payload    the whole record (header rebuilt where lost, overflow appended)
     * @param shape      the table shape it fits, or null
     * @param confidence complete or reconstructed
     */
    record Carved(int offset, int end, Long rowid, byte[] payload, RecordShape shape, Confidence confidence) {}

    private final byte[] d;
    private final int usable;
    private final int maxLocal;
    private final int minLocal;
    private final OverflowReader overflow;
    private long[] types = new long[64];
    private int vlen;

    PageCarver(byte[] page, int usable, OverflowReader overflow) {
        this.d = page;
        this.usable = Math.min(usable, page.length);
        this.maxLocal = usable - 35;
        this.minLocal = (usable - 12) * 32 / 255 - 23;
        this.overflow = overflow;
    }

    /** The varint at {@code p} if it ends before {@code limit} (length in {@link #vlen}), else −1 with vlen 0. */
    private long varint(int p, int limit) {
        long v = 0;
        for (int i = 0; i < 9; i++) {
            if (p + i >= limit) {
                vlen = 0;
                return -1;
            }
            int b = d[p + i] & 0xFF;
            if (i == 8) {
                vlen = 9;
                return (v << 8) | b;
            }
            v = (v << 7) | (b & 0x7F);
            if (b < 0x80) {
                vlen = i + 1;
                return v;
            }
        }
        vlen = 0;
        return -1;
    }

    /**
     * Parses {@code count} serial types (or, when {@code count} is −1, types up to {@code headerEnd})
     * starting at {@code p} into {@link #types}; returns the number read, or −1 when one is invalid
     * (reserved 10/11) or runs past {@code headerEnd}. {@link #lastTypeEnd} is where the last one ended.
     */
    private int lastTypeEnd;
    private long lastBodySum;

    private int parseTypes(int p, int headerEnd, int count) {
        return parseTypes(p, headerEnd, count, MAX_FIELDS, Long.MAX_VALUE, null, 0);
    }

    /**
     * As {@link #parseTypes(int, int, int)}, giving up (−1) as soon as the answer cannot be used: more
     * than {@code maxFields} types, a body sum above {@code maxBody}, or (when {@code strict} is not
     * null) a type that {@link #strictlyCompatible} rejects for field {@code fieldOffset + i} of
     * {@code strict}. The carver's hot loop: most byte offsets of a region fail within a byte or two.
     */
    private int parseTypes(int p, int headerEnd, int count, int maxFields, long maxBody, RecordShape strict, int fieldOffset) {
        int n = 0;
        long body = 0;
        int cap = Math.min(maxFields, MAX_FIELDS);
        while (count < 0 ? p < headerEnd : n < count) {
            if (n >= cap) {
                return -1;
            }
            long t;
            int b = p < headerEnd ? d[p] : 0;
            if (b >= 0 && p < headerEnd) {
                // one-byte varint, by far the most common serial type
                t = b;
                vlen = 1;
            } else {
                t = varint(p, headerEnd);
            }
            if (vlen == 0 || t == 10 || t == 11 || t < 0 || t > 0x7FFF_FFFFL * 2 + 13) {
                return -1;
            }
            if (strict != null && !strictlyCompatible(strict.fieldAffinity(fieldOffset + n), t)) {
                return -1;
            }
            p += vlen;
            if (n == types.length) {
                types = Arrays.copyOf(types, n * 2);
            }
            types[n++] = t;
            body += io.walkit.db.Record.bodySize(t);
            if (body > maxBody) {
                return -1;
            }
        }
        if (count < 0 && p != headerEnd) {
            return -1;
        }
        lastTypeEnd = p;
        lastBodySum = body;
        return n;
    }

    /** The best-fitting shape for the types just parsed (all fields compatible), earlier shapes winning ties; null if none. */
    private static RecordShape choose(List<RecordShape> shapes, long[] types, int n) {
        for (RecordShape s : shapes) {
            if (s.fit(types, n) == n) {
                return s;
            }
        }
        return null;
    }

    private boolean allNull(int n) {
        for (int i = 0; i < n; i++) {
            if (types[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private int localSize(long payload) {
        return DbFormat.localPayload(payload, maxLocal, minLocal, usable);
    }

    /**
     * A whole table-leaf cell at page offset {@code p} ending at or before {@code limit}, or null.
     *
     * @param shapeFree accept a record no shape fits (its values are reported without a table)
     */
    Carved wholeCell(int p, int limit, List<RecordShape> shapes, boolean shapeFree) {
        return wholeCell(p, limit, shapes, shapeFree, shapeFree ? MAX_FIELDS : maxFieldCount(shapes));
    }

    /** The most fields any of {@code shapes} has (a record with more fits none of them). */
    private static int maxFieldCount(List<RecordShape> shapes) {
        int m = 0;
        for (RecordShape s : shapes) {
            m = Math.max(m, s.fieldCount());
        }
        return m;
    }

    /** As {@link #wholeCell(int, int, List, boolean)}; a record of more than {@code maxFields} fields is rejected early. */
    private Carved wholeCell(int p, int limit, List<RecordShape> shapes, boolean shapeFree, int maxFields) {
        long payload = varint(p, limit);
        int n1 = vlen;
        if (n1 == 0 || payload < 2 || payload > Integer.MAX_VALUE) {
            return null;
        }
        long rowid = varint(p + n1, limit);
        int n2 = vlen;
        if (n2 == 0) {
            return null;
        }
        int r = p + n1 + n2;
        boolean spills = payload > maxLocal;
        int local = spills ? localSize(payload) : (int) payload;
        long cellEnd = (long) r + local + (spills ? 4 : 0);
        if (cellEnd > limit) {
            return null;
        }
        long hs = varint(r, r + local);
        int nh = vlen;
        if (nh == 0 || hs < nh + 1 || hs > local) {
            return null;
        }
        int n = parseTypes(r + nh, (int) (r + hs), -1, maxFields, payload - hs, null, 0);
        if (n <= 0 || hs + lastBodySum != payload) {
            return null;
        }
        RecordShape shape = choose(shapes, types, n);
        if (shape == null && (!shapeFree || allNull(n))) {
            return null;
        }
        byte[] rec = assemble(r, local, payload, spills);
        if (rec == null) {
            return null;
        }
        return new Carved(p, (int) cellEnd, rowid, rec, shape, Confidence.COMPLETE);
    }

    private byte[] assemble(int r, int local, long payload, boolean spills) {
        if (!spills) {
            return Arrays.copyOfRange(d, r, r + local);
        }
        long first = u32(r + local);
        byte[] rest = overflow == null ? null : overflow.read(first, payload - local);
        if (rest == null) {
            return null;
        }
        byte[] out = new byte[(int) payload];
        System.arraycopy(d, r, out, 0, local);
        System.arraycopy(rest, 0, out, local, rest.length);
        return out;
    }

    private long u32(int p) {
        return ((d[p] & 0xFFL) << 24) | ((d[p + 1] & 0xFFL) << 16) | ((d[p + 2] & 0xFFL) << 8) | (d[p + 3] & 0xFFL);
    }

    /** Whole cells in {@code [a, b)}, scanning byte by byte and skipping past each cell found. */
    List<Carved> scanWhole(int a, int b, List<RecordShape> shapes, boolean shapeFree) {
        List<Carved> out = new ArrayList<>();
        b = Math.min(b, usable);
        int maxFields = shapeFree ? MAX_FIELDS : maxFieldCount(shapes);
        for (int p = Math.max(a, 0); p + MIN_CELL <= b; ) {
            Carved c = wholeCell(p, b, shapes, shapeFree, maxFields);
            if (c != null) {
                out.add(c);
                p = c.end();
            } else {
                p++;
            }
        }
        return out;
    }

    /**
     * Cells in the freeblock {@code [a, b)}: whole cells first, then, in each stretch no whole cell
     * explains, cells whose first four bytes were overwritten, rebuilt with {@code shapes}.
     *
     * @param anchored    whether {@code a} is where a cell started (a freeblock's start); otherwise the
     *                    first stretch is searched for the earliest chain of cells ending exactly where
     *                    the next whole cell (or the region) begins
     * @param prefixOrder likely sizes of (payload-size varint + rowid varint), most likely first
     */
    List<Carved> scanFreeblock(int a, int b, List<RecordShape> shapes, boolean shapeFree, int[] prefixOrder, boolean anchored) {
        b = Math.min(b, usable);
        List<Carved> whole = scanWhole(a, b, shapes, shapeFree);
        List<Carved> out = new ArrayList<>();
        int g0 = a;
        for (int i = 0; i <= whole.size(); i++) {
            int g1 = i < whole.size() ? whole.get(i).offset() : b;
            if (g1 - g0 >= MIN_CELL + 2) {
                boolean fixedStart = anchored || i > 0;
                for (RecordShape s : shapes) {
                    List<Carved> rebuilt = fixedStart ? rebuild(g0, g1, s, prefixOrder) : earliestChain(g0, g1, s, prefixOrder);
                    if (!rebuilt.isEmpty()) {
                        out.addAll(rebuilt);
                        break;
                    }
                }
            }
            if (i < whole.size()) {
                out.add(whole.get(i));
                g0 = whole.get(i).end();
            }
        }
        return out;
    }

    /** Chains already found, by start offset in one region (an array: every offset of a gap may be asked). */
    private static final class Memo {
        private final int base;
        private final List<?>[] at;

        Memo(int from, int to) {
            base = from;
            at = new List<?>[Math.max(0, to - from + 1)];
        }

        @SuppressWarnings("unchecked")
        List<Carved> get(int p) {
            int i = p - base;
            return i >= 0 && i < at.length ? (List<Carved>) at[i] : null;
        }

        void put(int p, List<Carved> chain) {
            int i = p - base;
            if (i >= 0 && i < at.length) {
                at[i] = chain;
            }
        }
    }

    /** The chain of rebuilt cells starting as early as possible in {@code [g0, g1)} and ending exactly at {@code g1}. */
    List<Carved> earliestChain(int g0, int g1, RecordShape shape, int[] order) {
        if (shape.withoutRowid()) {
            return List.of();
        }
        Memo memo = new Memo(g0, g1);
        markHeaders(g0, g1, shape);
        try {
            for (int s = g0; s + MIN_CELL + 2 <= g1; s++) {
                if (noCandidate(s, g1, shape)) {
                    continue;
                }
                List<Carved> c = exactChain(s, g1, shape, order, memo, 0);
                if (!c.isEmpty()) {
                    return c;
                }
            }
            return List.of();
        } finally {
            headerShape = null;
        }
    }

    /*
     * Pre-filter for the intact-header readings of one region: headerCount[i] is how many offsets in
     * [headerBase, headerBase + i) may start a record header of headerShape's field count (see
     * intactHeader). A start with none in reach (k = 4..18 bytes on) skips those readings at once.
     */
    private int[] headerCount = new int[0];
    private int headerBase;
    private int headerEnd;
    private RecordShape headerShape;

    private void markHeaders(int g0, int g1, RecordShape shape) {
        int len = g1 - g0;
        if (headerCount.length < len + 1) {
            headerCount = new int[Math.max(len + 1, usable + 1)];
        }
        int fields = shape.fieldCount();
        int c = 0;
        headerCount[0] = 0;
        for (int i = 0; i < len; i++) {
            if (mayStartHeader(d[g0 + i], fields)) {
                c++;
            }
            headerCount[i + 1] = c;
        }
        headerBase = g0;
        headerEnd = g1;
        headerShape = shape;
    }

    /** Whether a record header of exactly {@code fields} serial types can start with byte {@code b0} (exact, see intactHeader). */
    private static boolean mayStartHeader(byte b0, int fields) {
        return b0 < 0 || (b0 >= fields + 1 && b0 <= 9L * fields + 1);
    }

    /**
     * Whether {@link #candidates} at {@code g0} is surely empty: no intact header in reach, and the
     * first serial type after the four lost bytes fits neither field 0 (no serial type lost)
     * nor field 1 (the first type lost). Exact: every reading needs one of those.
     */
    private boolean noCandidate(int g0, int g1, RecordShape shape) {
        if (g0 + 4 >= g1) {
            return true;
        }
        if (!noHeaderIn(g0 + 4, Math.min(g0 + 19, g1), shape)) {
            return false;
        }
        byte b = d[g0 + 4];
        if (b < 0) {
            return false;
        }
        int fields = shape.fieldCount();
        if (b == 0) {
            // Zeroed space (new pages, SQLite's defragmentation): serial types read there are all NULL,
            // which no reading accepts (a rebuilt cell needs a non-NULL value among its known types).
            for (int i = g0 + 5, end = Math.min(g0 + 4 + fields, g1); i < end; i++) {
                if (d[i] != 0) {
                    return false;
                }
            }
            return true;
        }
        return !strictlyCompatible(shape.fieldAffinity(0), b) && (fields < 2 || !strictlyCompatible(shape.fieldAffinity(1), b));
    }

    /** Whether no offset in {@code [from, to)} can start a header for {@code shape}; false when unknown. */
    private boolean noHeaderIn(int from, int to, RecordShape shape) {
        if (shape != headerShape || from < headerBase || to > headerEnd || from >= to) {
            return false;
        }
        return headerCount[to - headerBase] == headerCount[from - headerBase];
    }

    private List<Carved> exactChain(int g0, int g1, RecordShape shape, int[] order, Memo memo, int depth) {
        if (depth > MAX_DEPTH || g1 - g0 < MIN_CELL + 2) {
            return List.of();
        }
        List<Carved> cached = memo.get(g0);
        if (cached != null) {
            return cached;
        }
        List<Carved> found = List.of();
        for (Carved c : candidates(g0, g1, shape, order)) {
            if (c.end() == g1) {
                found = List.of(c);
                break;
            }
            List<Carved> rest = exactChain(c.end(), g1, shape, order, memo, depth + 1);
            if (!rest.isEmpty()) {
                List<Carved> chain = new ArrayList<>();
                chain.add(c);
                chain.addAll(rest);
                found = chain;
                break;
            }
        }
        memo.put(g0, found);
        return found;
    }

    /**
     * Cells whose first four bytes are lost lying one after another from {@code g0} in
     * {@code [g0, g1)}: of all candidate readings, the chain that explains the most bytes; empty when
     * none fits.
     */
    List<Carved> rebuild(int g0, int g1, RecordShape shape, int[] prefixOrder) {
        if (shape.withoutRowid()) {
            return List.of();
        }
        return best(g0, g1, shape, prefixOrder, new Memo(g0, g1), 0);
    }

    private List<Carved> best(int g0, int g1, RecordShape shape, int[] order, Memo memo, int depth) {
        if (depth > MAX_DEPTH || g1 - g0 < MIN_CELL + 2) {
            return List.of();
        }
        List<Carved> cached = memo.get(g0);
        if (cached != null) {
            return cached;
        }
        List<Carved> bestChain = List.of();
        int bestCover = 0;
        for (Carved c : candidates(g0, g1, shape, order)) {
            List<Carved> rest = best(c.end(), g1, shape, order, memo, depth + 1);
            int cover = c.end() - c.offset();
            for (Carved x : rest) {
                cover += x.end() - x.offset();
            }
            if (cover > bestCover) {
                bestCover = cover;
                List<Carved> chain = new ArrayList<>(1 + rest.size());
                chain.add(c);
                chain.addAll(rest);
                bestChain = chain;
            }
        }
        memo.put(g0, bestChain);
        return bestChain;
    }

    /** Every reading of a cell at {@code g0} with its first four bytes lost that fits {@code shape} and ends by {@code g1}. */
    private List<Carved> candidates(int g0, int g1, RecordShape shape, int[] order) {
        if (noCandidate(g0, g1, shape)) {
            return List.of();
        }
        List<Carved> out = null;
        int fields = shape.fieldCount();
        boolean noIntact = noHeaderIn(g0 + 4, Math.min(g0 + 19, g1), shape);
        for (int k : order) {
            int r = g0 + k;
            if (r >= g1) {
                continue;
            }
            int lost = 4 - k;
            if (lost <= 0) {
                if (noIntact) {
                    continue;
                }
                out = with(out, intactHeader(g0, g1, r, k, shape));
                continue;
            }
            int m = lost - 1;
            if (m > 1 || m >= fields) {
                continue;
            }
            int known = parseTypes(g0 + 4, g1, fields - m, MAX_FIELDS, Long.MAX_VALUE, shape, m);
            if (known != fields - m) {
                continue;
            }
            int q = lastTypeEnd;
            long bodyKnown = lastBodySum;
            long hs = q - r;
            if (hs >= 0x80 || hs < 1 + fields) {
                continue;
            }
            long[] t = new long[fields];
            System.arraycopy(types, 0, t, m, fields - m);
            boolean fits = true;
            boolean anyValue = false;
            for (int i = m; i < fields; i++) {
                fits &= strictlyCompatible(shape.fieldAffinity(i), t[i]);
                anyValue |= t[i] != 0;
            }
            if (!fits || !anyValue) {
                continue;
            }
            if (m == 0) {
                long payload = hs + bodyKnown;
                if (Varint.encodedSize(payload) > k - 1 || payload > maxLocal || r + payload > g1) {
                    continue;
                }
                out = with(out, built(g0, q, t, (int) (r + payload), shape));
                continue;
            }
            // One field's serial type is lost: its size is what the cell's extent leaves over, or, for a
            // number, any size after which more cells may follow (adjacent freed cells merge).
            Affinity a = shape.fieldAffinity(0);
            long exact = g1 - q - bodyKnown;
            long t0 = typeFor(a, exact);
            if (exact >= 0 && t0 >= 0 && hs + bodyKnown + exact <= maxLocal && Varint.encodedSize(hs + bodyKnown + exact) == 1) {
                t[0] = t0;
                out = with(out, built(g0, q, t, g1, shape));
            }
            if (a == Affinity.INTEGER || a == Affinity.NUMERIC || a == Affinity.REAL) {
                // Size 0 is a NULL (always so for an INTEGER PRIMARY KEY, whose value is the rowid).
                for (int size : new int[] {1, 2, 3, 4, 6, 8, 0}) {
                    long end = q + bodyKnown + size;
                    if (end >= g1 || Varint.encodedSize(hs + bodyKnown + size) != 1) {
                        continue;
                    }
                    t[0] = size == 0 ? 0 : a == Affinity.REAL && size == 8 ? 7 : intType(size);
                    out = with(out, built(g0, q, t, (int) end, shape));
                }
            }
        }
        return out == null ? List.of() : out;
    }

    /** {@code out} with {@code c} added (a list made on the first one: most offsets have no candidate). */
    private static List<Carved> with(List<Carved> out, Carved c) {
        if (c == null) {
            return out;
        }
        List<Carved> l = out == null ? new ArrayList<>(2) : out;
        l.add(c);
        return l;
    }

    /** SQLite's storage rules without leniency: what a rebuilt field of affinity {@code a} may hold. */
    static boolean strictlyCompatible(Affinity a, long t) {
        boolean number = t >= 1 && t <= 9;
        boolean text = t >= 13 && (t & 1) == 1;
        return switch (a) {
            case TEXT -> t == 0 || text;
            case INTEGER, REAL -> t == 0 || number;
            case NUMERIC -> t == 0 || number || text;
            default -> true;
        };
    }

    private Carved intactHeader(int g0, int g1, int r, int k, RecordShape shape) {
        if (k > 4 && (d[r - 1] & 0x80) != 0) {
            return null;
        }
        int fields = shape.fieldCount();
        // Pre-filter: a one-byte header size before exactly `fields` serial types is 1 + fields .. 1 + 9 * fields.
        if (!mayStartHeader(d[r], fields)) {
            return null;
        }
        long hs = varint(r, g1);
        int nh = vlen;
        if (nh == 0 || hs < nh + 1 || hs > g1 - r) {
            return null;
        }
        int n = parseTypes(r + nh, (int) (r + hs), -1, fields, Long.MAX_VALUE, shape, 0);
        if (n != fields) {
            return null;
        }
        boolean anyValue = false;
        for (int i = 0; i < n; i++) {
            if (!strictlyCompatible(shape.fieldAffinity(i), types[i])) {
                return null;
            }
            anyValue |= types[i] != 0;
        }
        long payload = hs + lastBodySum;
        int n1 = Varint.encodedSize(payload);
        if (!anyValue || k - n1 < 1 || k - n1 > 9) {
            return null;
        }
        boolean spills = payload > maxLocal;
        int local = spills ? localSize(payload) : (int) payload;
        long end = (long) r + local + (spills ? 4 : 0);
        if (end > g1) {
            return null;
        }
        byte[] rec = assemble(r, local, payload, spills);
        if (rec == null || hasZeroFilledText(rec)) {
            return null;
        }
        return new Carved(g0, (int) end, null, rec, shape, Confidence.RECONSTRUCTED);
    }

    /** The record built from rebuilt types {@code t} and the body {@code [q, end)} if the sizes agree, else null. */
    private Carved built(int g0, int q, long[] t, int end, RecordShape shape) {
        long body = 0;
        int headerBytes = 0;
        for (long x : t) {
            body += io.walkit.db.Record.bodySize(x);
            headerBytes += Varint.encodedSize(x);
        }
        int hs = 1 + headerBytes;
        if (q + body != end || hs >= 0x80) {
            return null;
        }
        // The four lost bytes are a freeblock header SQLite wrote over the cell (freeSpace): its size
        // field covers at least this cell. A reading in zeroed or unrelated bytes before the real start
        // has no such header (seen: a dropped table's sqlite_schema row read three bytes early).
        if ((((d[g0 + 2] & 0xFF) << 8) | (d[g0 + 3] & 0xFF)) < end - g0) {
            return null;
        }
        byte[] rec = new byte[(int) (hs + body)];
        rec[0] = (byte) hs;
        int p = 1;
        for (long x : t) {
            p += Varint.write(x, rec, p);
        }
        System.arraycopy(d, q, rec, p, (int) body);
        return hasZeroFilledText(rec) ? null : new Carved(g0, end, null, rec, shape, Confidence.RECONSTRUCTED);
    }

    /**
     * Whether a rebuilt record holds a non-empty TEXT value made only of zero bytes: what reading
     * zeroed space with a guessed header gives, and next to never a real value (seen on the
     * sqlite-dissect chinook WAL: a "Customer" row of NULLs and seven NUL characters).
     */
    private static boolean hasZeroFilledText(byte[] rec) {
        java.lang.foreign.MemorySegment m = java.lang.foreign.MemorySegment.ofArray(rec);
        long hs = Varint.read(m, 0, rec.length);
        long h = Varint.size(m, 0, rec.length);
        long body = hs;
        while (h < hs && h < rec.length) {
            long t = Varint.read(m, h, hs);
            h += Varint.size(m, h, hs);
            long size = io.walkit.db.Record.bodySize(t);
            if (t >= 13 && (t & 1) == 1 && size > 0 && body + size <= rec.length) {
                boolean zero = true;
                for (long i = body; i < body + size && zero; i++) {
                    zero = rec[(int) i] == 0;
                }
                if (zero) {
                    return true;
                }
            }
            body += size;
        }
        return false;
    }

    private static long intType(int size) {
        return switch (size) {
            case 1 -> 1;
            case 2 -> 2;
            case 3 -> 3;
            case 4 -> 4;
            case 6 -> 5;
            case 8 -> 6;
            default -> -1;
        };
    }

    /** The serial type a lost field of affinity {@code a} has when its body is {@code size} bytes, or −1. */
    private static long typeFor(Affinity a, long size) {
        if (size < 0 || size > Integer.MAX_VALUE) {
            return -1;
        }
        return switch (a) {
            case INTEGER, NUMERIC -> size == 0 ? 0 : intType((int) size);
            case REAL -> size == 8 ? 7 : size == 0 ? 0 : intType((int) size);
            case TEXT -> 2 * size + 13;
            default -> 2 * size + 13;
        };
    }
}
