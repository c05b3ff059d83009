package io.walkit.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds the wal-index ({@code -shm}) image that SQLite's recovery ({@code walIndexRecover})
 * produces for a WAL: every frame of the valid prefix (the uncommitted tail included) appended to
 * the hash tables in frame order ({@code walIndexAppend}), the header describing the last commit,
 * and the checkpoint state recovery leaves ({@link CheckpointInfo#recovered}). The bytes are laid
 * out by {@link WalIndexHeader#encodeRegionHeader} and {@link #append} only.
 *
 * <p>Regions a recovery never touches are zero here (SQLite may leave scratch-buffer garbage in a
 * region that received no frame).
 */
public final class WalIndexBuilder {

    private WalIndexBuilder() {}

    /**
     * {@return the -shm image recovery of {@code scan}'s WAL produces on a machine of byte order {@code order}}
     *
     * @throws IllegalArgumentException if the WAL header is not accepted (SQLite writes no index from it)
     * @param scan the scan of the WAL
     * @param order the byte order of the machine the index is written for
     */
    public static byte[] recover(WalScan scan, ByteOrder order) {
        if (!scan.headerAccepted()) {
            throw new IllegalArgumentException("WAL header not accepted: " + scan.stopReason().description());
        }
        int last = scan.lastValidFrame();
        long regions = WalIndex.regionOf(Math.max(last, 1)) + 1;
        if (regions * WalFormat.SHM_REGION_SIZE > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("index of " + regions + " regions exceeds 2 GiB");
        }
        byte[] image = new byte[(int) (regions * WalFormat.SHM_REGION_SIZE)];
        ByteBuffer b = ByteBuffer.wrap(image).order(order);
        for (int f = 1; f <= last; f++) {
            append(b, f, scan.frameHeader(f).pageNumber());
        }
        WalHeader w = scan.header();
        WalIndexHeader h = WalIndexHeader.create(order, 0, w.bigEndianChecksum(), w.pageSize(), scan.mxFrame(),
                scan.databaseSize(), scan.lastCommitChecksum(), w.salt1(), w.salt2());
        h.encodeRegionHeader(java.lang.foreign.MemorySegment.ofArray(image), CheckpointInfo.recovered(scan.mxFrame()), order);
        return image;
    }

    /**
     * SQLite's {@code walIndexAppend}: records that frame {@code frame} holds {@code pageNumber} in a
     * wal-index image. {@code b} wraps the whole image (a whole number of 32 KiB regions covering the
     * frame) in the byte order of the machine the index is for; frames are appended in ascending
     * order, and the first frame of a region clears that region's page array and hash table, as
     * SQLite does.
     *
     * @param b the index image, positioned anywhere (absolute puts)
     * @param frame the frame number, 1-based
     * @param pageNumber the page the frame holds
     */
    public static void append(ByteBuffer b, int frame, int pageNumber) {
        long region = WalIndex.regionOf(frame);
        int zero = (int) WalIndex.regionZero(region);
        int idx = frame - zero;
        int base = (int) (region * WalFormat.SHM_REGION_SIZE);
        int pgnoBase = region == 0 ? WalFormat.SHM_TOTAL_HEADER_SIZE : base;
        int hashBase = base + 4 * WalFormat.HASHTABLE_NPAGE;
        if (idx == 1) {
            Arrays.fill(b.array(), pgnoBase, base + WalFormat.SHM_REGION_SIZE, (byte) 0);
        }
        int slot = WalIndex.hash(pageNumber);
        while ((b.getShort(hashBase + 2 * slot) & 0xFFFF) != 0) {
            slot = (slot + 1) & (WalFormat.HASHTABLE_NSLOT - 1);
        }
        b.putInt(pgnoBase + 4 * (idx - 1), pageNumber);
        b.putShort(hashBase + 2 * slot, (short) idx);
    }
}
