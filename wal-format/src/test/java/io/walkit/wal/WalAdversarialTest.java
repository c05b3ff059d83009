package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.testkit.Corrupt;
import io.walkit.testkit.WalSpec;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile inputs give a precise report in bounded time and memory. */
class WalAdversarialTest {

    @Test
    void headerClaimingATwoGibibytePageIsRejectedPrecisely() throws Exception {
        byte[] wal = Corrupt.headerField(WalSpec.pageSize(512).commit(1, 1).build(), WalFormat.OFF_PAGE_SIZE, 0x8000_0000);
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "huge.db-wal"));
        assertEquals(StopReason.BAD_PAGE_SIZE, scan.stopReason());
        assertEquals(WalFormat.OFF_PAGE_SIZE, scan.stopOffset());
        assertEquals(0, scan.frameCount());
        assertEquals(0, StaleFrames.find(scan).frameCount());
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> scan.header().validate("huge.db-wal"));
        assertEquals("WAL header: page size must be a power of two in 512..65536, found 2147483648 "
                + "(file=huge.db-wal, offset=0x8 (8))", e.getMessage());
    }

    @Test
    void pageSizeOneAndOtherNonPowersAreRejected() {
        for (int p : new int[] {1, 0, 256, 1016, 131072, -1}) {
            byte[] wal = Corrupt.headerField(WalSpec.pageSize(512).commit(1, 1).build(), WalFormat.OFF_PAGE_SIZE, p);
            WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
            assertEquals(StopReason.BAD_PAGE_SIZE, scan.stopReason(), "page size " + p);
            assertEquals(0, scan.mxFrame());
        }
    }

    @Test
    void shmClaimingAHugeMxFrameIsReportedWithoutWalkingAbsentRegions() {
        byte[] wal = WalSpec.pageSize(512).commit(2, 1, 2).build();
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
        WalIndexHeader h = WalIndexHeader.create(ByteOrder.LITTLE_ENDIAN, 1, false, 512, 0xFFFF_FFF0, 2,
                scan.lastCommitChecksum(), scan.header().salt1(), scan.header().salt2());
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(h.encode(ByteOrder.LITTLE_ENDIAN), 0, shm, 0, 48);
        System.arraycopy(h.encode(ByteOrder.LITTLE_ENDIAN), 0, shm, 48, 48);
        WalIndex idx = WalIndex.read(ByteSource.of(shm, "huge.db-shm"));
        assertTrue(idx.headerUsable());
        assertEquals(4294967280L, Integer.toUnsignedLong(idx.header().mxFrame()));
        List<String> codes = WalIndexTest.codes(idx.checkHeader());
        assertTrue(codes.contains("index-truncated"), codes.toString());
        WalIndex.Lookup l = idx.findFrame(2, 1, Integer.toUnsignedLong(idx.header().mxFrame()));
        assertEquals(2, l.frame());
        assertNotNull(l.error());
        assertEquals(List.of(), idx.checkHashTables(Integer.toUnsignedLong(idx.header().mxFrame())).stream()
                .filter(f -> !f.code().id().equals("hash-entry-missing") && !f.code().id().equals("more-hash-problems")).toList());
        assertTrue(WalIndexTest.codes(idx.crossCheck(scan)).contains("mxframe-past-valid-end"));
        assertEquals(2, idx.findFrameLinear(2, 1, Integer.toUnsignedLong(idx.header().mxFrame())));
    }

    @Test
    void aFullHashTableIsCorruptNotAnEndlessProbe() {
        byte[] wal = WalSpec.pageSize(512).commit(2, 1, 2).build();
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN);
        for (int slot = 0; slot < WalFormat.HASHTABLE_NSLOT; slot++) {
            shm[16384 + 2 * slot] = 1; // every slot points at frame 1
        }
        WalIndex idx = WalIndex.read(ByteSource.of(shm, "s"));
        WalIndex.Lookup l = idx.findFrame(99, 1, 2);
        assertEquals(0, l.frame());
        assertTrue(l.error().contains("SQLITE_CORRUPT"), l.error());
        assertTrue(WalIndexTest.codes(idx.checkHashTables(2)).contains("hash-table-full"));
    }

    @Test
    void shmFlipsAndTruncationsNeverThrow() {
        byte[] wal = WalSpec.pageSize(512).commit(3, 1, 2, 3).commit(3, 2).uncommitted(1).build();
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.BIG_ENDIAN);
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int i = 0; i < 3000; i++) {
            byte[] m = i % 3 == 0 ? Corrupt.truncate(shm, r.nextInt(shm.length + 1))
                    : Corrupt.xor(shm, i < 1500 ? i % 200 : r.nextInt(shm.length), 1 + r.nextInt(255));
            WalIndex idx = WalIndex.read(ByteSource.of(m, "s"));
            idx.checkHeader();
            long mx = idx.copyA() == null ? 3 : Integer.toUnsignedLong(idx.copyA().mxFrame());
            idx.checkHashTables(mx);
            idx.crossCheck(scan);
            for (int p = 1; p <= 3; p++) {
                idx.findFrame(p, 1, mx);
                idx.findFrameLinear(p, 1, mx);
            }
        }
    }
}
