package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Corrupt;
import io.walkit.testkit.Seeds;
import io.walkit.testkit.WalSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bit-flip property for the WAL reader: for valid generated WALs, every single-byte change,
 * every truncation and random splices give exactly the valid prefix SQLite's rules predict (a
 * shorter one, or the same one when the change lies outside it), never an unchecked exception;
 * and a change inside a committed frame is always detected. The stale-frame finder and the index
 * builder run on every mutant too.
 */
class WalMutationPropertyTest {

    private static final long[] SEEDS = Seeds.get(101, 202, 303, 404, 505, 606);

    /** mxFrame SQLite recovers when frames from {@code firstBad} on are invalid: the last commit before it. */
    private static int lastCommitBefore(WalScan clean, long firstBad) {
        int mx = 0;
        for (Commit c : clean.commits()) {
            if (c.lastFrame() < firstBad) {
                mx = c.lastFrame();
            }
        }
        return mx;
    }

    private static WalScan scanChecked(byte[] mutant, String ctx) {
        try {
            WalScan scan = WalScanner.scan(ByteSource.of(mutant, "mutant"));
            StaleFrames stale = StaleFrames.find(scan);
            assertEquals(scan.pageSize() == 0 ? 0 : scan.frameCount(), scan.lastValidFrame() + (long) stale.frameCount(), ctx);
            if (scan.headerAccepted()) {
                WalIndex idx = WalIndex.read(ByteSource.of(WalIndexBuilder.recover(scan, java.nio.ByteOrder.LITTLE_ENDIAN), "s"));
                assertTrue(idx.headerUsable(), ctx);
            }
            return scan;
        } catch (RuntimeException e) {
            throw new AssertionError("unchecked exception for " + ctx, e);
        }
    }

    @Test
    void everySingleByteChangeGivesThePredictedPrefix() {
        for (long seed : SEEDS) {
            SplittableRandom r = new SplittableRandom(seed);
            WalSpec spec = WalSpec.random(r, 512, 6, 5, true);
            byte[] wal = spec.build();
            WalScan clean = WalScanner.scan(ByteSource.of(wal, "clean"));
            int pageSize = clean.pageSize();
            for (int off = 0; off < wal.length; off++) {
                int mask = 1 + r.nextInt(255);
                byte[] mutant = Corrupt.xor(wal, off, mask);
                String ctx = "seed " + seed + ", xor 0x" + Integer.toHexString(mask) + " at offset " + off + ": " + spec;
                WalScan scan = scanChecked(mutant, ctx);
                int expected;
                if (off < WalFormat.HEADER_SIZE) {
                    expected = 0;
                } else {
                    long frame = (off - WalFormat.HEADER_SIZE) / WalFormat.frameSize(pageSize) + 1;
                    expected = frame <= clean.lastValidFrame() ? lastCommitBefore(clean, frame) : clean.mxFrame();
                    if (frame <= clean.mxFrame() && scan.mxFrame() >= frame) {
                        fail("undetected change inside committed frame " + frame + " for " + ctx);
                    }
                }
                if (scan.mxFrame() != expected) {
                    fail("expected mxFrame " + expected + " but got " + scan.mxFrame() + " for " + ctx
                            + safeShrink(wal, off, mask));
                }
            }
        }
    }

    private static String safeShrink(byte[] wal, int off, int mask) {
        try {
            return shrink(wal, off, mask);
        } catch (RuntimeException e) {
            return "; shrinking failed: " + e;
        }
    }

    /**
     * Shrinks a failing flip: the shortest frame-aligned prefix of the WAL that, with the same
     * change, still disagrees with the prediction made from the same prefix of the clean WAL.
     */
    private static String shrink(byte[] wal, int off, int mask) {
        int frameSize = WalFormat.frameSize(WalScanner.scan(ByteSource.of(wal, "w")).pageSize());
        for (long len = Math.max(WalFormat.HEADER_SIZE + 1, off + 1); len <= wal.length; len++) {
            boolean aligned = len == wal.length || (len - WalFormat.HEADER_SIZE) % frameSize == 0;
            if (!aligned || len <= off) {
                continue;
            }
            byte[] prefix = Corrupt.truncate(wal, len);
            WalScan clean = WalScanner.scan(ByteSource.of(prefix, "clean"));
            WalScan bad = WalScanner.scan(ByteSource.of(Corrupt.xor(prefix, off, mask), "bad"));
            long frame = off < WalFormat.HEADER_SIZE ? 0 : (off - WalFormat.HEADER_SIZE) / frameSize + 1;
            int expected = frame == 0 ? 0 : frame <= clean.lastValidFrame() ? lastCommitBefore(clean, frame) : clean.mxFrame();
            if (bad.mxFrame() != expected) {
                return "; shrunk: the first " + len + " bytes (" + (len - WalFormat.HEADER_SIZE) / frameSize
                        + " frames) with the same change give mxFrame " + bad.mxFrame() + ", expected " + expected
                        + "; damaged frame header: " + java.util.HexFormat.of().formatHex(
                        Corrupt.truncate(Corrupt.xor(prefix, off, mask), len), (int) Math.max(0, WalFormat.frameOffset(Math.max(frame, 1), frameSize - WalFormat.FRAME_HEADER_SIZE)),
                        (int) Math.min(len, WalFormat.frameOffset(Math.max(frame, 1), frameSize - WalFormat.FRAME_HEADER_SIZE) + WalFormat.FRAME_HEADER_SIZE));
            }
        }
        return "; no smaller prefix reproduces it";
    }

    @Test
    void everyTruncationKeepsTheCommitsThatFitCompletely() {
        for (long seed : SEEDS) {
            WalSpec spec = WalSpec.random(new SplittableRandom(seed), 1024, 5, 4, true);
            byte[] wal = spec.build();
            WalScan clean = WalScanner.scan(ByteSource.of(wal, "clean"));
            for (int len = 0; len <= wal.length; len++) {
                String ctx = "seed " + seed + ", truncated to " + len + ": " + spec;
                WalScan scan = scanChecked(Corrupt.truncate(wal, len), ctx);
                long whole = len <= WalFormat.HEADER_SIZE ? 0 : (len - WalFormat.HEADER_SIZE) / WalFormat.frameSize(1024);
                int expected = len <= WalFormat.HEADER_SIZE ? 0
                        : whole >= clean.lastValidFrame() ? clean.mxFrame() : lastCommitBefore(clean, whole + 1);
                assertEquals(expected, scan.mxFrame(), ctx);
            }
        }
    }

    @Test
    void splicesNeverExtendTheValidPrefixBeyondEitherSource() {
        for (long seed : SEEDS) {
            SplittableRandom r = new SplittableRandom(seed);
            WalSpec sa = WalSpec.random(r, 512, 5, 5, true);
            WalSpec sb = WalSpec.random(r, 512, 5, 5, true);
            byte[] a = sa.build();
            byte[] b = sb.build();
            WalScan ca = WalScanner.scan(ByteSource.of(a, "a"));
            for (int i = 0; i < 200; i++) {
                int cut = r.nextInt(a.length + 1);
                int from = r.nextInt(b.length + 1);
                byte[] mutant = Corrupt.splice(a, cut, b, from);
                String ctx = "seed " + seed + ", a[0," + cut + ") + b[" + from + ",end): a=" + sa + " b=" + sb;
                WalScan scan = scanChecked(mutant, ctx);
                if (cut >= WalFormat.HEADER_SIZE) {
                    // The header is a's; b's frames carry other salts (or fail the chain), so the prefix is a's, cut.
                    long whole = (cut - WalFormat.HEADER_SIZE) / WalFormat.frameSize(512);
                    int bound = whole >= ca.lastValidFrame() ? ca.mxFrame() : lastCommitBefore(ca, whole + 1);
                    assertTrue(scan.mxFrame() <= bound, ctx + ": " + scan.mxFrame() + " > " + bound);
                }
            }
        }
    }
}
