package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Seeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimised scanner (two frames per loop, ranges on several threads) gives exactly the answer of
 * a naive sequential transcription of {@code walIndexRecover} on random WALs with random damage:
 * bit flips, foreign salts, zero page numbers, truncation, uncommitted tails and transactions that
 * span range boundaries. Seeds: {@code -Dwalkit.scan.seeds=1,2,3} overrides the fixed set.
 */
class WalScannerParallelTest {

    static LongStream seeds() {
        String prop = System.getProperty("walkit.scan.seeds");
        if (prop != null) {
            return Arrays.stream(prop.split(",")).mapToLong(x -> Long.parseLong(x.trim()));
        }
        return LongStream.rangeClosed(1, 150);
    }

    /** What the scan must report; built by the naive reference scanner. */
    record Expected(StopReason reason, long stopOffset, int stopFrame, int lastValid, List<Integer> commitFrames,
                    List<Integer> commitSizes, long lastCommitChecksum, long lastValidChecksum,
                    Map<Integer, Integer> index) {}

    /** A random WAL, valid through all its frames before {@link #damage} is applied. */
    static byte[] randomWal(SplittableRandom rnd, StringBuilder script) {
        int pageSize = 512 << rnd.nextInt(0, 3);
        boolean be = rnd.nextBoolean();
        int frames = rnd.nextInt(0, 120);
        int distinct = 1 + rnd.nextInt(0, 40);
        // page numbers: small, or anywhere in the u32 range (beyond the scanner's dense array,
        // and ≥ 2^31, i.e. negative as a Java int)
        int[] pool = new int[distinct];
        boolean huge = rnd.nextInt(3) == 0;
        for (int i = 0; i < distinct; i++) {
            pool[i] = huge && rnd.nextBoolean() ? (rnd.nextInt() | 0x0010_0000) : 1 + i;
        }
        int salt1 = rnd.nextInt();
        int salt2 = rnd.nextInt();
        WalHeader h = WalHeader.create(be, pageSize, 0, salt1, salt2);
        int frameSize = WalFormat.frameSize(pageSize);
        byte[] wal = new byte[WalFormat.HEADER_SIZE + frames * frameSize];
        System.arraycopy(h.encode(), 0, wal, 0, WalFormat.HEADER_SIZE);
        ByteBuffer b = ByteBuffer.wrap(wal).order(ByteOrder.BIG_ENDIAN);
        long sum = h.storedChecksum();
        // long transactions too, so that they cross range boundaries
        int txLeft = 1 + rnd.nextInt(0, rnd.nextBoolean() ? 4 : 40);
        script.append(huge ? "huge page numbers; " : "").append("pageSize=").append(pageSize).append(be ? " BE" : " LE").append(" frames=").append(frames);
        for (int f = 1; f <= frames; f++) {
            int off = WalFormat.HEADER_SIZE + (f - 1) * frameSize;
            byte[] page = new byte[pageSize];
            rnd.nextBytes(page);
            System.arraycopy(page, 0, wal, off + 24, pageSize);
            int pgno = pool[rnd.nextInt(0, distinct)];
            boolean commit = --txLeft == 0;
            if (commit) {
                txLeft = 1 + rnd.nextInt(0, rnd.nextBoolean() ? 4 : 40);
            }
            b.putInt(off, pgno).putInt(off + 4, commit ? Math.max(pgno, distinct) : 0).putInt(off + 8, salt1)
                    .putInt(off + 12, salt2);
            sum = ChecksumReference.packed(wal, off, 8, be, sum);
            sum = ChecksumReference.packed(wal, off + 24, pageSize, be, sum);
            b.putInt(off + 16, (int) (sum >>> 32)).putInt(off + 20, (int) sum);
        }
        return wal;
    }

    /** Applies 0..3 random kinds of damage and returns the (possibly truncated) file. */
    static byte[] damage(byte[] wal, SplittableRandom rnd, StringBuilder script) {
        int n = rnd.nextInt(0, 4);
        for (int i = 0; i < n && wal.length > WalFormat.HEADER_SIZE; i++) {
            int at = rnd.nextInt(WalFormat.HEADER_SIZE, wal.length);
            switch (rnd.nextInt(0, 5)) {
                case 0 -> {
                    wal[at] ^= (byte) (1 << rnd.nextInt(0, 8));
                    script.append("; flip bit at ").append(at);
                }
                case 1 -> {
                    wal = Arrays.copyOf(wal, at);
                    script.append("; truncate to ").append(at);
                }
                case 2, 3 -> {
                    int ps = ByteBuffer.wrap(wal).getInt(8);
                    if (!WalFormat.isValidPageSize(Integer.toUnsignedLong(ps))) {
                        continue;
                    }
                    int frameSize = WalFormat.frameSize(ps);
                    int frame = (at - WalFormat.HEADER_SIZE) / frameSize;
                    int field = rnd.nextBoolean() ? 8 : 0; // salt-1 or page number
                    int pos = WalFormat.HEADER_SIZE + frame * frameSize + field;
                    if (pos + 4 <= wal.length) {
                        ByteBuffer.wrap(wal).putInt(pos, field == 0 ? 0 : rnd.nextInt());
                        script.append("; frame ").append(frame + 1).append(field == 0 ? " page number 0" : " foreign salt");
                    }
                }
                default -> {
                    if (wal.length > 40) {
                        wal[rnd.nextInt(0, 32)] ^= 1; // header damage
                        script.append("; damage header");
                    }
                }
            }
        }
        return wal;
    }

    /** Naive sequential scan: SQLite's recovery loop, written for clarity, not speed. */
    static Expected reference(byte[] wal) {
        ByteBuffer b = ByteBuffer.wrap(wal).order(ByteOrder.BIG_ENDIAN);
        WalHeader h = WalHeader.read(java.lang.foreign.MemorySegment.ofArray(wal), 0);
        int pageSize = h.pageSize();
        int frameSize = WalFormat.frameSize(pageSize);
        long frames = WalFormat.wholeFrames(wal.length, pageSize);
        long sum = h.storedChecksum();
        List<Integer> commitFrames = new ArrayList<>();
        List<Integer> commitSizes = new ArrayList<>();
        Map<Integer, Integer> committed = new HashMap<>();
        Map<Integer, Integer> pending = new HashMap<>();
        long lastCommitSum = 0;
        StopReason reason = null;
        int f = 1;
        for (; f <= frames; f++) {
            int off = WalFormat.HEADER_SIZE + (f - 1) * frameSize;
            if (b.getInt(off + 8) != h.salt1() || b.getInt(off + 12) != h.salt2()) {
                reason = StopReason.SALT_MISMATCH;
                break;
            }
            if (b.getInt(off) == 0) {
                reason = StopReason.ZERO_PAGE_NUMBER;
                break;
            }
            long c = ChecksumReference.packed(wal, off, 8, h.bigEndianChecksum(), sum);
            c = ChecksumReference.packed(wal, off + 24, pageSize, h.bigEndianChecksum(), c);
            if (c != WalChecksum.pack(b.getInt(off + 16), b.getInt(off + 20))) {
                reason = StopReason.CHECKSUM_MISMATCH;
                break;
            }
            sum = c;
            pending.put(b.getInt(off), f);
            if (b.getInt(off + 4) != 0) {
                commitFrames.add(f);
                commitSizes.add(b.getInt(off + 4));
                committed.putAll(pending);
                pending.clear();
                lastCommitSum = c;
            }
        }
        long stopOffset;
        int stopFrame = 0;
        if (reason != null) {
            stopFrame = f;
            stopOffset = WalFormat.frameOffset(f, pageSize);
        } else {
            stopOffset = WalFormat.frameOffset(frames + 1, pageSize);
            reason = stopOffset < wal.length ? StopReason.PARTIAL_FRAME : StopReason.END_OF_FILE;
            if (reason == StopReason.END_OF_FILE) {
                stopOffset = wal.length;
            }
        }
        return new Expected(reason, stopOffset, stopFrame, f - 1, commitFrames, commitSizes, lastCommitSum, sum,
                committed);
    }

    static void assertSame(Expected e, WalScan scan, String context) {
        assertEquals(e.reason(), scan.stopReason(), context);
        if (!scan.headerAccepted()) {
            return;
        }
        assertEquals(e.stopOffset(), scan.stopOffset(), context);
        assertEquals(e.stopFrame(), scan.stopFrame(), context);
        assertEquals(e.lastValid(), scan.lastValidFrame(), context);
        assertEquals(e.commitFrames().size(), scan.commitCount(), context);
        for (int i = 0; i < scan.commitCount(); i++) {
            Commit c = scan.commit(i + 1);
            assertEquals(e.commitFrames().get(i), c.lastFrame(), context);
        }
        assertEquals(e.commitSizes().isEmpty() ? 0 : e.commitSizes().getLast(), scan.databaseSize(), context);
        assertEquals(e.lastCommitChecksum(), scan.lastCommitChecksum(), context);
        assertEquals(e.lastValidChecksum(), scan.lastValidChecksum(), context);
        PageIndex index = scan.pageIndex();
        assertEquals(e.index().size(), index.pageCount(), context);
        for (var entry : e.index().entrySet()) {
            assertEquals(entry.getValue(), index.newestFrame(entry.getKey()), context + " page " + entry.getKey());
        }
        // ascending unsigned order: page numbers are u32
        int[] pages = e.index().keySet().stream().sorted(Integer::compareUnsigned).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(pages, index.pages(), context);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyThreadCountMatchesNaiveSequentialScan(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder script = new StringBuilder();
        byte[] wal = damage(randomWal(rnd, script), rnd, script);
        if (wal.length <= WalFormat.HEADER_SIZE || !WalHeader.read(
                java.lang.foreign.MemorySegment.ofArray(wal), 0).status().equals(WalHeader.Status.OK)) {
            // header problems are the header gate's business, covered elsewhere; still must not throw
            WalScanner.scan(ByteSource.of(wal, "seed-" + seed), 3, 1, 1);
            return;
        }
        Expected expected = reference(wal);
        for (int threads : new int[] {1, 2, 3, 4, 7}) {
            // tiny kernel blocks: both kernels run and the adaptive choice switches between them
            for (int blockBytes : new int[] {1, 3 * 1024 + 7, WalScanner.BLOCK_BYTES}) {
                WalScan scan = WalScanner.scan(ByteSource.of(wal, "seed-" + seed), threads, 1, blockBytes);
                assertSame(expected, scan, "seed " + seed + " threads " + threads + " block " + blockBytes + ": " + script);
            }
        }
    }

    @Test
    void largeMappedFileScansAlikeOnOneAndSeveralThreads(@TempDir Path dir) throws Exception {
        // > MIN_PARALLEL_BYTES so that the public entry point really splits the file
        SplittableRandom rnd = new SplittableRandom(42);
        StringBuilder script = new StringBuilder();
        byte[] unit = randomWal(rnd, script);
        while (WalFormat.wholeFrames(unit.length, ByteBuffer.wrap(unit).getInt(8)) < 100) {
            script.setLength(0);
            unit = randomWal(rnd, script);
        }
        // Repeat one valid WAL's frames with freshly chained checksums until it exceeds 40 MiB.
        int pageSize = ByteBuffer.wrap(unit).getInt(8);
        int frameSize = WalFormat.frameSize(pageSize);
        int unitFrames = (int) WalFormat.wholeFrames(unit.length, pageSize);
        int copies = (int) ((40L << 20) / ((long) unitFrames * frameSize)) + 1;
        byte[] wal = new byte[WalFormat.HEADER_SIZE + copies * unitFrames * frameSize];
        System.arraycopy(unit, 0, wal, 0, WalFormat.HEADER_SIZE);
        boolean be = (ByteBuffer.wrap(unit).getInt(0) & 1) != 0;
        long sum = WalHeader.read(java.lang.foreign.MemorySegment.ofArray(unit), 0).storedChecksum();
        java.lang.foreign.MemorySegment seg = java.lang.foreign.MemorySegment.ofArray(wal);
        for (int f = 0; f < copies * unitFrames; f++) {
            int off = WalFormat.HEADER_SIZE + f * frameSize;
            System.arraycopy(unit, WalFormat.HEADER_SIZE + (f % unitFrames) * frameSize, wal, off, frameSize);
            WalFrameHeader h = WalFrameHeader.read(seg, off);
            sum = WalFrame.encodeHeader(seg, off, pageSize, h.pageNumber(), h.commitSize(), h.salt1(), h.salt2(), be, sum);
        }
        // damage one frame in the second half
        int bad = copies * unitFrames * 3 / 4;
        wal[WalFormat.HEADER_SIZE + bad * frameSize + 100] ^= 4;
        Path file = dir.resolve("big.db-wal");
        Files.write(file, wal);
        Expected expected = reference(wal);
        assertEquals(StopReason.CHECKSUM_MISMATCH, expected.reason());
        try (ByteSource src = ByteSource.map(file)) {
            assertSame(expected, WalScanner.scan(src, 1), "1 thread");
            assertSame(expected, WalScanner.scan(src, 4), "4 threads");
            assertSame(expected, WalScanner.scan(src), "default");
        }
    }
}
