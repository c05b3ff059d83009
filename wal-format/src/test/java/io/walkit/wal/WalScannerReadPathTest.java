package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scanner's read path for mapped files (positional reads into a reused buffer per thread, page
 * numbers kept while verifying) gives exactly the naive sequential scan's answer on the random damaged
 * WALs of {@link WalScannerParallelTest}: with buffers of two frames up to the default, ranges split
 * anywhere, and a transaction longer than the page numbers the scanner keeps (read again at the
 * commit). Seeds as in {@link WalScannerParallelTest} ({@code -Dwalkit.scan.seeds}).
 */
class WalScannerReadPathTest {

    @TempDir
    Path dir;

    static LongStream seeds() {
        return WalScannerParallelTest.seeds();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mappedFileReadInBuffersMatchesNaiveSequentialScan(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder script = new StringBuilder();
        byte[] wal = WalScannerParallelTest.damage(WalScannerParallelTest.randomWal(rnd, script), rnd, script);
        Path file = dir.resolve("seed-" + seed + ".db-wal");
        Files.write(file, wal);
        try (ByteSource src = ByteSource.map(file)) {
            if (wal.length <= WalFormat.HEADER_SIZE || !WalHeader.read(src.segment(), 0).status().equals(WalHeader.Status.OK)) {
                WalScanner.scan(src, 3, 1, 1, 1, 1); // the header gate's business; must not throw
                return;
            }
            assertTrue(src.readsFromFile(), "a mapped file is read with positional reads");
            WalScannerParallelTest.Expected expected = WalScannerParallelTest.reference(wal);
            int frameSize = WalFormat.frameSize(ByteBuffer.wrap(wal).getInt(8));
            for (int threads : new int[] {1, 2, 3, 7}) {
                // buffers of 2 frames (the least), an odd size, the default; block sizes that force
                // both kernels and trials across buffer ends; a pending cap of 1, 3 and the default
                for (int readBytes : new int[] {1, 5 * frameSize + 3, WalScanner.READ_BYTES}) {
                    for (int pendingCap : new int[] {1, 3, 1 << 20}) {
                        int blockBytes = pendingCap == 3 ? 3 * 1024 + 7 : pendingCap == 1 ? 1 : WalScanner.BLOCK_BYTES;
                        WalScan scan = WalScanner.scan(src, threads, 1, blockBytes, readBytes, pendingCap);
                        WalScannerParallelTest.assertSame(expected, scan, "seed " + seed + " threads " + threads
                                + " readBytes " + readBytes + " pendingCap " + pendingCap + ": " + script);
                    }
                }
            }
        }
    }

    @Test
    void heapSourceReadsCopyTheSegmentAndCheckBounds() throws IOException {
        byte[] bytes = new byte[100];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        try (ByteSource src = ByteSource.of(bytes, "heap")) {
            assertFalse(src.readsFromFile());
            ByteBuffer dst = ByteBuffer.allocateDirect(10);
            src.read(90, dst);
            assertFalse(dst.hasRemaining());
            for (int i = 0; i < 10; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(90 + i, dst.get(i));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> src.read(91, ByteBuffer.allocate(10)));
            assertThrows(IndexOutOfBoundsException.class, () -> src.read(-1, ByteBuffer.allocate(1)));
        }
    }

    @Test
    void fileThatShrankAfterMappingIsAnIoErrorNamingTheOffset() throws IOException {
        Path file = dir.resolve("shrinks.db-wal");
        Files.write(file, new byte[8192]);
        try (ByteSource src = ByteSource.map(file)) {
            assertTrue(src.readsFromFile());
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(4096);
            }
            IOException e = assertThrows(IOException.class, () -> src.read(4000, ByteBuffer.allocate(200)));
            assertTrue(e.getMessage().contains("4096 (0x1000)"), e.getMessage());
        }
    }
}
