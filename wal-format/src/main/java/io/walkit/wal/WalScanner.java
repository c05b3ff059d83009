package io.walkit.wal;

import io.walkit.io.ByteSource;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Finds the valid prefix of a WAL exactly as SQLite's recovery ({@code walIndexRecover},
 * {@code walDecodeFrame}) decides it, verifying every frame's cumulative checksum.
 *
 * <p>Algorithm: apply the header gate (size &gt; 32, magic, page size, header checksum, version);
 * then for frames 1, 2, ...: stop at the first frame whose salts differ from the header's, whose
 * page number is 0, or whose checksum (seeded by the previous frame's computed checksum, or the
 * header's) differs from the stored one. Every commit frame (commit size ≠ 0) inside that prefix
 * moves {@code mxFrame}. A damaged file is never an exception here: it is a shorter prefix and a
 * {@link StopReason}.
 *
 * <p>Bounds: time is linear in the file size (each byte is read once for the checksum, and each
 * committed frame header once more for the index); heap is proportional to the number of commits
 * plus distinct pages.
 */
public final class WalScanner {

    private WalScanner() {}

    /** Scans {@code source}. */
    public static WalScan scan(ByteSource source) {
        long size = source.size();
        if (size == 0) {
            return headerStop(source, null, StopReason.EMPTY_FILE, 0, 0);
        }
        if (size < WalFormat.HEADER_SIZE) {
            return headerStop(source, null, StopReason.SHORT_HEADER, 0, 0);
        }
        MemorySegment s = source.segment();
        WalHeader header = WalHeader.read(s, 0);
        if (size == WalFormat.HEADER_SIZE) {
            return headerStop(source, header, StopReason.HEADER_ONLY, size, 0);
        }
        switch (header.status()) {
            case BAD_MAGIC -> { return headerStop(source, header, StopReason.BAD_MAGIC, WalFormat.OFF_MAGIC, 0); }
            case BAD_PAGE_SIZE -> { return headerStop(source, header, StopReason.BAD_PAGE_SIZE, WalFormat.OFF_PAGE_SIZE, 0); }
            case BAD_CHECKSUM -> {
                return headerStop(source, header, StopReason.BAD_HEADER_CHECKSUM, WalFormat.OFF_CHECKSUM1,
                        WalFormat.wholeFrames(size, header.pageSize()));
            }
            case UNSUPPORTED_VERSION -> {
                return headerStop(source, header, StopReason.UNSUPPORTED_VERSION, WalFormat.OFF_FORMAT_VERSION,
                        WalFormat.wholeFrames(size, header.pageSize()));
            }
            case OK -> { }
        }

        int pageSize = header.pageSize();
        int frameSize = WalFormat.frameSize(pageSize);
        long frameCount = WalFormat.wholeFrames(size, pageSize);
        // Frame numbers are u32 in SQLite; a WAL with more than 2^31-1 frames would be > 1 TiB.
        int scanLimit = (int) Math.min(frameCount, Integer.MAX_VALUE);
        boolean bigEndian = header.bigEndianChecksum();
        int salt1 = header.salt1();
        int salt2 = header.salt2();

        long checksum = header.storedChecksum();
        long lastCommitChecksum = 0;
        int[] commitFrames = new int[16];
        int[] commitSizes = new int[16];
        int commitCount = 0;
        Int2IntOpenHashMap index = new Int2IntOpenHashMap();
        int indexedThrough = 0;

        StopReason reason = null;
        int stopFrame = 0;
        int frame = 1;
        long offset = WalFormat.HEADER_SIZE;
        for (; frame <= scanLimit; frame++, offset += frameSize) {
            if (s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT1) != salt1
                    || s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT2) != salt2) {
                reason = StopReason.SALT_MISMATCH;
                break;
            }
            int pageNumber = s.get(ByteSource.INT_BE, offset);
            if (pageNumber == 0) {
                reason = StopReason.ZERO_PAGE_NUMBER;
                break;
            }
            long computed = WalChecksum.frame(s, offset, pageSize, bigEndian, checksum);
            if (s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_CHECKSUM1) != WalChecksum.first(computed)
                    || s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_CHECKSUM2) != WalChecksum.second(computed)) {
                reason = StopReason.CHECKSUM_MISMATCH;
                break;
            }
            checksum = computed;
            int commitSize = s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_COMMIT_SIZE);
            if (commitSize != 0) {
                if (commitCount == commitFrames.length) {
                    commitFrames = Arrays.copyOf(commitFrames, commitCount * 2);
                    commitSizes = Arrays.copyOf(commitSizes, commitCount * 2);
                }
                commitFrames[commitCount] = frame;
                commitSizes[commitCount] = commitSize;
                commitCount++;
                lastCommitChecksum = computed;
                // Index the transaction now that it is committed; its frame headers are re-read from
                // the mapping, so no per-frame state is kept while scanning.
                for (int f = indexedThrough + 1; f <= frame; f++) {
                    index.put(s.get(ByteSource.INT_BE, WalFormat.frameOffset(f, pageSize)), f);
                }
                indexedThrough = frame;
            }
        }
        long stopOffset;
        if (reason != null) {
            stopFrame = frame;
            stopOffset = offset;
        } else {
            stopOffset = WalFormat.frameOffset(frameCount + 1, pageSize);
            reason = stopOffset < size ? StopReason.PARTIAL_FRAME : StopReason.END_OF_FILE;
            if (reason == StopReason.END_OF_FILE) {
                stopOffset = size;
            }
        }
        int lastValid = frame - 1;
        return new WalScan(source, header, reason, stopOffset, stopFrame, frameCount, lastValid,
                commitFrames, commitSizes, commitCount, lastCommitChecksum, checksum,
                new PageIndex(index, indexedThrough));
    }

    private static WalScan headerStop(ByteSource source, WalHeader header, StopReason reason, long offset,
                                      long frameCount) {
        long seed = header == null ? 0 : header.storedChecksum();
        return new WalScan(source, header, reason, offset, 0, frameCount, 0, new int[0], new int[0], 0, 0, seed,
                new PageIndex(new Int2IntOpenHashMap(), 0));
    }
}
