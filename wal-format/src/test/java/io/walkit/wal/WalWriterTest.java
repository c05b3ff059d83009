package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.testkit.WalSpec;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalWriterTest {

    @Test
    void writesEveryValidPageSizeInBothOrders() {
        for (int p = 512; p <= 65536; p *= 2) {
            for (ByteOrder o : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                byte[] wal = WalSpec.pageSize(p).order(o).commit(2, 1, 2).commit(3, 3).uncommitted(1).build();
                WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
                assertEquals(WalHeader.Status.OK, scan.header().status());
                assertEquals(o == ByteOrder.BIG_ENDIAN, scan.header().bigEndianChecksum());
                assertEquals(p, scan.pageSize());
                assertEquals(3, scan.mxFrame());
                assertEquals(4, scan.lastValidFrame());
                assertEquals(1, scan.uncommittedTail());
                assertEquals(3, scan.databaseSize());
                assertEquals(2, scan.commitCount());
            }
        }
    }

    @Test
    void rejectsInvalidPageSizes() {
        for (int p : new int[] {0, 1, 256, 1000, 131072}) {
            assertThrows(IllegalArgumentException.class, () -> WalWriter.create(p, ByteOrder.LITTLE_ENDIAN, 0, 1, 2));
        }
    }

    @Test
    void commitDropsPagesAboveTheDatabaseSizeAndMarksOnlyTheLastFrame() {
        WalWriter w = WalWriter.create(512, ByteOrder.LITTLE_ENDIAN, 0, 1, 2);
        TreeMap<Integer, byte[]> pages = new TreeMap<>();
        for (int p : new int[] {5, 1, 3, 9}) {
            pages.put(p, new byte[512]);
        }
        assertEquals(3, w.commit(pages, 5));
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "w"));
        assertEquals(List.of(1, 3, 5), List.of(scan.frameHeader(1).pageNumber(), scan.frameHeader(2).pageNumber(),
                scan.frameHeader(3).pageNumber()));
        assertEquals(0, scan.frameHeader(2).commitSize());
        assertEquals(5, scan.frameHeader(3).commitSize());
    }

    @Test
    void restartFollowsWalRestartHdr() {
        WalWriter w = WalWriter.create(512, ByteOrder.LITTLE_ENDIAN, 7, 0xFFFFFFFF, 2);
        TreeMap<Integer, byte[]> pages = new TreeMap<>();
        pages.put(1, new byte[512]);
        pages.put(2, new byte[512]);
        w.commit(pages, 2);
        w.commit(pages, 2);
        long before = w.length();
        w.restart(new SplittableRandom(3));
        // The header is rewritten lazily, with the next frame.
        assertEquals(before, w.length());
        w.commit(new TreeMap<>(java.util.Map.of(1, new byte[512])), 2);
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "w"));
        assertEquals(8, scan.header().checkpointSequence());
        assertEquals(0, scan.header().salt1()); // 0xFFFFFFFF + 1 wraps as a u32
        assertEquals(new SplittableRandom(3).nextInt(), scan.header().salt2());
        assertEquals(1, scan.mxFrame());
        assertEquals(4, scan.frameCount());
        assertEquals(3, StaleFrames.find(scan).frameCount());
    }

    @Test
    void rollbackLetsTheNextCommitOverwriteTheTail() {
        byte[] wal = WalSpec.pageSize(512).commit(1, 1).uncommitted(2, 3).rollback().commit(2, 2).build();
        WalScan scan = WalScanner.scan(ByteSource.of(wal, "w"));
        assertEquals(2, scan.mxFrame());
        // Frame 3 (page 3 of the rolled-back spill) stays, chained to the overwritten frame 2: a stop at frame 3.
        assertEquals(3, scan.frameCount());
        assertEquals(StopReason.CHECKSUM_MISMATCH, scan.stopReason());
    }

    @Test
    void writesANewFileAtomicallyAndNeverReplacesOne(@TempDir Path dir) throws Exception {
        byte[] wal = WalSpec.pageSize(512).commit(1, 1).build();
        WalWriter w = WalSpec.pageSize(512).commit(1, 1).writer();
        Path target = dir.resolve("x.db-wal");
        w.writeTo(target);
        assertArrayEquals(wal, Files.readAllBytes(target));
        Files.write(target, new byte[] {1, 2, 3});
        assertThrows(FileAlreadyExistsException.class, () -> w.writeTo(target));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void truncateCutsTheImage() {
        WalWriter w = WalSpec.pageSize(512).commit(1, 1).commit(2, 2).writer();
        w.truncate(WalFormat.frameOffset(2, 512) + 10);
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "w"));
        assertEquals(1, scan.mxFrame());
        assertEquals(StopReason.PARTIAL_FRAME, scan.stopReason());
        assertFalse(scan.frameCount() > 1);
        assertTrue(w.length() < WalFormat.frameOffset(3, 512));
    }
}
