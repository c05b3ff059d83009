package io.walkit.sim;

import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalIndexBuilder;
import io.walkit.wal.WalIndexHeader;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The file-bytes seam of the model: the only place the simulator lays out WAL frames and the
 * {@code -shm} image (SQLite: {@code walEncodeFrame}, {@code walIndexWriteHdr},
 * {@code walIndexAppend}). The protocol classes ({@link SimWriter}, {@link Checkpointer}) decide
 * what to write and when; this class says which bytes.
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

    private WalBytes() {}

    /**
     * walEncodeFrame: frame header (page number, database size or 0, salts, cumulative checksum
     * over the header's first 8 bytes and the page) followed by the page image.
     */
    static Frame frame(int pageSize, int pageNumber, int commitSize, int salt1, int salt2, byte[] page,
                       boolean bigEndian, long checksum) {
        byte[] frameBytes = new byte[WalFormat.frameSize(pageSize)];
        ByteBuffer b = ByteBuffer.wrap(frameBytes);
        b.putInt(pageNumber).putInt(commitSize).putInt(salt1).putInt(salt2);
        System.arraycopy(page, 0, frameBytes, WalFormat.FRAME_HEADER_SIZE, pageSize);
        long next = WalChecksum.frame(MemorySegment.ofArray(frameBytes), 0, pageSize, bigEndian, checksum);
        b.putInt(WalFormat.FRAME_OFF_CHECKSUM1, WalChecksum.first(next))
                .putInt(WalFormat.FRAME_OFF_CHECKSUM2, WalChecksum.second(next));
        return new Frame(frameBytes, next);
    }

    /**
     * walEncodeFrame after an in-place overwrite ({@code iReCksum != 0}): page number and database
     * size only; salts and checksum stay zero until walRewriteChecksums.
     */
    static byte[] unsaltedFrame(int pageSize, int pageNumber, int commitSize, byte[] page) {
        byte[] frameBytes = new byte[WalFormat.frameSize(pageSize)];
        ByteBuffer.wrap(frameBytes).putInt(pageNumber).putInt(commitSize);
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
        ByteBuffer seed = ByteBuffer.wrap(wal.read(seedOff, 8));
        long checksum = WalChecksum.pack(seed.getInt(), seed.getInt());
        for (int f = from; f <= last; f++) {
            long off = WalFormat.frameOffset(f, pageSize);
            byte[] frameBytes = wal.read(off, WalFormat.frameSize(pageSize));
            ByteBuffer b = ByteBuffer.wrap(frameBytes);
            Frame encoded = frame(pageSize, b.getInt(0), b.getInt(4), salt1, salt2,
                    java.util.Arrays.copyOfRange(frameBytes, WalFormat.FRAME_HEADER_SIZE, frameBytes.length),
                    bigEndian, checksum);
            checksum = encoded.checksum();
            wal.write(off, java.util.Arrays.copyOf(encoded.bytes(), WalFormat.FRAME_HEADER_SIZE));
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
        ByteBuffer b = ByteBuffer.wrap(image).order(order);
        WalIndexHeader h = WalIndexHeader.create(order, shm.iChange, shm.bigEndCksum, shm.szPageSet ? pageSize : 0,
                shm.mxFrame, shm.nPage, shm.frameChecksum, shm.salt1, shm.salt2);
        byte[] hdr = h.encode(order);
        System.arraycopy(hdr, 0, image, 0, WalIndexHeader.SIZE);
        System.arraycopy(hdr, 0, image, WalIndexHeader.SIZE, WalIndexHeader.SIZE);
        int ck = WalFormat.SHM_CKPT_INFO_OFFSET;
        b.putInt(ck, shm.nBackfill);
        for (int i = 0; i < WalFormat.READ_MARK_COUNT; i++) {
            b.putInt(ck + 4 + 4 * i, shm.readMarks[i]);
        }
        b.putInt(ck + 32, shm.nBackfillAttempted);
        for (int f = 1; f <= indexed; f++) {
            WalIndexBuilder.append(b, f, shm.framePage(f));
        }
        return image;
    }
}
