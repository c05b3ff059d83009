package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Corrupt;
import io.walkit.testkit.Seeds;
import io.walkit.testkit.WalSpec;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One chain rule: the scanner's bulk path (two frames in flight, several threads, tiny blocks so
 * both kernels and range stitching run) and the per-frame {@link WalChain} walker find the same
 * valid prefix, commits, running checksums and stop reason on generated WALs with random damage
 * (byte changes, salt rewrites, zero page numbers, truncations). A failure prints the seed and the
 * mutation shrunk to the shortest frame-aligned prefix that still disagrees.
 */
class WalChainPropertyTest {

    private static final long[] SEEDS = Seeds.get(7, 8, 9, 10, 11);

    private static String disagreement(byte[] wal) {
        ByteSource src = ByteSource.of(wal, "mutant");
        WalScan scan = WalScanner.scan(src, 3, 1, 2048);
        if (!scan.headerAccepted()) {
            return null; // the chain starts after an accepted header
        }
        WalChain chain = WalChain.fromHeader(MemorySegment.ofArray(wal), wal.length, scan.header());
        chain.walk();
        StopReason expectedStop = chain.stop() == StopReason.END_OF_FILE
                ? (WalFormat.frameOffset(scan.frameCount() + 1, scan.pageSize()) < wal.length ? StopReason.PARTIAL_FRAME
                : StopReason.END_OF_FILE) : chain.stop();
        if (chain.frame() != scan.lastValidFrame() || chain.lastCommitFrame() != scan.mxFrame()
                || chain.checksum() != scan.lastValidChecksum()
                || (scan.mxFrame() > 0 && chain.lastCommitChecksum() != scan.lastCommitChecksum())
                || (scan.mxFrame() > 0 && chain.lastCommitSize() != scan.databaseSize())
                || expectedStop != scan.stopReason()) {
            return "scanner: valid " + scan.lastValidFrame() + ", mxFrame " + scan.mxFrame() + ", stop "
                    + scan.stopReason() + "; chain: valid " + chain.frame() + ", mxFrame " + chain.lastCommitFrame()
                    + ", stop " + expectedStop;
        }
        return null;
    }

    private static byte[] mutate(byte[] wal, int pageSize, SplittableRandom r) {
        int frames = (int) WalFormat.wholeFrames(wal.length, pageSize);
        int frame = 1 + r.nextInt(Math.max(1, frames));
        long off = WalFormat.frameOffset(frame, pageSize);
        return switch (r.nextInt(4)) {
            case 0 -> Corrupt.xor(wal, WalFormat.HEADER_SIZE + r.nextInt(wal.length - WalFormat.HEADER_SIZE), 1 + r.nextInt(255));
            case 1 -> Corrupt.frameSalts(wal, pageSize, frame, r.nextInt(), r.nextInt());
            case 2 -> Corrupt.putIntBE(wal, off + WalFormat.FRAME_OFF_PAGE_NUMBER, 0);
            default -> Corrupt.truncate(wal, WalFormat.HEADER_SIZE + r.nextInt(wal.length - WalFormat.HEADER_SIZE));
        };
    }

    @Test
    void scannerAndWalkerFindTheSamePrefix() {
        for (long seed : SEEDS) {
            SplittableRandom r = new SplittableRandom(seed);
            int pageSize = 512 << r.nextInt(3);
            WalSpec spec = WalSpec.random(r, pageSize, 8, 6, true);
            byte[] wal = spec.build();
            for (int i = 0; i < 150; i++) {
                byte[] mutant = mutate(wal, pageSize, r);
                if (i % 3 == 0) {
                    mutant = mutate(mutant, pageSize, r);
                }
                String problem = disagreement(mutant);
                if (problem != null) {
                    fail("seed " + seed + " mutant " + i + ": " + problem + "; " + spec + shrink(mutant, pageSize));
                }
            }
        }
    }

    private static String shrink(byte[] mutant, int pageSize) {
        for (long frames = 0; WalFormat.frameOffset(frames + 1, pageSize) <= mutant.length; frames++) {
            byte[] prefix = Corrupt.truncate(mutant, WalFormat.frameOffset(frames + 1, pageSize));
            String p = disagreement(prefix);
            if (p != null) {
                return "; shrunk to the first " + frames + " frames: " + p;
            }
        }
        return "; no shorter prefix disagrees";
    }
}
