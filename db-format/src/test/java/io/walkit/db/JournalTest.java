package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.db.Journal.Disposition;
import io.walkit.db.Journal.StopReason;
import io.walkit.io.ByteSource;
import io.walkit.testkit.JournalBuilder;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollback-journal encoder and decoder, and SQLite's playback rules, on journals built from specs. */
class JournalTest {

    static final int P = 1024;
    static final int S = 512;

    static Journal decode(byte[] bytes) {
        return Journal.read(ByteSource.of(bytes, "j"), P);
    }

    static List<Disposition> dispositions(Journal j) {
        return j.entries().stream().map(Journal.Entry::disposition).toList();
    }

    @Test
    void headerRoundTrips() {
        byte[] b = new byte[S];
        JournalHeader.encode(b, 0, 7, 0xdeadbeefL, 12, S, P);
        JournalHeader h = JournalHeader.read(ByteSource.of(b, "j"), 0);
        assertEquals(new JournalHeader(0, JournalHeader.MAGIC, 7, 0xdeadbeefL, 12, S, P), h);
        assertTrue(h.hasMagic());
        assertTrue(h.sizesValid(P));
    }

    @Test
    void recordChecksumSamplesEvery200thByteFromTheEnd() {
        byte[] image = new byte[P];
        image[P - 200] = 1;
        image[P - 400] = 2;
        image[P - 1000] = 4;  // index 24: sampled (24 > 0)
        image[P - 199] = 100; // not sampled
        image[0] = 50;        // index 0 is never sampled
        assertEquals(10 + 1 + 2 + 4, JournalRecord.checksum(MemorySegment.ofArray(image), P, 10));
        byte[] rec = JournalRecord.encode(3, image, 10);
        JournalRecord r = JournalRecord.read(ByteSource.of(rec, "j"), 0, P, 10);
        assertEquals(3, r.pageNumber());
        assertTrue(r.checksumOk());
    }

    @Test
    void playsRecordsOfEverySegment() {
        byte[] j = new JournalBuilder(P, S).header(2, 5, 10).page(2, 0x22).page(3, 0x33)
                .header(1, 9, 10).page(4, 0x44).build();
        Journal journal = decode(j);
        assertEquals(2, journal.segments().size());
        assertEquals(List.of(Disposition.PLAYED, Disposition.PLAYED, Disposition.PLAYED), dispositions(journal));
        assertEquals(StopReason.END_OF_JOURNAL, journal.stopReason());
        Journal.Playback pb = journal.playback(true);
        assertTrue(pb.applies());
        assertEquals(10, pb.pageCount());
        assertEquals(3, pb.pagesRestored());
        // The second segment starts at the sector boundary after the first segment's records.
        long second = ((S + 2L * (P + 8) - 1) / S + 1) * S;
        assertEquals(second, journal.segments().get(1).header().offset());
        assertEquals(second + S + 4, pb.imageOffset(4));
    }

    @Test
    void stopsAtFirstBadChecksum() {
        byte[] j = new JournalBuilder(P, S).header(3, 5, 10).page(2, 0x22).page(3, 0x33).page(4, 0x44).build();
        j[S + (P + 8) + 4 + P - 200] ^= 1; // sampled byte of record 2's image
        Journal journal = decode(j);
        assertEquals(StopReason.BAD_CHECKSUM, journal.stopReason());
        assertEquals(S + (P + 8), journal.stopOffset());
        assertEquals(List.of(Disposition.PLAYED, Disposition.ENDED_PLAYBACK), dispositions(journal));
        assertEquals(1, journal.playback(true).pagesRestored());
    }

    @Test
    void skipsPagesBeyondOriginalSizeWithoutCheckingTheirChecksum() {
        byte[] j = new JournalBuilder(P, S).header(2, 5, 3).page(9, 0x99).page(2, 0x22).build();
        j[S + 4 + P - 200] ^= 1; // record of page 9 now has a bad checksum
        Journal journal = decode(j);
        assertEquals(List.of(Disposition.SKIPPED_BEYOND_SIZE, Disposition.PLAYED), dispositions(journal));
        assertEquals(-1, journal.playback(true).imageOffset(9));
    }

    @Test
    void stopsAtPageZeroAndAtTheLockBytePage() {
        Journal zero = decode(new JournalBuilder(P, S).header(2, 5, 10).page(0, 1).page(2, 2).build());
        assertEquals(StopReason.PAGE_NUMBER_ZERO, zero.stopReason());
        assertEquals(0, zero.playback(true).pagesRestored());
        long lock = DbFormat.lockBytePage(P);
        Journal lockByte = decode(new JournalBuilder(P, S).header(2, 5, lock + 5).page(lock, 1).page(2, 2).build());
        assertEquals(StopReason.SUPER_JOURNAL_RECORD, lockByte.stopReason());
    }

    @Test
    void laterImageOfTheSamePageWins() {
        byte[] j = new JournalBuilder(P, S).header(1, 5, 10).page(2, 0x01).header(1, 6, 10).page(2, 0x02).build();
        Journal journal = decode(j);
        assertEquals(List.of(Disposition.OVERWRITTEN, Disposition.PLAYED), dispositions(journal));
        long at = journal.playback(true).imageOffset(2);
        assertEquals(0x02, journal.source().u8(at));
    }

    @Test
    void countsRecordsFromTheFileSizeWhenNRecIsUnknown() {
        byte[] j = new JournalBuilder(P, S).header(JournalHeader.NREC_UNKNOWN, 5, 10).page(2, 2).page(3, 3)
                .raw(new byte[100]).build();
        Journal journal = decode(j);
        assertEquals(2, journal.segments().getFirst().nRec());
        assertEquals(2, journal.playback(true).pagesRestored());
    }

    @Test
    void zeroNRecInAHotJournalSkipsToTheNextHeader() {
        byte[] j = new JournalBuilder(P, S).header(0, 5, 10).header(1, 7, 10).page(2, 2).build();
        Journal journal = decode(j);
        assertEquals(2, journal.segments().size());
        assertEquals(List.of(Disposition.PLAYED), dispositions(journal));
    }

    @Test
    void tornRecordEndsPlayback() {
        byte[] full = new JournalBuilder(P, S).header(2, 5, 10).page(2, 2).page(3, 3).build();
        Journal journal = decode(java.util.Arrays.copyOf(full, full.length - 1));
        assertEquals(StopReason.SHORT_RECORD, journal.stopReason());
        assertEquals(1, journal.playback(true).pagesRestored());
    }

    @Test
    void headerProblemsEndTheJournalWithoutPlayback() {
        byte[] j = new JournalBuilder(P, S).header(1, 5, 10).page(2, 2).build();
        byte[] zeroed = j.clone();
        zeroed[0] = 0; // PERSIST mode zeroes the header
        assertEquals(StopReason.BAD_HEADER_MAGIC, decode(zeroed).stopReason());
        assertFalse(decode(zeroed).playback(true).applies());
        byte[] badSector = j.clone();
        badSector[JournalHeader.OFF_SECTOR_SIZE + 3] = 33;
        assertEquals(StopReason.BAD_HEADER_SIZES, decode(badSector).stopReason());
        assertEquals(StopReason.NO_HEADER, decode(java.util.Arrays.copyOf(j, 511)).stopReason());
        assertEquals(StopReason.NO_HEADER, decode(new byte[0]).stopReason());
    }

    @Test
    void pageSizeZeroMeansTheDatabasePageSize() {
        byte[] j = new JournalBuilder(P, S).header(1, 5, 10).page(2, 2).build();
        j[JournalHeader.OFF_PAGE_SIZE + 2] = 0;
        j[JournalHeader.OFF_PAGE_SIZE + 3] = 0;
        Journal journal = Journal.read(ByteSource.of(j, "j"), P);
        assertEquals(P, journal.pageSize());
        assertEquals(1, journal.playback(true).pagesRestored());
    }

    @Test
    void superJournalRoundTripsAndAMissingOneMeansCommitted() {
        byte[] j = new JournalBuilder(P, S).header(1, 5, 10).page(2, 2).superJournal("/tmp/x-mj0123").build();
        Journal journal = decode(j);
        assertNotNull(journal.superJournal());
        assertEquals("/tmp/x-mj0123", journal.superJournal().name());
        // The next header would start at the super-journal record's sector: a partial sector.
        assertEquals(StopReason.SHORT_HEADER, journal.stopReason());
        assertTrue(journal.playback(true).applies());
        assertFalse(journal.playback(false).applies());
        j[j.length - 20] ^= 1; // a name byte: checksum fails
        assertNull(decode(j).superJournal());
    }

    @Test
    void hotJournalRules(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("h.db");
        Path jr = HotJournal.defaultJournal(db);
        Files.write(db, new byte[P]);
        assertEquals(HotJournal.State.ABSENT, HotJournal.check(db, jr).state());
        Files.write(jr, new byte[0]);
        assertEquals(HotJournal.State.NOT_HOT_ZERO, HotJournal.check(db, jr).state());
        byte[] j = new JournalBuilder(P, S).header(1, 5, 1).page(1, 2).build();
        Files.write(jr, j);
        assertEquals(HotJournal.State.HOT, HotJournal.check(db, jr).state());
        assertTrue(HotJournal.check(db, jr).rollsBack());
        Files.write(db, new byte[0]);
        assertEquals(HotJournal.State.NOT_HOT_EMPTY_DATABASE, HotJournal.check(db, jr).state());
        Files.write(db, new byte[P]);
        j[0] = 0;
        Files.write(jr, j);
        assertEquals(HotJournal.State.NOT_HOT_ZERO, HotJournal.check(db, jr).state());
        byte[] withSuper = new JournalBuilder(P, S).header(1, 5, 1).page(1, 2)
                .superJournal(dir.resolve("absent-mj").toString()).build();
        Files.write(jr, withSuper);
        HotJournal h = HotJournal.check(db, jr);
        assertTrue(h.hot());
        assertFalse(h.rollsBack(), "a missing super-journal means the transaction committed");
        Files.write(dir.resolve("absent-mj"), new byte[] {1});
        assertTrue(HotJournal.check(db, jr).rollsBack());
    }

    /** Any single-byte change yields a decodable journal (a result, never an exception). */
    @Test
    void bitFlipsNeverThrow() {
        byte[] j = new JournalBuilder(P, S).header(2, 5, 10).page(2, 2).page(3, 3).header(1, 6, 10).page(4, 4)
                .superJournal("/x").build();
        long seed = Long.getLong("walkit.seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 3000; i++) {
            byte[] m = j.clone();
            int at = rnd.nextInt(m.length);
            m[at] ^= (byte) (1 + rnd.nextInt(255));
            try {
                Journal journal = decode(m);
                journal.playback(true);
                assertTrue(journal.entries().size() <= 4, "seed " + seed + " offset " + at);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": flip at offset " + at + " threw", e);
            }
        }
    }

    @Test
    void rolledBackViewRestoresImagesAndTruncates() throws Exception {
        byte[] dbBytes = new byte[4 * P];
        byte[] page1 = Files.readAllBytes(WalViewTest.projectRoot().resolve("testdata/wal/sample.db"));
        int pageSize = FilePageSource.pageSizeOf(ByteSource.of(page1, "s"));
        org.junit.jupiter.api.Assumptions.assumeTrue(pageSize == 4096, "sample.db page size");
        byte[] db = java.util.Arrays.copyOf(page1, 3 * 4096);
        byte[] orig2 = new byte[4096];
        java.util.Arrays.fill(orig2, (byte) 7);
        byte[] j = new JournalBuilder(4096, S).header(1, 5, 2).page(2, orig2).build();
        FilePageSource file = FilePageSource.of(db, "db");
        Journal journal = Journal.read(ByteSource.of(j, "j"), 4096);
        try (JournalPageSource v = new JournalPageSource(file, journal, journal.playback(true))) {
            assertEquals(2, v.pageCount());
            byte[] got = new byte[4096];
            MemorySegment.copy(v.page(2), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, got, 0, 4096);
            assertArrayEquals(orig2, got);
            assertTrue(v.origin(2).startsWith("journal record"));
            assertTrue(v.origin(1).startsWith("db offset"));
        }
        assertEquals(4 * P, dbBytes.length);
    }
}
