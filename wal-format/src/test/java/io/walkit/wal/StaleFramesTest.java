package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Corrupt;
import io.walkit.testkit.Seeds;
import io.walkit.testkit.WalSpec;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StaleFramesTest {

    private static StaleFrames stale(byte[] wal) {
        return StaleFrames.find(WalScanner.scan(ByteSource.of(wal, "test-wal")));
    }

    @Test
    void cleanWalHasNoStaleFrames() {
        byte[] wal = WalSpec.pageSize(512).commit(2, 1, 2).commit(3, 3).build();
        StaleFrames s = stale(wal);
        assertEquals(0, s.frameCount());
        assertTrue(s.groups().isEmpty());
    }

    @Test
    void groupsOlderGenerationAfterRestartAndVerifiesItsChainInBothOrders() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            // Generation 1: 6 frames. Restart. Generation 2: 2 frames overwrite frames 1..2.
            byte[] wal = WalSpec.pageSize(1024).order(order).salts(100, 200)
                    .commit(2, 1, 2).commit(4, 3, 4).commit(4, 1, 4)
                    .restart(0xCAFE).commit(4, 2, 3).build();
            WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
            assertEquals(2, scan.mxFrame());
            assertEquals(StopReason.SALT_MISMATCH, scan.stopReason());
            StaleFrames s = StaleFrames.find(scan);
            assertEquals(4, s.frameCount());
            assertEquals(1, s.groups().size());
            StaleGroup g = s.groups().getFirst();
            assertEquals(StaleGroup.Kind.OTHER_SALTS, g.kind());
            assertEquals(100, g.salt1());
            assertEquals(200, g.salt2());
            assertEquals(3, g.firstFrame());
            assertEquals(6, g.lastFrame());
            // Frame 3's predecessor (frame 2) was overwritten by generation 2: unseeded.
            assertEquals(StaleFrames.ChainStatus.UNSEEDED, g.frame(0).chain());
            for (int i = 1; i < 4; i++) {
                assertEquals(StaleFrames.ChainStatus.VALID, g.frame(i).chain(), "frame " + g.frame(i).frameNumber());
                assertEquals(order, g.frame(i).wordOrder());
            }
            assertEquals(order, g.wordOrder());
            assertEquals(2, g.commitFrameCount());
            assertEquals(List.of(3, 4, 1, 4), g.frames().stream().map(StaleGroup.Frame::pageNumber).toList());
            assertEquals(List.of(0, 4, 0, 4), g.frames().stream().map(StaleGroup.Frame::commitSize).toList());
            assertEquals(WalFormat.frameOffset(3, 1024), g.frame(0).offset());
        }
    }

    @Test
    void damagedStaleFrameIsAMismatchAndBreaksOnlyItsOwnLink() {
        byte[] wal = WalSpec.pageSize(512).salts(5, 6).commit(1, 1).commit(2, 2).commit(3, 3).commit(4, 4)
                .restart(77).commit(4, 1).build();
        // Damage the page image of stale frame 3.
        wal = Corrupt.flip(wal, WalFormat.frameOffset(3, 512) + WalFormat.FRAME_HEADER_SIZE + 100);
        StaleGroup g = stale(wal).groups().getFirst();
        assertEquals(List.of(StaleFrames.ChainStatus.UNSEEDED, StaleFrames.ChainStatus.MISMATCH,
                StaleFrames.ChainStatus.VALID), g.frames().stream().map(StaleGroup.Frame::chain).toList());
    }

    @Test
    void currentSaltsAfterAChecksumFailureAreGroupedAsCurrent() {
        byte[] wal = WalSpec.pageSize(512).salts(9, 9).commit(1, 1).commit(2, 2).commit(3, 3).build();
        wal = Corrupt.flip(wal, WalFormat.frameOffset(2, 512) + 30);
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
        assertEquals(1, scan.mxFrame());
        StaleFrames s = StaleFrames.find(scan);
        assertEquals(2, s.frameCount());
        StaleGroup g = s.groups().getFirst();
        assertEquals(StaleGroup.Kind.CURRENT_SALTS, g.kind());
        // Frame 2 is checked against frame 1's stored checksum and fails; frame 3 re-seeds from frame 2's stored one.
        assertEquals(StaleFrames.ChainStatus.MISMATCH, g.frame(0).chain());
        assertEquals(StaleFrames.ChainStatus.VALID, g.frame(1).chain());
    }

    @Test
    void aFrameWithDamagedSaltsStillChainsOntoItsNeighbours() {
        byte[] wal = WalSpec.pageSize(512).bigEndian().salts(40, 50).commit(1, 1).commit(2, 2).commit(3, 3).build();
        wal = Corrupt.frameSalts(wal, 512, 2, 0, 50);
        StaleFrames s = stale(wal);
        assertEquals(2, s.groups().size());
        StaleGroup damaged = s.groups().get(0);
        assertEquals(StaleGroup.Kind.OTHER_SALTS, damaged.kind());
        assertEquals(StaleFrames.ChainStatus.VALID_AFTER_SALT_CHANGE, damaged.frame(0).chain());
        assertEquals(ByteOrder.BIG_ENDIAN, damaged.frame(0).wordOrder());
        StaleGroup after = s.groups().get(1);
        assertEquals(StaleGroup.Kind.CURRENT_SALTS, after.kind());
        assertEquals(StaleFrames.ChainStatus.VALID_AFTER_SALT_CHANGE, after.frame(0).chain());
    }

    @Test
    void zeroSaltFramesOfACrashedOverwriteAreLabelled() {
        byte[] wal = WalSpec.pageSize(512).commit(2, 1, 2).uncommitted(1, 2).uncommitted(3).build();
        wal = Corrupt.zeroSaltsAndChecksums(wal, 512, 3, 5);
        StaleFrames s = stale(wal);
        assertEquals(3, s.frameCount());
        StaleGroup g = s.groups().getFirst();
        assertEquals(StaleGroup.Kind.ZERO_SALTS, g.kind());
        assertEquals(3, g.count(StaleFrames.ChainStatus.NOT_CHECKSUMMED));
        assertNull(g.wordOrder());
        assertEquals(3, s.frameCount(StaleGroup.Kind.ZERO_SALTS));
    }

    @Test
    void badHeaderChecksumLeavesAllFramesAsCurrentSaltsSeededFromTheStoredHeaderChecksum() {
        byte[] wal = WalSpec.pageSize(512).bigEndian().commit(1, 1).commit(2, 2).build();
        wal = Corrupt.flip(wal, WalFormat.OFF_CHECKPOINT_SEQUENCE);
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
        assertEquals(StopReason.BAD_HEADER_CHECKSUM, scan.stopReason());
        StaleFrames s = StaleFrames.find(scan);
        StaleGroup g = s.groups().getFirst();
        assertEquals(2, g.frameCount());
        // The header checksum was computed over the undamaged header, so the chain still verifies.
        assertEquals(2, g.count(StaleFrames.ChainStatus.VALID));
        assertEquals(ByteOrder.BIG_ENDIAN, g.wordOrder());
    }

    @Test
    void everyFrameIsEitherInTheValidPrefixOrStale() {
        for (long seed : Seeds.get(1, 2, 3, 4, 5, 6, 7, 8)) {
            SplittableRandom r = new SplittableRandom(seed);
            WalSpec spec = WalSpec.random(r, 512, 12, 6, true);
            WalScan scan = WalScanner.scan(ByteSource.of(spec.build(), "w"));
            StaleFrames s = StaleFrames.find(scan);
            assertEquals(scan.frameCount(), scan.lastValidFrame() + s.frameCount(), "seed " + seed + ": " + spec);
            int sum = s.groups().stream().mapToInt(StaleGroup::frameCount).sum();
            assertEquals(s.frameCount(), sum);
            for (StaleGroup g : s.groups()) {
                // Generated generations are undamaged: no link can mismatch.
                assertEquals(0, g.count(StaleFrames.ChainStatus.MISMATCH), "seed " + seed + ": " + spec);
            }
        }
    }
}
