package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.io.Problem;
import io.walkit.testkit.Corrupt;
import io.walkit.testkit.Seeds;
import io.walkit.testkit.WalSpec;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WalIndexTest {

    static List<String> codes(List<io.walkit.io.Problem> fs) {
        return fs.stream().map(f -> f.code().id()).toList();
    }

    @Test
    void shortFilesAreNormalAndHaveNoIndex() {
        for (int n : new int[] {0, 3, 135}) {
            WalIndex idx = WalIndex.read(ByteSource.of(new byte[n], "s"));
            assertEquals(n == 0 ? WalIndex.Status.EMPTY : WalIndex.Status.SHORT, idx.status());
            assertFalse(idx.corruptHeader());
            assertFalse(idx.headerUsable());
            assertEquals(0, idx.frameCapacity());
            assertEquals(0, idx.findFrame(1, 1, 100).frame());
            assertEquals(List.of("no-index"), codes(idx.checkHeader()));
        }
    }

    @Test
    void builtIndexRoundTripsInBothByteOrdersAndLooksUpLikeTheScan() {
        for (long seed : Seeds.get(11, 12, 13, 14)) {
            for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                WalSpec spec = WalSpec.random(new SplittableRandom(seed), 512, 30, 40, false);
                WalScan scan = WalScanner.scan(ByteSource.of(spec.build(), "w"));
                WalIndex idx = WalIndex.read(ByteSource.of(WalIndexBuilder.recover(scan, order), "s"));
                String ctx = "seed " + seed + " " + order + ": " + spec;
                assertEquals(order, idx.byteOrder(), ctx);
                assertTrue(idx.headerUsable(), ctx);
                WalIndexHeader h = idx.header();
                assertEquals(scan.mxFrame(), h.mxFrame(), ctx);
                assertEquals(scan.databaseSize(), h.nPage(), ctx);
                assertEquals(scan.lastCommitChecksum(), h.frameChecksum(), ctx);
                assertEquals(512, h.pageSize());
                assertEquals(h.mxFrame() == 0 ? List.of() : List.of("recovered"), codes(idx.checkHeader()), ctx);
                assertEquals(List.of(), idx.checkHashTables(Integer.toUnsignedLong(h.mxFrame())), ctx);
                assertTrue(idx.crossCheck(scan).stream().noneMatch(f -> f.severity() == io.walkit.io.Problem.Severity.ERROR), ctx);
                for (int p = 1; p <= 41; p++) {
                    WalIndex.Lookup l = idx.findFrame(p, 1, Integer.toUnsignedLong(h.mxFrame()));
                    assertEquals(null, l.error());
                    assertEquals(scan.pageIndex().newestFrame(p), l.frame(), ctx + " page " + p);
                    assertEquals(l.frame(), idx.findFrameLinear(p, 1, Integer.toUnsignedLong(h.mxFrame())), ctx);
                }
            }
        }
    }

    @Test
    void indexesAcrossSeveralRegions() {
        // 9000 frames span regions 0..2 (region 1 starts at frame 4063, region 2 at 8159).
        WalWriter w = WalWriter.create(512, ByteOrder.LITTLE_ENDIAN, 0, 1, 2);
        byte[] page = new byte[512];
        for (int f = 1; f <= 9000; f++) {
            w.appendFrame(1 + (f * 7) % 500, page, f % 10 == 0 ? 500 : 0);
        }
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "w"));
        assertEquals(9000, scan.mxFrame());
        WalIndex idx = WalIndex.read(ByteSource.of(WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN), "s"));
        assertEquals(3, idx.regionCount());
        assertEquals(List.of(), idx.checkHashTables(9000));
        assertEquals(1 + (9000 * 7) % 500, idx.pageOfFrame(9000));
        assertEquals(1 + (4063 * 7) % 500, idx.pageOfFrame(4063));
        for (int p = 1; p <= 500; p += 7) {
            assertEquals(scan.pageIndex().newestFrame(p), idx.findFrame(p, 1, 9000).frame());
            // A bound inside region 1 finds the newest frame ≤ it.
            assertEquals(idx.findFrameLinear(p, 1, 5000), idx.findFrame(p, 1, 5000).frame());
            assertEquals(idx.findFrameLinear(p, 4100, 4500), idx.findFrame(p, 4100, 4500).frame());
        }
    }

    @Test
    void regionArithmeticMatchesWalFramePage() {
        assertEquals(0, WalIndex.regionOf(1));
        assertEquals(0, WalIndex.regionOf(4062));
        assertEquals(1, WalIndex.regionOf(4063));
        assertEquals(1, WalIndex.regionOf(8158));
        assertEquals(2, WalIndex.regionOf(8159));
        assertEquals(4062, WalIndex.regionZero(1));
        assertEquals(8158, WalIndex.regionZero(2));
        assertEquals(136 + 4062 * 4, 16384);
    }

    @Test
    void crossCheckReportsAnIndexOfAnotherGeneration() {
        byte[] wal = WalSpec.pageSize(512).commit(1, 1).commit(2, 2).build();
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN);
        byte[] other = WalSpec.pageSize(1024).salts(1, 2).commit(1, 1).commit(2, 2).commit(3, 3).build();
        WalScan otherScan = WalScanner.scan(ByteSource.of(other, "w2"));
        WalIndex idx = WalIndex.read(ByteSource.of(shm, "s"));
        List<String> codes = codes(idx.crossCheck(otherScan));
        assertTrue(codes.contains("salt-mismatch"), codes.toString());
        assertTrue(codes.contains("page-size-mismatch"), codes.toString());
        assertTrue(codes.contains("mxframe-differs"), codes.toString());
        // Shorter WAL than the index claims: mxFrame past the valid end.
        byte[] cut = Corrupt.truncate(wal, WalFormat.frameOffset(2, 512) + 5);
        List<String> c2 = codes(idx.crossCheck(WalScanner.scan(ByteSource.of(cut, "w3"))));
        assertTrue(c2.contains("mxframe-past-valid-end"), c2.toString());
    }

    @Test
    void reportsBackfillBeyondMxFrameAndStaleIndexEntries() {
        byte[] wal = WalSpec.pageSize(512).commit(2, 1, 2).commit(3, 3).build();
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN);
        shm = Corrupt.putInt(shm, 96, 50, ByteOrder.LITTLE_ENDIAN);           // nBackfill 50 > mxFrame 3
        shm = Corrupt.putInt(shm, 136 + 4, 7, ByteOrder.LITTLE_ENDIAN);       // aPgno for frame 2 says page 7
        WalIndex idx = WalIndex.read(ByteSource.of(shm, "s"));
        assertTrue(codes(idx.checkHeader()).contains("nbackfill-exceeds-mxframe"));
        assertTrue(codes(idx.crossCheck(scan)).contains("stale-index-entry"));
        // Findings carry the field, expected, found and the offset of the field, not prose in the detail.
        Problem backfill = idx.checkHeader().stream().filter(p -> p.code().id().equals("nbackfill-exceeds-mxframe")).findFirst()
                .orElseThrow();
        assertEquals("nBackfill", backfill.field());
        assertEquals("at most mxFrame 3", backfill.expected());
        assertEquals("50", backfill.found());
        assertEquals(new Problem.Position.FileOffset(96), backfill.position());
        Problem stale = idx.crossCheck(scan).stream().filter(p -> p.code().id().equals("stale-index-entry")).findFirst()
                .orElseThrow();
        assertEquals("aPgno[frame 2]", stale.field());
        assertEquals("7", stale.found());
        assertTrue(stale.expected().startsWith("2 "), stale.expected());
        assertEquals(new Problem.Position.FileOffset(136 + 4), stale.position());
        assertTrue(codes(idx.checkHashTables(3)).contains("hash-entry-unreachable"));
    }

    @Test
    void everyByteFlipInTheHeaderCopiesMakesTheHeaderUnusable() {
        byte[] wal = WalSpec.pageSize(512).commit(2, 1, 2).build();
        byte[] shm = WalIndexBuilder.recover(WalScanner.scan(ByteSource.of(wal, "w")), ByteOrder.BIG_ENDIAN);
        for (int off = 0; off < 96; off++) {
            WalIndex idx = WalIndex.read(ByteSource.of(Corrupt.flip(shm, off), "s"));
            assertFalse(idx.headerUsable(), "offset " + off);
            assertNotNull(idx.checkHeader());
        }
    }
}
