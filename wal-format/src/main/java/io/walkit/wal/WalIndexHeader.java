package io.walkit.wal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One 48-byte copy of the wal-index header at the start of a {@code -shm} file (SQLite:
 * {@code WalIndexHdr}); copy A is at offset 0, copy B at offset 48.
 *
 * <p>Every integer is in the <em>native</em> byte order of the machine that wrote the -shm, except
 * {@code aSalt}, which is a raw copy of the WAL header's big-endian salt bytes.
 * <pre>
 * offset size field        SQLite        meaning
 *      0    4 version      iVersion      3007000 (wal2 branch: 3021000)
 *      4    4 unused       unused        0 (wal2: mxFrame2)
 *      8    4 change       iChange       incremented on every commit; 0 after recovery
 *     12    1 isInit       isInit        1 once initialised; 0 means the header is invalid
 *     13    1 bigEndCksum  bigEndCksum   1 iff the WAL's checksum words are big-endian
 *     14    2 szPage       szPage        page size, 65536 encoded as 1
 *     16    4 mxFrame      mxFrame       last valid commit frame in the WAL
 *     20    4 nPage        nPage         database size in pages as of mxFrame
 *     24    8 frameCksum   aFrameCksum   checksum of frame mxFrame (two native u32)
 *     32    8 salt         aSalt         WAL header bytes 16..23, raw (big-endian)
 *     40    8 cksum        aCksum        checksum of bytes 0..39 of this copy, native word order
 * </pre>
 *
 * <p>{@link #read} and {@link #encodeTo} are the only decoder and encoder of these 48 bytes.
 * Immutable and thread-safe.
 *
 * @param version           iVersion
 * @param unused            the reserved word (wal2: mxFrame2)
 * @param change            iChange
 * @param isInit            isInit (u8)
 * @param bigEndCksum       bigEndCksum (u8)
 * @param szPage            the raw u16 page-size code
 * @param mxFrame           mxFrame (u32 in an int)
 * @param nPage             nPage: database size in pages as of mxFrame (u32 in an int)
 * @param frameChecksum1    aFrameCksum[0]
 * @param frameChecksum2    aFrameCksum[1]
 * @param salt1             aSalt[0] read big-endian, comparable with {@link WalHeader#salt1()}
 * @param salt2             aSalt[1] read big-endian
 * @param checksum1         aCksum[0]
 * @param checksum2         aCksum[1]
 * @param computedChecksum  the checksum of bytes 0..39 recomputed in the decoding order, packed
 */
public record WalIndexHeader(int version, int unused, int change, int isInit, int bigEndCksum, int szPage,
                             int mxFrame, int nPage, int frameChecksum1, int frameChecksum2,
                             int salt1, int salt2, int checksum1, int checksum2, long computedChecksum) {

    /** Size of one copy. SQLite: {@code sizeof(WalIndexHdr)}. */
    public static final int SIZE = WalFormat.SHM_HEADER_SIZE;

    /**
     * Decodes the copy at {@code offset} with integers in {@code order}; the segment must hold 48
     * bytes there.
     *
     * @param s      the -shm image
     * @param offset byte offset of the copy (0 or 48)
     * @param order  the -shm's native byte order
     * @return the copy as stored, with the checksum recomputed in {@code order}
     */
    public static WalIndexHeader read(MemorySegment s, long offset, ByteOrder order) {
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        ValueLayout.OfShort i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        long sum = WalChecksum.update(s, offset, 40, order == ByteOrder.BIG_ENDIAN, 0L);
        return new WalIndexHeader(
                s.get(i32, offset),
                s.get(i32, offset + 4),
                s.get(i32, offset + 8),
                s.get(ValueLayout.JAVA_BYTE, offset + 12) & 0xFF,
                s.get(ValueLayout.JAVA_BYTE, offset + 13) & 0xFF,
                s.get(i16, offset + 14) & 0xFFFF,
                s.get(i32, offset + 16),
                s.get(i32, offset + 20),
                s.get(i32, offset + 24),
                s.get(i32, offset + 28),
                s.get(io.walkit.io.ByteSource.INT_BE, offset + 32),
                s.get(io.walkit.io.ByteSource.INT_BE, offset + 36),
                s.get(i32, offset + 40),
                s.get(i32, offset + 44),
                sum);
    }

    /**
     * A header with the given fields, {@code isInit = 1}, {@code iVersion = 3007000} and a correct
     * {@code aCksum} for {@code order}, as {@code walIndexWriteHdr} writes it.
     *
     * @param order         the -shm's native byte order
     * @param change        iChange
     * @param bigEndCksum   whether the WAL's checksum words are big-endian
     * @param pageSize      page size in bytes (0 leaves szPage 0)
     * @param mxFrame       mxFrame
     * @param nPage         nPage
     * @param frameChecksum aFrameCksum, packed
     * @param salt1         aSalt[0] (the WAL header's salt-1)
     * @param salt2         aSalt[1]
     * @return the copy, checksummed
     */
    public static WalIndexHeader create(ByteOrder order, int change, boolean bigEndCksum, int pageSize, int mxFrame,
                                        int nPage, long frameChecksum, int salt1, int salt2) {
        WalIndexHeader h = new WalIndexHeader(WalFormat.FORMAT_VERSION, 0, change, 1, bigEndCksum ? 1 : 0,
                encodePageSize(pageSize), mxFrame, nPage, WalChecksum.first(frameChecksum),
                WalChecksum.second(frameChecksum), salt1, salt2, 0, 0, 0);
        byte[] b = h.encode(order);
        return read(MemorySegment.ofArray(b), 0, order).withComputedChecksum();
    }

    private WalIndexHeader withComputedChecksum() {
        return new WalIndexHeader(version, unused, change, isInit, bigEndCksum, szPage, mxFrame, nPage,
                frameChecksum1, frameChecksum2, salt1, salt2, WalChecksum.first(computedChecksum),
                WalChecksum.second(computedChecksum), computedChecksum);
    }

    /**
     * The 48 bytes of this copy with integers in {@code order} (aSalt always big-endian), as stored.
     *
     * @param order the -shm's native byte order
     * @return a new array
     */
    public byte[] encode(ByteOrder order) {
        byte[] b = new byte[SIZE];
        encodeTo(MemorySegment.ofArray(b), 0, order);
        return b;
    }

    /**
     * Writes the 48 bytes of this copy at {@code offset} of {@code s} with integers in
     * {@code order} (aSalt always big-endian): the inverse of {@link #read}.
     *
     * @param s      the -shm image
     * @param offset byte offset of the copy (0 or 48)
     * @param order  the -shm's native byte order
     */
    public void encodeTo(MemorySegment s, long offset, ByteOrder order) {
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        ValueLayout.OfShort i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        s.set(i32, offset, version);
        s.set(i32, offset + 4, unused);
        s.set(i32, offset + 8, change);
        s.set(ValueLayout.JAVA_BYTE, offset + 12, (byte) isInit);
        s.set(ValueLayout.JAVA_BYTE, offset + 13, (byte) bigEndCksum);
        s.set(i16, offset + 14, (short) szPage);
        s.set(i32, offset + 16, mxFrame);
        s.set(i32, offset + 20, nPage);
        s.set(i32, offset + 24, frameChecksum1);
        s.set(i32, offset + 28, frameChecksum2);
        s.set(io.walkit.io.ByteSource.INT_BE, offset + 32, salt1);
        s.set(io.walkit.io.ByteSource.INT_BE, offset + 36, salt2);
        s.set(i32, offset + 40, checksum1);
        s.set(i32, offset + 44, checksum2);
    }

    /**
     * Writes the 136-byte header of a wal-index image as SQLite's {@code walIndexWriteHdr} and
     * checkpointers leave it: this copy at offset 0 and again at 48 (copies A and B), then
     * {@code info} at 96.
     *
     * @param s     the -shm image (at least 136 bytes)
     * @param info  the checkpoint info
     * @param order the -shm's native byte order
     */
    public void encodeRegionHeader(MemorySegment s, CheckpointInfo info, ByteOrder order) {
        encodeTo(s, 0, order);
        encodeTo(s, SIZE, order);
        info.encodeTo(s, WalFormat.SHM_CKPT_INFO_OFFSET, order);
    }

    /**
     * The page size decoded from {@code szPage} (1 means 65536).
     *
     * @return bytes per page
     */
    public int pageSize() {
        return (szPage & 0xFE00) + ((szPage & 1) << 16);
    }

    /**
     * Encodes a page size as {@code szPage}.
     *
     * @param pageSize bytes per page
     * @return the u16 code
     */
    public static int encodePageSize(int pageSize) {
        return (pageSize & 0xFF00) | (pageSize >>> 16);
    }

    /**
     * Whether the stored {@code aCksum} equals the checksum recomputed in the decoding order.
     *
     * @return true when they are equal
     */
    public boolean checksumValid() {
        return WalChecksum.pack(checksum1, checksum2) == computedChecksum;
    }

    /**
     * aFrameCksum.
     *
     * @return the pair, packed (see {@link WalChecksum})
     */
    public long frameChecksum() {
        return WalChecksum.pack(frameChecksum1, frameChecksum2);
    }

    /**
     * Whether SQLite's {@code walIndexTryHdr} would accept this copy (given that both copies are
     * identical): initialised and checksum valid.
     *
     * @return true when usable
     */
    public boolean usable() {
        return isInit != 0 && checksumValid();
    }
}
