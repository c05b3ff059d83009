package io.walkit.wal;

import io.walkit.io.ByteSource;
import io.walkit.io.Problem;
import io.walkit.io.Problem.Severity;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only view of a wal-index ({@code -shm}) file: both {@link WalIndexHeader} copies, the
 * {@link CheckpointInfo}, and the per-region page-number arrays and hash tables with SQLite's
 * lookup ({@code walFindFrame}) over them.
 *
 * <p>Layout (32768-byte regions, SQLite: {@code WALINDEX_PGSZ}; integers in the writer's native
 * byte order, detected from {@code iVersion}):
 * <pre>
 * region 0   offset     size  content
 *                 0       48  WalIndexHdr copy A          (SQLite: WalIndexHdr)
 *                48       48  WalIndexHdr copy B
 *                96       40  WalCkptInfo                 (SQLite: WalCkptInfo)
 *               136    16248  aPgno[0..4061]: page number of frames 1..4062 (u32)
 *             16384    16384  aHash[0..8191]: 1-based index into aPgno, 0 = empty (u16)
 * region k≥1      0    16384  aPgno[0..4095]: frames 4062+(k-1)·4096+1 .. +4096
 *             16384    16384  aHash[0..8191]
 * </pre>
 * Frame {@code F} lives in region {@code (F + 33) / 4096} (SQLite: {@code walFramePage}); a page
 * {@code P} hashes to slot {@code (P·383) & 8191} with linear probing (SQLite: {@code walHash},
 * {@code walNextHash}).
 *
 * <p>A short file (0 or 3 bytes, or anything under 136) is a normal state: no connection has built
 * the index yet, or the last one reset it; SQLite rebuilds it from the WAL. Nothing in this class
 * trusts a field for sizing: every region access is bounded by the real file size and every probe
 * loop by the table size.
 */
public final class WalIndex {

    /** What the header area of the file holds. */
    public enum Status {
        /** Zero bytes. */
        EMPTY,
        /** Fewer than 136 bytes (SQLite truncates an unused -shm to 3 bytes): no index. */
        SHORT,
        /** Both header copies are all zero: never initialised. */
        UNINITIALIZED,
        /** iVersion is neither 3007000 nor 3021000 in either byte order in either copy. */
        UNKNOWN_BYTE_ORDER,
        /** Header decoded; see {@link #headerUsable()} for whether SQLite would accept it. */
        DECODED;

        /**
         * The lower-case, hyphenated name used in JSON output.
         *
         * @return e.g. {@code unknown-byte-order}
         */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The codes of the problems {@link #checkHeader()}, {@link #checkHashTables(long)} and
     * {@link #crossCheck(WalScan)} report, each with the structure it concerns. The problems' detail
     * explains with the numbers involved. Severities: {@code ERROR} = the -shm contradicts itself or
     * the WAL in a way SQLite would not produce or accept; {@code WARNING} = unusual, possibly a crash
     * or a copy taken mid-write, but something SQLite recovers from; {@code INFO} = worth knowing.
     */
    public enum Code implements Problem.Code {
        /** Code {@code no-index}. */
        NO_INDEX("no-index", "wal-index"),
        /** Code {@code uninitialized}. */
        UNINITIALIZED("uninitialized", "wal-index header"),
        /** Code {@code unknown-byte-order}. */
        UNKNOWN_BYTE_ORDER("unknown-byte-order", "wal-index header"),
        /** Code {@code copies-differ}. */
        COPIES_DIFFER("copies-differ", "wal-index header"),
        /** Code {@code nbackfill-exceeds-mxframe}. */
        NBACKFILL_EXCEEDS_MXFRAME("nbackfill-exceeds-mxframe", "wal-index checkpoint info"),
        /** Code {@code nbackfillattempted-below-nbackfill}. */
        NBACKFILLATTEMPTED_BELOW_NBACKFILL("nbackfillattempted-below-nbackfill", "wal-index checkpoint info"),
        /** Code {@code nbackfillattempted-exceeds-mxframe}. */
        NBACKFILLATTEMPTED_EXCEEDS_MXFRAME("nbackfillattempted-exceeds-mxframe", "wal-index checkpoint info"),
        /** Code {@code recovered}. */
        RECOVERED("recovered", "wal-index checkpoint info"),
        /** Code {@code checkpoint-interrupted}. */
        CHECKPOINT_INTERRUPTED("checkpoint-interrupted", "wal-index checkpoint info"),
        /** Code {@code readmark0-nonzero}. */
        READMARK0_NONZERO("readmark0-nonzero", "wal-index checkpoint info"),
        /** Code {@code readmark-exceeds-mxframe}. */
        READMARK_EXCEEDS_MXFRAME("readmark-exceeds-mxframe", "wal-index checkpoint info"),
        /** Code {@code index-truncated}. */
        INDEX_TRUNCATED("index-truncated", "wal-index"),
        /** Code {@code not-initialized}. */
        NOT_INITIALIZED("not-initialized", "wal-index header"),
        /** Code {@code header-checksum}. */
        HEADER_CHECKSUM("header-checksum", "wal-index header"),
        /** Code {@code unsupported-version}. */
        UNSUPPORTED_VERSION("unsupported-version", "wal-index header"),
        /** Code {@code page-size}. */
        PAGE_SIZE("page-size", "wal-index header"),
        /** Code {@code bigendcksum}. */
        BIGENDCKSUM("bigendcksum", "wal-index header"),
        /** Code {@code hash-table-full}. */
        HASH_TABLE_FULL("hash-table-full", "wal-index hash table"),
        /** Code {@code hash-slot-out-of-range}. */
        HASH_SLOT_OUT_OF_RANGE("hash-slot-out-of-range", "wal-index hash table"),
        /** Code {@code hash-entry-unreachable}. */
        HASH_ENTRY_UNREACHABLE("hash-entry-unreachable", "wal-index hash table"),
        /** Code {@code hash-entry-missing}. */
        HASH_ENTRY_MISSING("hash-entry-missing", "wal-index hash table"),
        /** Code {@code more-hash-problems}. */
        MORE_HASH_PROBLEMS("more-hash-problems", "wal-index hash table"),
        /** Code {@code recovery-needed}. */
        RECOVERY_NEEDED("recovery-needed", "wal-index"),
        /** Code {@code wal-header-rejected}. */
        WAL_HEADER_REJECTED("wal-header-rejected", "WAL header"),
        /** Code {@code salt-mismatch}. */
        SALT_MISMATCH("salt-mismatch", "wal-index header"),
        /** Code {@code page-size-mismatch}. */
        PAGE_SIZE_MISMATCH("page-size-mismatch", "wal-index header"),
        /** Code {@code checksum-order-mismatch}. */
        CHECKSUM_ORDER_MISMATCH("checksum-order-mismatch", "wal-index header"),
        /** Code {@code mxframe-past-valid-end}. */
        MXFRAME_PAST_VALID_END("mxframe-past-valid-end", "wal-index header"),
        /** Code {@code mxframe-not-commit}. */
        MXFRAME_NOT_COMMIT("mxframe-not-commit", "wal-index header"),
        /** Code {@code npage-mismatch}. */
        NPAGE_MISMATCH("npage-mismatch", "wal-index header"),
        /** Code {@code frame-checksum-mismatch}. */
        FRAME_CHECKSUM_MISMATCH("frame-checksum-mismatch", "wal-index header"),
        /** Code {@code nbackfill-past-valid-end}. */
        NBACKFILL_PAST_VALID_END("nbackfill-past-valid-end", "wal-index checkpoint info"),
        /** Code {@code stale-index-entry}. */
        STALE_INDEX_ENTRY("stale-index-entry", "wal-index page-number array (aPgno)"),
        /** Code {@code more-stale-index-entries}. */
        MORE_STALE_INDEX_ENTRIES("more-stale-index-entries", "wal-index page-number array (aPgno)"),
        /** Code {@code entries-above-mxframe}. */
        ENTRIES_ABOVE_MXFRAME("entries-above-mxframe", "wal-index page-number array (aPgno)"),
        /** Code {@code mxframe-differs}. */
        MXFRAME_DIFFERS("mxframe-differs", "wal-index header");

        private final String id;
        private final String structure;

        Code(String id, String structure) {
            this.id = id;
            this.structure = structure;
        }

        @Override
        public String id() {
            return id;
        }

        /**
         * The structure problems with this code concern.
         *
         * @return e.g. {@code wal-index checkpoint info}
         */
        public String structure() {
            return structure;
        }
    }

    /** A problem about this file; the detail explains. */
    private Problem problem(Severity severity, Code code, String detail) {
        return new Problem(severity, code, source.name(), null, code.structure(), null, null, null, detail);
    }

    /**
     * The answer of a page lookup.
     *
     * @param frame  the newest frame found, or 0
     * @param probes hash slots examined
     * @param error  why the lookup could not be completed (SQLite would report SQLITE_CORRUPT, or a
     *               region is missing from the file), else {@code null}
     */
    public record Lookup(long frame, int probes, String error) {}

    /** Cap on findings of one kind per region, so a hostile file gives a bounded report. */
    private static final int MAX_FINDINGS = 64;

    private final ByteSource source;
    private final Status status;
    private final ByteOrder order;
    private final WalIndexHeader copyA;
    private final WalIndexHeader copyB;
    private final boolean copiesIdentical;
    private final CheckpointInfo checkpointInfo;
    private final ValueLayout.OfInt i32;
    private final ValueLayout.OfShort i16;

    private WalIndex(ByteSource source, Status status, ByteOrder order, WalIndexHeader a, WalIndexHeader b,
                     boolean identical, CheckpointInfo info) {
        this.source = source;
        this.status = status;
        this.order = order;
        this.copyA = a;
        this.copyB = b;
        this.copiesIdentical = identical;
        this.checkpointInfo = info;
        ByteOrder o = order == null ? ByteOrder.LITTLE_ENDIAN : order;
        this.i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(o);
        this.i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(o);
    }

    /**
     * Reads the wal-index in {@code source}; never throws for odd content (the status and the checks
     * say what is wrong).
     *
     * @param source the {@code -shm} bytes; must stay open while the returned index is used
     * @return the index view over {@code source}
     */
    public static WalIndex read(ByteSource source) {
        long size = source.size();
        if (size == 0) {
            return new WalIndex(source, Status.EMPTY, null, null, null, false, null);
        }
        if (size < WalFormat.SHM_TOTAL_HEADER_SIZE) {
            return new WalIndex(source, Status.SHORT, null, null, null, false, null);
        }
        MemorySegment s = source.segment();
        boolean identical = MemorySegment.mismatch(s, 0, WalIndexHeader.SIZE, s, WalIndexHeader.SIZE,
                2L * WalIndexHeader.SIZE) == -1;
        if (allZero(s, 0, 2L * WalIndexHeader.SIZE)) {
            WalIndexHeader a = WalIndexHeader.read(s, 0, ByteOrder.LITTLE_ENDIAN);
            return new WalIndex(source, Status.UNINITIALIZED, null, a, a, true,
                    CheckpointInfo.read(s, WalFormat.SHM_CKPT_INFO_OFFSET, ByteOrder.LITTLE_ENDIAN));
        }
        ByteOrder order = detectOrder(s, 0);
        if (order == null) {
            order = detectOrder(s, WalIndexHeader.SIZE);
        }
        Status status = order == null ? Status.UNKNOWN_BYTE_ORDER : Status.DECODED;
        ByteOrder o = order == null ? ByteOrder.LITTLE_ENDIAN : order;
        return new WalIndex(source, status, order, WalIndexHeader.read(s, 0, o),
                WalIndexHeader.read(s, WalIndexHeader.SIZE, o), identical,
                CheckpointInfo.read(s, WalFormat.SHM_CKPT_INFO_OFFSET, o));
    }

    private static ByteOrder detectOrder(MemorySegment s, long offset) {
        int le = s.get(ByteSource.INT_LE, offset);
        int be = s.get(ByteSource.INT_BE, offset);
        if (le == WalFormat.FORMAT_VERSION || le == WalFormat.FORMAT_VERSION_WAL2) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (be == WalFormat.FORMAT_VERSION || be == WalFormat.FORMAT_VERSION_WAL2) {
            return ByteOrder.BIG_ENDIAN;
        }
        return null;
    }

    private static boolean allZero(MemorySegment s, long offset, long length) {
        for (long p = offset; p < offset + length; p++) {
            if (s.get(ValueLayout.JAVA_BYTE, p) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes this index reads.
     *
     * @return the source given to {@link #read}; the caller that opened it closes it
     */
    public ByteSource source() {
        return source;
    }

    /**
     * The size of the {@code -shm} file.
     *
     * @return its length in bytes
     */
    public long fileSize() {
        return source.size();
    }

    /**
     * What the header area holds.
     *
     * @return the status decided by {@link #read}
     */
    public Status status() {
        return status;
    }

    /**
     * The native byte order of the machine that wrote the index, detected from {@code iVersion}.
     *
     * @return the order, or {@code null} when unknown
     */
    public ByteOrder byteOrder() {
        return order;
    }

    /**
     * Header copy A (offset 0).
     *
     * @return the decoded copy, or {@code null} for an empty or short file
     */
    public WalIndexHeader copyA() {
        return copyA;
    }

    /**
     * Header copy B (offset 48).
     *
     * @return the decoded copy, or {@code null} for an empty or short file
     */
    public WalIndexHeader copyB() {
        return copyB;
    }

    /**
     * Whether the two 48-byte header copies are byte-identical (SQLite requires it).
     *
     * @return true when they are
     */
    public boolean copiesIdentical() {
        return copiesIdentical;
    }

    /**
     * The checkpoint state ({@code WalCkptInfo}) at offset 96.
     *
     * @return it, or {@code null} for an empty or short file
     */
    public CheckpointInfo checkpointInfo() {
        return checkpointInfo;
    }

    /**
     * Whether SQLite's {@code walIndexTryHdr} accepts the header: copies identical, isInit set,
     * checksum valid; and the version is the mainline one.
     *
     * @return true when SQLite would use the header without rebuilding the index
     */
    public boolean headerUsable() {
        return status == Status.DECODED && copiesIdentical && copyA.usable()
                && copyA.version() == WalFormat.FORMAT_VERSION;
    }

    /**
     * The header SQLite would use: copy A when {@link #headerUsable()}.
     *
     * @return that header, or {@code null} when there is none
     */
    public WalIndexHeader header() {
        return headerUsable() ? copyA : null;
    }

    /**
     * Whether the header area is damaged (exit code 3 in the CLI), as opposed to absent or fine.
     *
     * @return true when no copy is usable or the byte order cannot be told
     */
    public boolean corruptHeader() {
        if (status == Status.UNKNOWN_BYTE_ORDER) {
            return true;
        }
        return status == Status.DECODED && !copyA.usable() && !copyB.usable();
    }

    // ---- regions and frames -------------------------------------------------------------------

    /**
     * The 32 KiB region whose page-number array holds a frame (SQLite: {@code walFramePage}).
     *
     * @param frame the frame number, 1-based
     * @return the region, 0-based
     */
    public static long regionOf(long frame) {
        return (frame + WalFormat.HASHTABLE_NPAGE - WalFormat.HASHTABLE_NPAGE_ONE - 1) / WalFormat.HASHTABLE_NPAGE;
    }

    /**
     * The frame number just before a region's first frame (SQLite: {@code iZero}).
     *
     * @param region the region, 0-based
     * @return 0 for region 0, else the number of frames indexed by the earlier regions
     */
    public static long regionZero(long region) {
        return region == 0 ? 0 : WalFormat.HASHTABLE_NPAGE_ONE + (region - 1) * WalFormat.HASHTABLE_NPAGE;
    }

    /**
     * Number of {@code aPgno} entries in a region (fewer in region 0, which also holds the header).
     *
     * @param region the region, 0-based
     * @return {@link WalFormat#HASHTABLE_NPAGE_ONE} or {@link WalFormat#HASHTABLE_NPAGE}
     */
    public static int regionEntries(long region) {
        return region == 0 ? WalFormat.HASHTABLE_NPAGE_ONE : WalFormat.HASHTABLE_NPAGE;
    }

    private static long pgnoBase(long region) {
        return region == 0 ? WalFormat.SHM_TOTAL_HEADER_SIZE : region * WalFormat.SHM_REGION_SIZE;
    }

    private static long hashBase(long region) {
        return region * WalFormat.SHM_REGION_SIZE + 2L * WalFormat.HASHTABLE_NPAGE * 2;
    }

    /**
     * Number of whole 32 KiB regions in the file (regions whose hash table is present).
     *
     * @return the count; 0 for an empty or short file
     */
    public long regionCount() {
        return status == Status.EMPTY || status == Status.SHORT ? 0 : fileSize() / WalFormat.SHM_REGION_SIZE;
    }

    /**
     * The highest frame whose {@code aPgno} entry lies in a whole region of the file.
     *
     * @return that frame number; 0 when there is no whole region
     */
    public long frameCapacity() {
        long regions = regionCount();
        return regions == 0 ? 0 : regionZero(regions - 1) + regionEntries(regions - 1);
    }

    /**
     * The page number the index records for a frame.
     *
     * @param frame the frame number, 1-based
     * @return the {@code aPgno} entry, or 0 if the frame lies outside the file's regions
     */
    public int pageOfFrame(long frame) {
        if (frame < 1 || frame > frameCapacity()) {
            return 0;
        }
        long r = regionOf(frame);
        return source.segment().get(i32, pgnoBase(r) + 4 * (frame - regionZero(r) - 1));
    }

    /** Copies region {@code region}'s hash slots (u16) into {@code dst} (8192 entries). */
    private void readHashSlots(long region, int[] dst) {
        short[] raw = new short[WalFormat.HASHTABLE_NSLOT];
        MemorySegment.copy(source.segment(), i16, hashBase(region), raw, 0, raw.length);
        for (int i = 0; i < raw.length; i++) {
            dst[i] = raw[i] & 0xFFFF;
        }
    }

    /** Copies region {@code region}'s aPgno entries into {@code dst}. */
    private void readPageNumbers(long region, int[] dst) {
        MemorySegment.copy(source.segment(), i32, pgnoBase(region), dst, 0, regionEntries(region));
    }

    private int hashSlot(long region, int slot) {
        return source.segment().get(i16, hashBase(region) + 2L * slot) & 0xFFFF;
    }

    /**
     * The first hash slot probed for a page (SQLite's {@code walHash}).
     *
     * @param pageNumber the database page number
     * @return a slot in {@code 0..HASHTABLE_NSLOT-1}
     */
    public static int hash(int pageNumber) {
        return (pageNumber * WalFormat.HASHTABLE_HASH_1) & (WalFormat.HASHTABLE_NSLOT - 1);
    }

    /**
     * The newest frame in {@code [minFrame, maxFrame]} recorded for {@code pageNumber}, found
     * through the hash tables as {@code walFindFrame} does: regions from {@code maxFrame}'s down to
     * {@code minFrame}'s, probing each from {@code walHash(page)} to the first empty slot, at most
     * 8192 probes per region.
     *
     * @param pageNumber the database page number
     * @param minFrame the oldest frame to accept (frames below are ignored)
     * @param maxFrame the newest frame to accept, usually the reader's mxFrame
     * @return the frame found (0 when none), the probes made and any damage met on the way
     */
    public Lookup findFrame(int pageNumber, long minFrame, long maxFrame) {
        if (maxFrame <= 0 || regionCount() == 0) {
            return new Lookup(0, 0, null);
        }
        long lo = Math.max(1, minFrame);
        long top = regionOf(maxFrame);
        long present = regionCount();
        String error = null;
        if (top >= present) {
            error = "regions " + present + ".." + top + " needed for frame " + maxFrame + " are not in the file";
            top = present - 1;
        }
        int probes = 0;
        for (long r = top; r >= regionOf(lo); r--) {
            long zero = regionZero(r);
            int entries = regionEntries(r);
            long found = 0;
            int slot = hash(pageNumber);
            int collide = WalFormat.HASHTABLE_NSLOT;
            int v;
            while ((v = hashSlot(r, slot)) != 0) {
                probes++;
                long f = zero + v;
                if (f <= maxFrame && f >= lo && v <= entries && pageOfFrame(f) == pageNumber) {
                    found = f;
                }
                if (collide-- == 0) {
                    return new Lookup(0, probes, "hash table of region " + r + " has no empty slot on the probe path"
                            + " of page " + Integer.toUnsignedString(pageNumber) + " (SQLite: SQLITE_CORRUPT)");
                }
                slot = (slot + 1) & (WalFormat.HASHTABLE_NSLOT - 1);
            }
            if (found != 0) {
                return new Lookup(found, probes, error);
            }
        }
        return new Lookup(0, probes, error);
    }

    /**
     * The newest frame in {@code [minFrame, maxFrame]} whose aPgno entry is {@code pageNumber},
     * by a linear scan downward (a cross-check of {@link #findFrame}); frames beyond the file are
     * skipped.
     *
     * @param pageNumber the database page number
     * @param minFrame the oldest frame to accept
     * @param maxFrame the newest frame to accept
     * @return the frame, or 0 when none in range records the page
     */
    public long findFrameLinear(int pageNumber, long minFrame, long maxFrame) {
        long hi = Math.min(maxFrame, frameCapacity());
        for (long f = hi; f >= Math.max(1, minFrame); f--) {
            if (pageOfFrame(f) == pageNumber) {
                return f;
            }
        }
        return 0;
    }

    // ---- validation ---------------------------------------------------------------------------

    /**
     * Findings about the header copies and checkpoint state alone.
     *
     * @return the problems, possibly empty; never null
     */
    public List<Problem> checkHeader() {
        List<Problem> out = new ArrayList<>();
        switch (status) {
            case EMPTY, SHORT -> {
                out.add(problem(Severity.INFO, Code.NO_INDEX, "the file has " + fileSize()
                        + " bytes, less than the 136-byte header: no index (SQLite rebuilds it from the WAL)"));
                return out;
            }
            case UNINITIALIZED -> {
                out.add(problem(Severity.INFO, Code.UNINITIALIZED, "both header copies are zero: never initialised"));
                return out;
            }
            case UNKNOWN_BYTE_ORDER -> {
                out.add(problem(Severity.ERROR, Code.UNKNOWN_BYTE_ORDER, String.format(
                        "iVersion is neither 3007000 nor 3021000 in either byte order (copy A reads 0x%08x)",
                        source.segment().get(ByteSource.INT_BE, 0))));
                return out;
            }
            case DECODED -> { }
        }
        if (!copiesIdentical) {
            out.add(problem(Severity.WARNING, Code.COPIES_DIFFER,
                    "header copies A and B differ (a write was in progress, or damage); SQLite would retry and recover"));
        }
        check(out, copyA, "A");
        if (!copiesIdentical) {
            check(out, copyB, "B");
        }
        WalIndexHeader h = copyA.usable() || !copyB.usable() ? copyA : copyB;
        CheckpointInfo c = checkpointInfo;
        long mx = Integer.toUnsignedLong(h.mxFrame());
        long backfill = Integer.toUnsignedLong(c.nBackfill());
        long attempted = Integer.toUnsignedLong(c.nBackfillAttempted());
        if (backfill > mx) {
            out.add(problem(Severity.ERROR, Code.NBACKFILL_EXCEEDS_MXFRAME, "nBackfill " + backfill + " > mxFrame " + mx
                    + " (the footprint of the WAL-reset bug fixed in SQLite 3.51.3, or a stale index)"));
        }
        if (attempted < backfill) {
            out.add(problem(Severity.WARNING, Code.NBACKFILLATTEMPTED_BELOW_NBACKFILL,
                    "nBackfillAttempted " + attempted + " < nBackfill " + backfill));
        } else if (attempted > mx) {
            out.add(problem(Severity.WARNING, Code.NBACKFILLATTEMPTED_EXCEEDS_MXFRAME,
                    "nBackfillAttempted " + attempted + " > mxFrame " + mx));
        } else if (attempted > backfill && backfill == 0 && attempted == mx) {
            out.add(problem(Severity.INFO, Code.RECOVERED, "nBackfill 0 and nBackfillAttempted = mxFrame " + mx
                    + ": the state recovery (walIndexRecover) leaves, or a checkpoint that copied nothing yet"));
        } else if (attempted > backfill) {
            out.add(problem(Severity.INFO, Code.CHECKPOINT_INTERRUPTED, "nBackfillAttempted " + attempted
                    + " > nBackfill " + backfill + ": a checkpoint started copying and did not finish"));
        }
        if (c.aReadMark(0) != 0) {
            out.add(problem(Severity.WARNING, Code.READMARK0_NONZERO,
                    "aReadMark[0] is " + Integer.toUnsignedString(c.aReadMark(0)) + ", SQLite always keeps 0"));
        }
        for (int i = 1; i < WalFormat.READ_MARK_COUNT; i++) {
            int m = c.aReadMark(i);
            if (m != WalFormat.READMARK_NOT_USED && Integer.toUnsignedLong(m) > mx) {
                out.add(problem(Severity.WARNING, Code.READMARK_EXCEEDS_MXFRAME,
                        "aReadMark[" + i + "] " + Integer.toUnsignedString(m) + " > mxFrame " + mx));
            }
        }
        if (mx > frameCapacity()) {
            out.add(problem(Severity.ERROR, Code.INDEX_TRUNCATED, "mxFrame " + mx + " needs " + (regionOf(mx) + 1)
                    + " region(s) but the file holds " + regionCount() + " (" + fileSize() + " bytes)"));
        }
        return out;
    }

    private void check(List<Problem> out, WalIndexHeader h, String copy) {
        if (h.isInit() == 0) {
            out.add(problem(Severity.WARNING, Code.NOT_INITIALIZED, "copy " + copy + ": isInit is 0"));
        }
        if (!h.checksumValid()) {
            out.add(problem(Severity.ERROR, Code.HEADER_CHECKSUM, String.format(
                    "copy %s: aCksum 0x%08x,0x%08x but bytes 0..39 give 0x%08x,0x%08x", copy, h.checksum1(),
                    h.checksum2(), WalChecksum.first(h.computedChecksum()), WalChecksum.second(h.computedChecksum()))));
        }
        if (h.version() != WalFormat.FORMAT_VERSION) {
            out.add(problem(Severity.ERROR, Code.UNSUPPORTED_VERSION, "copy " + copy + ": iVersion "
                    + Integer.toUnsignedString(h.version()) + (h.version() == WalFormat.FORMAT_VERSION_WAL2
                    ? " (wal2 branch)" : "") + "; mainline SQLite refuses to open"));
        }
        if (!WalFormat.isValidPageSize(h.pageSize())) {
            out.add(problem(Severity.ERROR, Code.PAGE_SIZE, "copy " + copy + ": szPage " + h.szPage()
                    + " does not decode to a power of two in 512..65536"));
        }
        if (h.bigEndCksum() > 1) {
            out.add(problem(Severity.WARNING, Code.BIGENDCKSUM, "copy " + copy + ": bigEndCksum is " + h.bigEndCksum()));
        }
    }

    /**
     * Checks the hash tables of every region up to {@code maxFrame} (bounded by the file): each
     * frame's aPgno entry is non-zero and reachable through its page's probe path from exactly one
     * slot, slot values are in range, and each table has an empty slot. Linear in the regions checked.
     *
     * @param maxFrame the last frame to check, usually the header's mxFrame
     * @return the problems, possibly empty; never null
     */
    public List<Problem> checkHashTables(long maxFrame) {
        List<Problem> out = new ArrayList<>();
        long mx = Math.min(maxFrame, frameCapacity());
        if (mx <= 0) {
            return out;
        }
        int nslot = WalFormat.HASHTABLE_NSLOT;
        int[] slots = new int[nslot];
        int[] run = new int[nslot];
        int[] seen = new int[WalFormat.HASHTABLE_NPAGE + 1];
        int[] pgno = new int[WalFormat.HASHTABLE_NPAGE];
        int reported = 0;
        long suppressed = 0;
        for (long r = 0; r <= regionOf(mx); r++) {
            long zero = regionZero(r);
            int entries = regionEntries(r);
            int n = (int) Math.min(entries, mx - zero);
            int firstZero = -1;
            readHashSlots(r, slots);
            readPageNumbers(r, pgno);
            for (int i = 0; i < nslot; i++) {
                if (slots[i] == 0 && firstZero < 0) {
                    firstZero = i;
                }
            }
            if (firstZero < 0) {
                out.add(problem(Severity.ERROR, Code.HASH_TABLE_FULL, "region " + r
                        + ": no empty hash slot; a lookup of an absent page never ends (SQLite: SQLITE_CORRUPT)"));
                Arrays.fill(run, nslot);
            } else {
                int length = 0;
                for (int k = 1; k <= nslot; k++) {
                    int i = (firstZero + k) & (nslot - 1);
                    length = slots[i] == 0 ? 0 : length + 1;
                    run[i] = length;
                }
            }
            Arrays.fill(seen, 0);
            for (int i = 0; i < nslot; i++) {
                int v = slots[i];
                if (v == 0) {
                    continue;
                }
                if (v > entries) {
                    if (reported++ < MAX_FINDINGS) {
                        out.add(problem(Severity.ERROR, Code.HASH_SLOT_OUT_OF_RANGE, "region " + r + " slot " + i
                                + " holds " + v + ", beyond the region's " + entries + " entries"));
                    } else {
                        suppressed++;
                    }
                    continue;
                }
                if (v > n) {
                    continue; // an entry above mxFrame: not trusted, not checked
                }
                seen[v]++;
                int page = pgno[v - 1];
                int distance = (i - hash(page)) & (nslot - 1);
                if (distance >= run[i]) {
                    if (reported++ < MAX_FINDINGS) {
                        out.add(problem(Severity.ERROR, Code.HASH_ENTRY_UNREACHABLE, "frame " + (zero + v) + " (page "
                                + Integer.toUnsignedString(page) + ") sits in slot " + i
                                + ", which the probe path from slot " + hash(page) + " never reaches"));
                    } else {
                        suppressed++;
                    }
                }
            }
            for (int v = 1; v <= n; v++) {
                long f = zero + v;
                String problem = null;
                if (pgno[v - 1] == 0) {
                    problem = "frame " + f + " has page number 0 in aPgno";
                } else if (seen[v] == 0) {
                    problem = "frame " + f + " is missing from the hash table (walFindFrame cannot find it)";
                } else if (seen[v] > 1) {
                    problem = "frame " + f + " appears in " + seen[v] + " hash slots";
                }
                if (problem != null) {
                    if (reported++ < MAX_FINDINGS) {
                        out.add(problem(Severity.ERROR, Code.HASH_ENTRY_MISSING, "region " + r + ": " + problem));
                    } else {
                        suppressed++;
                    }
                }
            }
        }
        if (suppressed > 0) {
            out.add(problem(Severity.ERROR, Code.MORE_HASH_PROBLEMS, suppressed + " further hash-table problems not listed"));
        }
        return out;
    }

    /**
     * Where the index disagrees with the WAL it claims to describe: other salts, page size, checksum
     * order, mxFrame past the WAL's valid end, nPage and aFrameCksum versus the WAL's frame mxFrame,
     * and index entries whose page number differs from the WAL frame's. Assumes the header decoded.
     *
     * @param scan the scan of the WAL this index belongs beside
     * @return the problems, possibly empty; never null
     */
    public List<Problem> crossCheck(WalScan scan) {
        List<Problem> out = new ArrayList<>();
        if (status != Status.DECODED) {
            if (scan.mxFrame() > 0) {
                out.add(problem(Severity.INFO, Code.RECOVERY_NEEDED, "no usable index; SQLite recovers mxFrame "
                        + scan.mxFrame() + " from the WAL"));
            }
            return out;
        }
        WalIndexHeader h = copyA.usable() || !copyB.usable() ? copyA : copyB;
        WalHeader w = scan.header();
        if (w == null || !scan.headerAccepted()) {
            out.add(problem(Severity.WARNING, Code.WAL_HEADER_REJECTED, "the WAL header is not accepted ("
                    + scan.stopReason().description() + "); SQLite treats the WAL as empty"));
        } else {
            if (h.salt1() != w.salt1() || h.salt2() != w.salt2()) {
                out.add(problem(Severity.ERROR, Code.SALT_MISMATCH, String.format(
                        "aSalt 0x%08x,0x%08x but the WAL header has 0x%08x,0x%08x: the index describes another "
                                + "generation of the log", h.salt1(), h.salt2(), w.salt1(), w.salt2())));
            }
            if (h.pageSize() != w.pageSize()) {
                out.add(problem(Severity.ERROR, Code.PAGE_SIZE_MISMATCH, "szPage decodes to " + h.pageSize()
                        + " but the WAL page size is " + w.pageSize()));
            }
            if ((h.bigEndCksum() != 0) != w.bigEndianChecksum()) {
                out.add(problem(Severity.ERROR, Code.CHECKSUM_ORDER_MISMATCH, "bigEndCksum " + h.bigEndCksum()
                        + " but the WAL magic selects " + (w.bigEndianChecksum() ? "big" : "little") + "-endian words"));
            }
        }
        long mx = Integer.toUnsignedLong(h.mxFrame());
        if (mx > scan.lastValidFrame()) {
            out.add(problem(Severity.ERROR, Code.MXFRAME_PAST_VALID_END, "mxFrame " + mx + " but the WAL's valid prefix "
                    + "ends at frame " + scan.lastValidFrame() + " (" + scan.stopReason().description() + ")"));
        } else if (mx != scan.mxFrame()) {
            out.add(problem(mx < scan.mxFrame() ? Severity.INFO : Severity.WARNING, Code.MXFRAME_DIFFERS,
                    "mxFrame " + mx + " but recovery of the WAL gives " + scan.mxFrame()
                            + (mx < scan.mxFrame() ? " (the index is older than the WAL's last commits)" : "")));
        }
        if (mx >= 1 && mx <= scan.lastValidFrame()) {
            WalFrameHeader fh = scan.frameHeader(mx);
            if (fh.commitSize() == 0) {
                out.add(problem(Severity.ERROR, Code.MXFRAME_NOT_COMMIT, "WAL frame mxFrame " + mx + " is not a commit frame"));
            } else if (fh.commitSize() != h.nPage()) {
                out.add(problem(Severity.ERROR, Code.NPAGE_MISMATCH, "nPage " + Integer.toUnsignedString(h.nPage())
                        + " but WAL frame " + mx + " commits " + Integer.toUnsignedString(fh.commitSize()) + " pages"));
            }
            if (fh.storedChecksum() != h.frameChecksum()) {
                out.add(problem(Severity.ERROR, Code.FRAME_CHECKSUM_MISMATCH, String.format(
                        "aFrameCksum 0x%08x,0x%08x but WAL frame %d stores 0x%08x,0x%08x", h.frameChecksum1(),
                        h.frameChecksum2(), mx, fh.checksum1(), fh.checksum2())));
            }
        }
        long backfill = Integer.toUnsignedLong(checkpointInfo.nBackfill());
        if (backfill > scan.mxFrame()) {
            out.add(problem(Severity.ERROR, Code.NBACKFILL_PAST_VALID_END, "nBackfill " + backfill
                    + " claims frames were checkpointed that the WAL does not hold (recovered mxFrame "
                    + scan.mxFrame() + ")"));
        }
        long limit = Math.min(Math.min(mx, scan.lastValidFrame()), frameCapacity());
        int reported = 0;
        long wrong = 0;
        for (long f = 1; f <= limit; f++) {
            int walPage = scan.source().segment().get(ByteSource.INT_BE, scan.frameOffset(f));
            int idxPage = pageOfFrame(f);
            if (walPage != idxPage) {
                wrong++;
                if (reported++ < MAX_FINDINGS) {
                    out.add(problem(Severity.ERROR, Code.STALE_INDEX_ENTRY, "aPgno for frame " + f + " is page "
                            + Integer.toUnsignedString(idxPage) + " but the WAL frame holds page "
                            + Integer.toUnsignedString(walPage)));
                }
            }
        }
        if (wrong > MAX_FINDINGS) {
            out.add(problem(Severity.ERROR, Code.MORE_STALE_INDEX_ENTRIES, (wrong - MAX_FINDINGS)
                    + " further aPgno entries disagree with the WAL"));
        }
        long extra = 0;
        long upper = Math.min(frameCapacity(), regionZero(regionOf(Math.max(mx, 1))) + regionEntries(regionOf(Math.max(mx, 1))));
        if (mx < upper) {
            long r = regionOf(Math.max(mx, 1));
            int[] pgno = new int[WalFormat.HASHTABLE_NPAGE];
            readPageNumbers(r, pgno);
            for (long f = mx + 1; f <= upper; f++) {
                if (pgno[(int) (f - regionZero(r) - 1)] != 0) {
                    extra++;
                }
            }
        }
        if (extra > 0) {
            out.add(problem(Severity.INFO, Code.ENTRIES_ABOVE_MXFRAME, extra + " aPgno entries above mxFrame in its region"
                    + " (an uncommitted tail, a rolled-back or crashed transaction); SQLite ignores them"));
        }
        return out;
    }
}
