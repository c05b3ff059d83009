package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.testkit.Corrupt;
import io.walkit.testkit.Seeds;
import io.walkit.testkit.WalSpec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Round-trip properties of every WAL-side codec: decode→encode gives back the bytes (any bytes,
 * odd values included) and encode→decode gives back the value; the frame codec's encoder makes
 * frames its decoder accepts with the same running checksum, and each kind of damage gets its
 * verdict. Seeded; a failure prints the seed and the input shrunk to the fewest non-zero bytes
 * that still fail.
 */
class CodecRoundTripTest {

    private static final long[] SEEDS = Seeds.get(11, 22, 33, 44);
    private static final int CASES = 300;

    /**
     * Checks {@code property} on {@code CASES} random byte strings of {@code size} per seed; on a
     * failure shrinks the input (zeroing bytes while it still fails) and fails with seed and input.
     */
    private static void forAllBytes(String what, int size, Function<byte[], String> property) {
        for (long seed : SEEDS) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < CASES; i++) {
                byte[] b = new byte[size];
                r.nextBytes(b);
                String problem = property.apply(b.clone());
                if (problem != null) {
                    byte[] shrunk = shrink(b, property);
                    fail(what + ": seed " + seed + " case " + i + ": " + problem + "; shrunk counterexample "
                            + HexFormat.of().formatHex(shrunk) + ": " + property.apply(shrunk.clone()));
                }
            }
        }
    }

    private static byte[] shrink(byte[] failing, Function<byte[], String> property) {
        byte[] b = failing.clone();
        for (int i = 0; i < b.length; i++) {
            if (b[i] != 0) {
                byte keep = b[i];
                b[i] = 0;
                if (property.apply(b.clone()) == null) {
                    b[i] = keep;
                }
            }
        }
        return b;
    }

    private static String sameBytes(byte[] in, byte[] out) {
        return java.util.Arrays.equals(in, out) ? null
                : "bytes " + HexFormat.of().formatHex(in) + " re-encode as " + HexFormat.of().formatHex(out);
    }

    @Test
    void walHeaderRoundTrips() {
        forAllBytes("WalHeader", WalFormat.HEADER_SIZE, b -> {
            WalHeader h = WalHeader.read(MemorySegment.ofArray(b), 0);
            String bytes = sameBytes(b, h.encode());
            if (bytes != null) {
                return bytes;
            }
            return h.equals(WalHeader.read(MemorySegment.ofArray(h.encode()), 0)) ? null : "value " + h + " changes";
        });
    }

    @Test
    void walFrameHeaderRoundTrips() {
        forAllBytes("WalFrameHeader", WalFormat.FRAME_HEADER_SIZE, b -> {
            WalFrameHeader h = WalFrameHeader.read(b, 0);
            String bytes = sameBytes(b, h.encode());
            if (bytes != null) {
                return bytes;
            }
            return h.equals(WalFrameHeader.read(h.encode(), 0)) ? null : "value " + h + " changes";
        });
    }

    @Test
    void walIndexHeaderRoundTripsInBothByteOrders() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            forAllBytes("WalIndexHeader " + order, WalIndexHeader.SIZE, b -> {
                WalIndexHeader h = WalIndexHeader.read(MemorySegment.ofArray(b), 0, order);
                String bytes = sameBytes(b, h.encode(order));
                if (bytes != null) {
                    return bytes;
                }
                return h.equals(WalIndexHeader.read(MemorySegment.ofArray(h.encode(order)), 0, order)) ? null
                        : "value " + h + " changes";
            });
        }
    }

    @Test
    void createdWalIndexHeaderIsUsableAndItsFieldsSurvive() {
        for (long seed : SEEDS) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < CASES; i++) {
                ByteOrder order = r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                int pageSize = 512 << r.nextInt(8);
                WalIndexHeader h = WalIndexHeader.create(order, r.nextInt(), r.nextBoolean(), pageSize, r.nextInt(),
                        r.nextInt(), r.nextLong(), r.nextInt(), r.nextInt());
                WalIndexHeader back = WalIndexHeader.read(MemorySegment.ofArray(h.encode(order)), 0, order);
                String ctx = "seed " + seed + " case " + i + ": " + h;
                assertEquals(h, back, ctx);
                assertTrue(back.usable(), ctx);
                assertEquals(pageSize, back.pageSize(), ctx);
            }
        }
    }

    @Test
    void regionHeaderIsTwoCopiesThenCheckpointInfo() {
        WalIndexHeader h = WalIndexHeader.create(ByteOrder.LITTLE_ENDIAN, 7, false, 4096, 12, 9, 0x1122334455667788L, 3, 4);
        CheckpointInfo c = CheckpointInfo.of(5, new int[] {0, 12, -1, 7, -1}, 10);
        byte[] image = new byte[WalFormat.SHM_TOTAL_HEADER_SIZE];
        h.encodeRegionHeader(MemorySegment.ofArray(image), c, ByteOrder.LITTLE_ENDIAN);
        MemorySegment s = MemorySegment.ofArray(image);
        assertEquals(h, WalIndexHeader.read(s, 0, ByteOrder.LITTLE_ENDIAN));
        assertEquals(h, WalIndexHeader.read(s, WalIndexHeader.SIZE, ByteOrder.LITTLE_ENDIAN));
        assertEquals(c, CheckpointInfo.read(s, WalFormat.SHM_CKPT_INFO_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(WalFormat.SHM_TOTAL_HEADER_SIZE, WalFormat.SHM_CKPT_INFO_OFFSET + CheckpointInfo.SIZE);
    }

    @Test
    void checkpointInfoRoundTripsInBothByteOrders() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            forAllBytes("CheckpointInfo " + order, CheckpointInfo.SIZE, b -> {
                CheckpointInfo c = CheckpointInfo.read(MemorySegment.ofArray(b), 0, order);
                String bytes = sameBytes(b, c.encode(order));
                if (bytes != null) {
                    return bytes;
                }
                return c.equals(CheckpointInfo.read(MemorySegment.ofArray(c.encode(order)), 0, order)) ? null
                        : "value " + c + " changes";
            });
        }
        CheckpointInfo r = CheckpointInfo.recovered(17);
        assertEquals(0, r.nBackfill());
        assertEquals(17, r.nBackfillAttempted());
        assertArrayEquals(new int[] {0, 17, -1, -1, -1}, r.aReadMark());
        assertArrayEquals(new int[] {0, -1, -1, -1, -1}, CheckpointInfo.recovered(0).aReadMark());
    }

    /** One random frame: encode at a random offset with a random seed, then decode. */
    @Test
    void frameEncodeDecodeIdentityAndEachDamageGetsItsVerdict() {
        for (long seed : SEEDS) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < 60; i++) {
                int pageSize = 512 << r.nextInt(8);
                boolean big = r.nextBoolean();
                int pageNumber = r.nextInt() | 1;
                int commitSize = r.nextBoolean() ? 0 : r.nextInt();
                int salt1 = r.nextInt();
                int salt2 = r.nextInt();
                long previous = r.nextLong();
                byte[] page = new byte[pageSize];
                r.nextBytes(page);
                int at = 8 * r.nextInt(4);
                byte[] buf = new byte[at + WalFormat.frameSize(pageSize)];
                long sum = WalFrame.encode(MemorySegment.ofArray(buf), at, pageNumber, commitSize, salt1, salt2,
                        MemorySegment.ofArray(page), 0, pageSize, big, previous);
                String ctx = "seed " + seed + " case " + i + " pageSize " + pageSize + " big " + big;
                MemorySegment s = MemorySegment.ofArray(buf);
                WalFrame.Decoded d = WalFrame.decode(s, at, pageSize, salt1, salt2, big, previous);
                assertEquals(WalFrame.Verdict.VALID, d.verdict(), ctx);
                assertEquals(sum, d.checksum(), ctx);
                assertEquals(new WalFrameHeader(pageNumber, commitSize, salt1, salt2, WalChecksum.first(sum),
                        WalChecksum.second(sum)), d.header(), ctx);
                assertArrayEquals(page, WalFrame.pageBytes(s, at, pageSize), ctx);
                // decode → encode: the decoded fields re-encode to the same bytes
                byte[] again = new byte[buf.length];
                WalFrame.encode(MemorySegment.ofArray(again), at, d.header().pageNumber(), d.header().commitSize(),
                        d.header().salt1(), d.header().salt2(), WalFrame.page(s, at, pageSize), 0, pageSize, big, previous);
                assertArrayEquals(buf, again, ctx);
                // each damage gets its verdict, in walDecodeFrame's order
                assertEquals(WalFrame.Verdict.SALT_MISMATCH,
                        WalFrame.decode(s, at, pageSize, salt1 + 1, salt2, big, previous).verdict(), ctx);
                assertEquals(WalFrame.Verdict.CHECKSUM_MISMATCH,
                        WalFrame.decode(s, at, pageSize, salt1, salt2, big, previous + 1).verdict(), ctx);
                assertEquals(WalFrame.Verdict.CHECKSUM_MISMATCH,
                        WalFrame.decode(s, at, pageSize, salt1, salt2, !big, previous).verdict(), ctx);
                UnaryOperator<byte[]> flipPage = b -> Corrupt.xor(b, at + WalFormat.FRAME_HEADER_SIZE + r.nextInt(pageSize), 1 + r.nextInt(255));
                assertEquals(WalFrame.Verdict.CHECKSUM_MISMATCH, WalFrame.decode(MemorySegment.ofArray(flipPage.apply(buf)),
                        at, pageSize, salt1, salt2, big, previous).verdict(), ctx);
                byte[] zero = Corrupt.putIntBE(buf, at + WalFormat.FRAME_OFF_PAGE_NUMBER, 0);
                assertEquals(WalFrame.Verdict.ZERO_PAGE_NUMBER,
                        WalFrame.decode(MemorySegment.ofArray(zero), at, pageSize, salt1, salt2, big, previous).verdict(), ctx);
            }
        }
    }

    /** The writer (through WalFrame.encode) and the per-frame chain walker agree with the bulk scanner. */
    @Test
    void writerFramesChainFromTheHeader() {
        for (long seed : SEEDS) {
            WalSpec spec = WalSpec.random(new SplittableRandom(seed), 1024, 6, 6, false);
            byte[] wal = spec.build();
            WalScan scan = WalScanner.scan(io.walkit.io.ByteSource.of(wal, "w"));
            WalChain chain = WalChain.fromHeader(MemorySegment.ofArray(wal), wal.length, scan.header());
            chain.walk();
            String ctx = "seed " + seed + ": " + spec;
            assertEquals(scan.lastValidFrame(), chain.frame(), ctx);
            assertEquals(scan.mxFrame(), chain.lastCommitFrame(), ctx);
            assertEquals(scan.lastValidChecksum(), chain.checksum(), ctx);
        }
    }
}
