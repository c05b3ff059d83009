package io.walkit.db;

import io.walkit.io.ByteSource;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * A rollback journal ({@code <db>-journal}) decoded the way SQLite's {@code pager_playback} reads
 * it: its segments (a header and the page records it counts), what playback does with each record,
 * where and why playback stops, and the super-journal name at the end.
 *
 * <p>Playback, as SQLite decides (docs/journal.md, {@code readJournalHdr}, {@code pager_playback},
 * {@code pager_playback_one_page}):
 * <ol>
 *   <li>A header is read at offset 0, then at the next multiple of the first header's sector size
 *       after the previous segment's records. The journal must hold the whole header sector
 *       (for the first header, the reading pager's own sector size, {@link #PAGER_SECTOR_SIZE}).
 *       A wrong magic, or (first header) a page size or sector size out of range, ends the
 *       journal: that header was never synced.</li>
 *   <li>{@code nRec = 0xffffffff}: the records are counted from the file size. {@code nRec = 0}
 *       in a hot journal means the segment is empty and the next header follows.</li>
 *   <li>At the first header the database is truncated (or zero-extended) to {@code dbOrigSize}
 *       pages, which also bounds every later record.</li>
 *   <li>A record that does not fit in the file ends playback (a torn append); page number 0 or
 *       the lock-byte page (the super-journal record) ends it; a page number beyond
 *       {@code dbOrigSize} is skipped without looking at its checksum; a wrong checksum ends
 *       playback (nothing after it was synced, so the database was never written past it);
 *       otherwise the image is written back. Records are played in file order, so if a page
 *       occurs twice the later image wins (SQLite passes no "done" set for the main journal).</li>
 *   <li>Before all this, a super-journal name whose file does not exist means the transaction
 *       committed: nothing is played back ({@link #playback(boolean)} takes that fact).</li>
 * </ol>
 *
 * <p>Bounds: every step advances through the file, so decoding is linear in the journal size;
 * memory is one entry per record. The journal's {@link ByteSource} is not owned: the caller
 * closes it after the last use of this object. Immutable after construction; thread-safe.
 */
public final class Journal {

    /**
     * The sector size a reading pager uses for the first header's size check: 512, unix's value
     * with powersafe overwrite (SQLite's default); a journal shorter than this is not played back.
     */
    public static final int PAGER_SECTOR_SIZE = 512;

    /** Why playback stopped reading the journal. */
    public enum StopReason {
        /** The journal is shorter than one header sector (or empty): nothing to play. */
        NO_HEADER,
        /** The next header position lies at or beyond the end of the file: the normal end. */
        END_OF_JOURNAL,
        /** A header position holds a partial sector. */
        SHORT_HEADER,
        /** A header's magic does not match (e.g. PERSIST mode zeroed it, or it was never synced). */
        BAD_HEADER_MAGIC,
        /** The first header's page size or sector size is out of range. */
        BAD_HEADER_SIZES,
        /** A record does not fit in the file (a torn append). */
        SHORT_RECORD,
        /** A record's page number is 0. */
        PAGE_NUMBER_ZERO,
        /** A record's page number is the lock-byte page: the super-journal record. */
        SUPER_JOURNAL_RECORD,
        /** A record's checksum does not match. */
        BAD_CHECKSUM
    }

    /** What playback does with a record. */
    public enum Disposition {
        /** The image is written back to the database. */
        PLAYED,
        /** Played, but a later record of the same page overwrites it. */
        OVERWRITTEN,
        /** Skipped: its page number is beyond the database's original size. */
        SKIPPED_BEYOND_SIZE,
        /** The record that ended playback (see {@link Journal#stopReason()}). */
        ENDED_PLAYBACK
    }

    /**
     * One segment: a header and the records playback read after it.
     *
     * @param header     the header
     * @param nRec       the record count used (from the header, or from the file size for 0xffffffff)
     * @param firstRecord the byte offset of its first record
     */
    public record Segment(JournalHeader header, long nRec, long firstRecord) {}

    /**
     * A record as playback saw it.
     *
     * @param segment     the 0-based index of its segment
     * @param record      the decoded record
     * @param disposition what playback did with it
     */
    public record Entry(int segment, JournalRecord record, Disposition disposition) {}

    private final ByteSource source;
    private final List<Segment> segments;
    private final List<Entry> entries;
    private final StopReason stopReason;
    private final long stopOffset;
    private final SuperJournal superJournal;
    private final int pageSize;
    private final long sectorSize;
    private final long dbOrigSize;

    private Journal(ByteSource source, List<Segment> segments, List<Entry> entries, StopReason stopReason,
                    long stopOffset, SuperJournal superJournal, int pageSize, long sectorSize, long dbOrigSize) {
        this.source = source;
        this.segments = List.copyOf(segments);
        this.entries = List.copyOf(entries);
        this.stopReason = stopReason;
        this.stopOffset = stopOffset;
        this.superJournal = superJournal;
        this.pageSize = pageSize;
        this.sectorSize = sectorSize;
        this.dbOrigSize = dbOrigSize;
    }

    /**
     * Decodes {@code journal} as playback reads it.
     *
     * @param journal          the rollback journal's bytes (kept: the journal reads images from it)
     * @param fallbackPageSize the database's page size, used when the first header's page size is
     *                         0 (journals written before SQLite 3.5.8); SQLite's default 4096 if unknown
     * @return the decoded journal; damage ends playback where SQLite's would end, it never throws
     *         for it
     */
    public static Journal read(ByteSource journal, int fallbackPageSize) {
        long size = journal.size();
        SuperJournal sj = SuperJournal.read(journal);
        List<Segment> segments = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Long2LongOpenHashMap lastIndexOfPage = new Long2LongOpenHashMap();
        int pageSize = 0;
        long sectorSize = 0;
        long dbOrigSize = 0;
        long off = 0;
        StopReason stop;
        long stopAt;
        outer:
        while (true) {
            boolean first = segments.isEmpty();
            long hdr = first ? 0 : roundUp(off, sectorSize);
            long need = first ? PAGER_SECTOR_SIZE : sectorSize;
            if (hdr >= size) {
                stop = first ? StopReason.NO_HEADER : StopReason.END_OF_JOURNAL;
                stopAt = hdr;
                break;
            }
            if (hdr + need > size) {
                stop = first ? StopReason.NO_HEADER : StopReason.SHORT_HEADER;
                stopAt = hdr;
                break;
            }
            JournalHeader h = JournalHeader.read(journal, hdr);
            if (!h.hasMagic()) {
                stop = StopReason.BAD_HEADER_MAGIC;
                stopAt = hdr;
                break;
            }
            if (first) {
                if (!h.sizesValid(fallbackPageSize)) {
                    stop = StopReason.BAD_HEADER_SIZES;
                    stopAt = hdr;
                    break;
                }
                pageSize = (int) h.effectivePageSize(fallbackPageSize);
                sectorSize = h.sectorSize();
                dbOrigSize = h.dbOrigSize();
            }
            long recSize = JournalRecord.size(pageSize);
            off = hdr + sectorSize;
            long nRec = h.nRec();
            if (nRec == JournalHeader.NREC_UNKNOWN) {
                // SQLite computes this from the first header's size whatever segment it is in.
                nRec = Math.max(0, (size - sectorSize) / recSize);
            }
            int segIndex = segments.size();
            segments.add(new Segment(h, nRec, off));
            long lockByte = DbFormat.lockBytePage(pageSize);
            for (long u = 0; u < nRec; u++) {
                if (off + recSize > size) {
                    stop = StopReason.SHORT_RECORD;
                    stopAt = off;
                    break outer;
                }
                JournalRecord r = JournalRecord.read(journal, off, pageSize, h.cksumInit());
                long pgno = r.pageNumber();
                if (pgno == 0 || pgno == lockByte) {
                    entries.add(new Entry(segIndex, r, Disposition.ENDED_PLAYBACK));
                    stop = pgno == 0 ? StopReason.PAGE_NUMBER_ZERO : StopReason.SUPER_JOURNAL_RECORD;
                    stopAt = off;
                    break outer;
                }
                if (pgno > dbOrigSize) {
                    entries.add(new Entry(segIndex, r, Disposition.SKIPPED_BEYOND_SIZE));
                } else if (!r.checksumOk()) {
                    entries.add(new Entry(segIndex, r, Disposition.ENDED_PLAYBACK));
                    stop = StopReason.BAD_CHECKSUM;
                    stopAt = off;
                    break outer;
                } else {
                    if (lastIndexOfPage.containsKey(pgno)) {
                        int prev = (int) lastIndexOfPage.get(pgno);
                        Entry e = entries.get(prev);
                        entries.set(prev, new Entry(e.segment(), e.record(), Disposition.OVERWRITTEN));
                    }
                    lastIndexOfPage.put(pgno, entries.size());
                    entries.add(new Entry(segIndex, r, Disposition.PLAYED));
                }
                off += recSize;
            }
        }
        return new Journal(journal, segments, entries, stop, stopAt, sj, pageSize, sectorSize, dbOrigSize);
    }

    private static long roundUp(long offset, long sector) {
        return offset == 0 ? 0 : ((offset - 1) / sector + 1) * sector;
    }

    /** {@return the journal's bytes (not owned)} */
    public ByteSource source() {
        return source;
    }

    /** {@return the segments playback read, in file order (empty when the first header is unusable)} */
    public List<Segment> segments() {
        return segments;
    }

    /** {@return every record playback looked at, in file order, with what it did} */
    public List<Entry> entries() {
        return entries;
    }

    /** {@return why playback stopped} */
    public StopReason stopReason() {
        return stopReason;
    }

    /** {@return the byte offset where playback stopped (the header or record named by {@link #stopReason()})} */
    public long stopOffset() {
        return stopOffset;
    }

    /** {@return the super-journal name at the end of the journal, or null} */
    public SuperJournal superJournal() {
        return superJournal;
    }

    /** {@return the first header, or null when there is no usable one} */
    public JournalHeader firstHeader() {
        return segments.isEmpty() ? null : segments.getFirst().header();
    }

    /** {@return whether playback would change anything: a usable first header exists} */
    public boolean hasUsableHeader() {
        return !segments.isEmpty();
    }

    /** {@return the page size of the records (from the first header), or 0 without a usable header} */
    public int pageSize() {
        return pageSize;
    }

    /** {@return the first header's sector size, or 0 without a usable header} */
    public long sectorSize() {
        return sectorSize;
    }

    /** {@return the database size in pages before the transaction (first header), or 0 without a usable header} */
    public long dbOrigSize() {
        return dbOrigSize;
    }

    /**
     * What playback writes back: page number → the record whose image it writes (the last
     * {@link Disposition#PLAYED} one of each page). Empty when {@code superJournalExists} is
     * false for a journal that names a super-journal (the transaction committed).
     *
     * @param superJournalExists whether the named super-journal exists (ignored when none is named)
     * @return a fresh playback description
     */
    public Playback playback(boolean superJournalExists) {
        if (!hasUsableHeader() || (superJournal != null && !superJournalExists)) {
            return new Playback(false, 0, new Long2LongOpenHashMap());
        }
        Long2LongOpenHashMap images = new Long2LongOpenHashMap();
        for (Entry e : entries) {
            if (e.disposition() == Disposition.PLAYED) {
                images.put(e.record().pageNumber(), e.record().imageOffset());
            }
        }
        return new Playback(true, dbOrigSize, images);
    }

    /**
     * The effect of playback on the database file.
     *
     * <p>Not thread-safe to mutate; {@link Journal#playback} returns a fresh one each call.
     */
    public static final class Playback {
        private final boolean applies;
        private final long pageCount;
        private final Long2LongOpenHashMap imageOffsets;

        Playback(boolean applies, long pageCount, Long2LongOpenHashMap imageOffsets) {
            this.applies = applies;
            this.pageCount = pageCount;
            this.imageOffsets = imageOffsets;
            imageOffsets.defaultReturnValue(-1);
        }

        /** {@return whether playback changes the database at all (truncation and page writes)} */
        public boolean applies() {
            return applies;
        }

        /** {@return the database size in pages after playback ({@code dbOrigSize}); meaningful when {@link #applies()}} */
        public long pageCount() {
            return pageCount;
        }

        /**
         * The journal offset of the image written back for {@code pageNumber}, or −1 if none.
         *
         * @param pageNumber the 1-based page number
         * @return the byte offset of the page image in the journal, or −1
         */
        public long imageOffset(long pageNumber) {
            return imageOffsets.get(pageNumber);
        }

        /** {@return the number of distinct pages written back} */
        public int pagesRestored() {
            return imageOffsets.size();
        }
    }
}
