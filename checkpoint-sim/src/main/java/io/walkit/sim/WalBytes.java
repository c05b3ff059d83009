package io.walkit.sim;

import io.walkit.wal.CheckpointInfo;
import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalFrame;
import io.walkit.wal.WalFrameHeader;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalIndexBuilder;
import io.walkit.wal.WalIndexHeader;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The file-bytes seam of the model: where the simulator turns its state into WAL frames and the
 * {@code -shm} image, always through wal-format's one encoder per structure ({@link WalFrame}
 * for frames and the running checksum, {@link WalIndexHeader#encodeRegionHeader} for the header
 * copies and checkpoint info, {@link WalIndexBuilder#append} for aPgno and the hash tables; the
 * WAL header is {@code WalHeader.encode}). The protocol classes ({@link SimWriter},
 * {@link Checkpointer}) decide what to write and when; this class only assembles the calls.
 *
 * <p>Stateless; thread-safe.
 */
final class WalBytes {

    /**
     * One encoded frame and the running checksum after it.
     *
     * @param bytes    header and page image ({@code WalFormat.frameSize(pageSize)} bytes)
     * @param checksum the cumulative checksum after this frame (SQLite: {@code aFrameCksum})
     */
    record Frame(byte[] bytes, long checksum) {}

    private static final java.lang.foreign.ValueLayout.OfInt BE_INT =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private WalBytes() {}

    /**
     * walEncodeFrame: frame header (page number, database size or 0, salts, cumulative checksum
     * over the header's first 8 bytes and the page) followed by the page image (wal-format's
     * {@link WalFrame#encode}).
     */
    static Frame frame(int pageSize, int pageNumber, int commitSize, int salt1, int salt2, byte[] page,
                       boolean bigEndian, long checksum) {
        byte[] frameBytes = new byte[WalFormat.frameSize(pageSize)];
        long next = WalFrame.encode(frameBytes, 0, pageNumber, commitSize, salt1, salt2, page, bigEndian, checksum);
        return new Frame(frameBytes, next);
    }

    /**
     * walEncodeFrame after an in-place overwrite ({@code iReCksum != 0}): page number and database
     * size only; salts and checksum stay zero until walRewriteChecksums.
     */
    static byte[] unsaltedFrame(int pageSize, int pageNumber, int commitSize, byte[] page) {
        byte[] frameBytes = new byte[WalFormat.frameSize(pageSize)];
        new WalFrameHeader(pageNumber, commitSize, 0, 0, 0, 0).encodeTo(MemorySegment.ofArray(frameBytes), 0);
        System.arraycopy(page, 0, frameBytes, WalFormat.FRAME_HEADER_SIZE, pageSize);
        return frameBytes;
    }

    /** The page image of frame {@code frameNumber} as the WAL file holds it now. */
    static byte[] framePage(SimFile wal, int frameNumber, int pageSize) {
        return wal.read(WalFormat.frameOffset(frameNumber, pageSize) + WalFormat.FRAME_HEADER_SIZE, pageSize);
    }

    /**
     * walRewriteChecksums: from frame {@code from} to {@code last}, re-encodes each frame header in
     * {@code wal} (its salts and the cumulative checksum over its page as it is now in the file),
     * seeded with the stored checksum of the frame before (the WAL header's for frame 1).
     * Returns the final checksum.
     */
    static long rewriteChecksums(SimFile wal, int pageSize, int from, int last, int salt1, int salt2,
                                 boolean bigEndian) {
        long seedOff = from == 1 ? WalFormat.HEADER_SIZE - 8 : WalFormat.frameOffset(from - 1, pageSize) + 16;
        MemorySegment seed = MemorySegment.ofArray(wal.read(seedOff, 8));
        long checksum = WalChecksum.pack(seed.get(BE_INT, 0), seed.get(BE_INT, 4));
        for (int f = from; f <= last; f++) {
            long off = WalFormat.frameOffset(f, pageSize);
            byte[] frameBytes = wal.read(off, WalFormat.frameSize(pageSize));
            MemorySegment frame = MemorySegment.ofArray(frameBytes);
            WalFrameHeader old = WalFrameHeader.read(frame, 0);
            checksum = WalFrame.encodeHeader(frame, 0, pageSize, old.pageNumber(), old.commitSize(), salt1, salt2,
                    bigEndian, checksum);
            wal.write(off, Arrays.copyOf(frameBytes, WalFormat.FRAME_HEADER_SIZE));
        }
        return checksum;
    }

    /**
     * The {@code -shm} bytes of {@code shm} as a little-endian host's SQLite would have them: both
     * header copies (walIndexWriteHdr), the checkpoint info (nBackfill, aReadMark,
     * nBackfillAttempted; aLock and notUsed0 zero) and, in each 32 KiB region, aPgno and the hash
     * table for frames 1..{@code indexed} (walIndexAppend).
     */
    static byte[] shmImage(WalIndexState shm, int pageSize, int indexed) {
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        long regions = WalIndex.regionOf(Math.max(indexed, 1)) + 1;
        byte[] image = new byte[(int) (regions * WalFormat.SHM_REGION_SIZE)];
        WalIndexHeader.create(order, shm.iChange, shm.bigEndCksum, shm.szPageSet ? pageSize : 0, shm.mxFrame, shm.nPage,
                shm.frameChecksum, shm.salt1, shm.salt2).encodeRegionHeader(MemorySegment.ofArray(image),
                CheckpointInfo.of(shm.nBackfill, shm.readMarks.clone(), shm.nBackfillAttempted), order);
        ByteBuffer b = ByteBuffer.wrap(image).order(order);
        for (int f = 1; f <= indexed; f++) {
            WalIndexBuilder.append(b, f, shm.framePage(f));
        }
        return image;
    }
}
