package io.walkit.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.io.CorruptFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** LTX: Litestream's fixture decodes; every encoding round-trips; damage is always reported. */
class LtxFileTest {

    static final Path FIXTURE = Path.of("../testdata/litestream-ltx/000000000000000d-000000000000000d.ltx");

    @Test
    void crc64MatchesGosIsoCheckValue() {
        assertEquals(0xb90956c775a41001L, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
        byte[] long_ = new byte[1000];
        new SplittableRandom(3).nextBytes(long_);
        // Slicing-by-8 and the byte loop agree at every split point.
        long whole = Crc64.of(long_);
        for (int cut = 0; cut < 20; cut++) {
            assertEquals(whole, Crc64.update(Crc64.update(0, long_, 0, cut), long_, cut, long_.length - cut));
        }
    }

    @Test
    void decodesLitestreamsFixture() throws Exception {
        List<Integer> pages = new ArrayList<>();
        LtxFile f = LtxFile.read(FIXTURE, (pgno, data) -> pages.add(pgno));
        assertEquals(LtxEncoding.V1, f.encoding());
        assertTrue(f.ok(), f.problems().toString());
        assertEquals(List.of(1, 7, 8), pages);
        assertEquals(4096, f.header().pageSize());
        assertEquals(10, f.header().commit());
        assertEquals(13, f.header().minTxid());
        assertEquals(13, f.header().maxTxid());
        assertEquals(0x9c74a15b4e4f246cL, f.header().preApplyChecksum());
        assertEquals(0xfe3831a381c602b9L, f.postApplyChecksum());
        assertEquals(0x9496a29358326fb5L, f.fileChecksum());
        assertEquals(f.fileChecksum(), f.computedFileChecksum());
        assertNull(f.index());
    }

    /** A random database-like page set: pages 1..n (a snapshot) or a sparse increasing subset. */
    static SortedMap<Integer, byte[]> pages(SplittableRandom rnd, int pageSize, int commit, boolean snapshot) {
        SortedMap<Integer, byte[]> m = new TreeMap<>();
        for (int p = 1; p <= commit; p++) {
            if (snapshot || rnd.nextInt(3) == 0) {
                byte[] b = new byte[pageSize];
                // Half compressible, half random, as real pages are.
                int split = rnd.nextInt(pageSize);
                for (int i = 0; i < split; i++) {
                    b[i] = (byte) rnd.nextInt(4);
                }
                for (int i = split; i < pageSize; i++) {
                    b[i] = (byte) rnd.nextInt();
                }
                m.put(p, b);
            }
        }
        if (m.isEmpty()) {
            m.put(commit, new byte[pageSize]);
        }
        return m;
    }

    static LtxHeader header(int pageSize, int commit, long min, long max, boolean checksums, long pre) {
        return new LtxHeader(LtxHeader.MAGIC, checksums ? 0 : LtxHeader.FLAG_NO_CHECKSUM, pageSize, commit, min, max,
                1_700_000_000_000L + min, checksums && min != 1 ? pre : 0, 0, 0, 0, 0, 0);
    }

    record Case(LtxEncoding encoding, LtxWriter.V3Style style) {}

    static final List<Case> CASES = List.of(new Case(LtxEncoding.V1, null), new Case(LtxEncoding.V1_LZ4, null),
            new Case(LtxEncoding.V2, null), new Case(LtxEncoding.V3, LtxWriter.V3Style.BLOCK),
            new Case(LtxEncoding.V3, LtxWriter.V3Style.FRAME));

    @Test
    void everyEncodingRoundTripsAndIsTellable() throws Exception {
        long seed = Long.getLong("walkit.seed", 42);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 40; round++) {
            Case c = CASES.get(round % CASES.size());
            int pageSize = 512 << rnd.nextInt(4);
            int commit = 1 + rnd.nextInt(12);
            boolean snapshot = rnd.nextBoolean();
            boolean checksums = rnd.nextBoolean();
            SortedMap<Integer, byte[]> pages = pages(rnd, pageSize, commit, snapshot);
            long min = snapshot ? 1 : 2 + rnd.nextInt(100);
            LtxHeader h = header(pageSize, commit, min, min + rnd.nextInt(3), checksums, LtxHeader.CHECKSUM_FLAG | rnd.nextLong());
            long post = checksums ? (snapshot ? 0 : LtxHeader.CHECKSUM_FLAG | rnd.nextLong()) : 0;
            byte[] file = LtxWriter.encode(c.encoding(), c.style(), h, pages, post);
            SortedMap<Integer, byte[]> got = new TreeMap<>();
            LtxFile f = LtxFile.decode(file, "case", (pgno, data) -> got.put(pgno, data.clone()));
            String label = "seed=" + seed + " round=" + round + " " + c + " pageSize=" + pageSize + " commit=" + commit + " snapshot="
                    + snapshot + " checksums=" + checksums;
            assertEquals(c.encoding(), f.encoding(), label);
            assertTrue(f.ok(), label + ": " + f.problems());
            assertEquals(pages.keySet(), got.keySet(), label);
            for (int p : pages.keySet()) {
                assertArrayEquals(pages.get(p), got.get(p), label + " page " + p);
            }
            if (snapshot && checksums) {
                assertEquals(f.computedDatabaseChecksum(), f.postApplyChecksum(), label);
            }
        }
    }

    @Test
    void everySingleByteFlipIsReportedOrMeaningless() throws Exception {
        long seed = Long.getLong("walkit.seed", 7);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Case c : CASES) {
            SortedMap<Integer, byte[]> pages = pages(rnd, 512, 4, true);
            byte[] file = LtxWriter.encode(c.encoding(), c.style(), header(512, 4, 1, 3, true, 0), pages, 0);
            for (int i = 0; i < file.length; i++) {
                byte[] bad = file.clone();
                bad[i] ^= (byte) (1 << rnd.nextInt(8));
                try {
                    SortedMap<Integer, byte[]> got = new TreeMap<>();
                    LtxFile f = LtxFile.decode(bad, "flip", (pgno, data) -> got.put(pgno, data.clone()));
                    if (f.ok()) {
                        // Only acceptable when the meaning is unchanged (an LZ4 encoding with the same output).
                        boolean same = got.keySet().equals(pages.keySet())
                                && got.keySet().stream().allMatch(p -> Arrays.equals(got.get(p), pages.get(p)));
                        if (!same) {
                            fail("seed=" + seed + " " + c + ": flipping byte " + i + " of " + file.length + " changed pages silently");
                        }
                    }
                } catch (CorruptFileException expected) {
                    // a structural impossibility: reported
                } catch (RuntimeException e) {
                    throw new AssertionError("seed=" + seed + " " + c + ": flipping byte " + i + " threw " + e, e);
                }
            }
        }
    }

    @Test
    void truncationAndGarbageAreCorruptFileExceptions() throws Exception {
        byte[] file = LtxWriter.encode(LtxEncoding.V3, LtxWriter.V3Style.BLOCK, header(4096, 2, 1, 1, true, 0),
                pages(new SplittableRandom(1), 4096, 2, true), 0);
        for (int cut = 0; cut < file.length; cut += 97) {
            byte[] shortFile = Arrays.copyOf(file, cut);
            try {
                LtxFile f = LtxFile.decode(shortFile, "cut", null);
                assertFalse(f.ok(), "cut at " + cut + " went unnoticed");
            } catch (CorruptFileException expected) {
                // reported
            }
        }
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> LtxFile.decode("NOPE".repeat(40).getBytes(StandardCharsets.US_ASCII), "garbage.ltx", null));
        assertEquals("magic", e.field());
    }

    @Test
    void fixtureIsCommittedWithItsNotice() {
        assertTrue(Files.exists(FIXTURE.resolveSibling("LICENSE-litestream")));
    }
}
