package io.walkit.wal;

import io.walkit.io.ByteSource;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole frames that lie after a WAL's valid prefix, grouped by the salt pair they carry, with
 * each group's checksum chain verified as far as it can be seeded: the forensic evidence of
 * earlier WAL generations, of a damaged tail and of crashed transactions.
 *
 * <p>SQLite ignores every frame after the first invalid one ({@code walIndexRecover}). Those frames
 * stay in the file until overwritten. Three kinds are told apart ({@link StaleGroup.Kind}):
 * <ul>
 *   <li>{@code CURRENT_SALTS}: the header's salts, after the stop point (a damaged frame and what
 *       followed it, or everything when the header itself was rejected);</li>
 *   <li>{@code OTHER_SALTS}: an earlier generation of the log, left behind when a restart
 *       ({@code walRestartHdr}) rewound the write position to frame 1 and the new generation
 *       wrote fewer frames than the old one;</li>
 *   <li>{@code ZERO_SALTS}: salts (and normally checksums) all zero, which is what
 *       {@code walFrames} writes while an in-place overwrite is pending ({@code iReCksum}): the
 *       footprint of a transaction that crashed before {@code walRewriteChecksums}. Zero-filled
 *       space has page number 0 as well.</li>
 * </ul>
 *
 * <p>Chain verification: frame {@code j} is checked against the <em>stored</em> checksum of frame
 * {@code j-1} when that frame carries the same salts (for frame 1, the header's stored checksum
 * when the header carries them). The old header is gone, so the word order is unknown: both orders
 * are tried and the one that matches is recorded. The first frame of a run has no predecessor and
 * is {@link ChainStatus#UNSEEDED}, unless it still chains onto its physical predecessor across a salt
 * change ({@link ChainStatus#VALID_AFTER_SALT_CHANGE}: damaged salts). This mirrors how {@code showwal} re-seeds from stored checksums;
 * it is evidence, not SQLite's validity rule. Each link is computed by {@link WalFrame#checksum}, the
 * checksum half of the chain rule {@link WalFrame#decode} applies; salts are deliberately not
 * required to match (that is what tells the groups and a salt change apart).
 *
 * <p>Cost: one checksum pass (two when the order is unknown) over each frame after the valid prefix;
 * memory is a few primitive entries per such frame. The per-frame loop does not allocate.
 */
public final class StaleFrames {

    /** How a stale frame's stored checksum relates to its predecessor in the same group. */
    public enum ChainStatus {
        /** No predecessor with the same salts: nothing to seed the checksum from. */
        UNSEEDED,
        /** The stored checksum equals the checksum seeded from the predecessor's stored checksum. */
        VALID,
        /** Seeded, but neither word order reproduces the stored checksum: the frame is damaged. */
        MISMATCH,
        /**
         * The predecessor carries other salts, yet this frame's checksum chains onto the
         * predecessor's stored checksum: salts are not checksummed, so one of the two frames had its
         * salts altered (frames of different generations never chain).
         */
        VALID_AFTER_SALT_CHANGE,
        /** Salts and checksum are zero (written while an in-place overwrite was pending). */
        NOT_CHECKSUMMED;

        /** {@return the lower-case, hyphenated JSON name ({@code not-checksummed})} */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Word-order codes stored per frame. */
    static final byte ORDER_NONE = 0;
    static final byte ORDER_LITTLE = 1;
    static final byte ORDER_BIG = 2;

    private final WalScan scan;
    private final int firstFrame;
    private final int frameCount;
    private final List<StaleGroup> groups;

    private StaleFrames(WalScan scan, int firstFrame, int frameCount, List<StaleGroup> groups) {
        this.scan = scan;
        this.firstFrame = firstFrame;
        this.frameCount = frameCount;
        this.groups = groups;
    }

    /**
     * Finds the frames after the valid prefix of {@code scan} (frames {@code lastValidFrame+1 ..
     * frameCount}). The scan's source must still be open.
     *
     * @param scan the scan of the WAL; its source must still be open
     * @return the stale frames, grouped; empty when the valid prefix reaches the end of the file
     */
    public static StaleFrames find(WalScan scan) {
        int pageSize = scan.pageSize();
        long whole = pageSize == 0 ? 0 : scan.frameCount();
        int last = (int) Math.min(whole, Integer.MAX_VALUE);
        int first = scan.lastValidFrame() + 1;
        if (pageSize == 0 || first > last) {
            return new StaleFrames(scan, first, 0, List.of());
        }
        MemorySegment s = scan.source().segment();
        WalHeader header = scan.header();
        boolean headerKnown = header != null;
        boolean headerBig = headerKnown && header.bigEndianChecksum();
        int hSalt1 = headerKnown ? header.salt1() : 0;
        int hSalt2 = headerKnown ? header.salt2() : 0;
        boolean headerAccepted = scan.headerAccepted();

        Long2ObjectLinkedOpenHashMap<StaleGroup.Builder> bySalts = new Long2ObjectLinkedOpenHashMap<>();
        long frameSize = WalFormat.frameSize(pageSize);
        long offset = WalFormat.frameOffset(first, pageSize);
        // Salts and stored checksum of frame (first - 1), the seed candidate for the first frame.
        int prevSalt1;
        int prevSalt2;
        long prevStored;
        boolean prevExists;
        if (first == 1) {
            prevExists = headerKnown;
            prevSalt1 = hSalt1;
            prevSalt2 = hSalt2;
            prevStored = headerKnown ? header.storedChecksum() : 0;
        } else {
            long prevOffset = offset - frameSize;
            prevExists = true;
            prevSalt1 = s.get(ByteSource.INT_BE, prevOffset + WalFormat.FRAME_OFF_SALT1);
            prevSalt2 = s.get(ByteSource.INT_BE, prevOffset + WalFormat.FRAME_OFF_SALT2);
            prevStored = WalFrame.storedChecksum(s, prevOffset);
        }
        StaleGroup.Builder current = null;
        long currentKey = 0;
        for (int f = first; f <= last; f++, offset += frameSize) {
            int salt1 = s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT1);
            int salt2 = s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT2);
            long key = WalChecksum.pack(salt1, salt2);
            if (current == null || key != currentKey) {
                current = bySalts.get(key);
                if (current == null) {
                    StaleGroup.Kind kind = salt1 == 0 && salt2 == 0 ? StaleGroup.Kind.ZERO_SALTS
                            : headerKnown && salt1 == hSalt1 && salt2 == hSalt2 ? StaleGroup.Kind.CURRENT_SALTS
                            : StaleGroup.Kind.OTHER_SALTS;
                    current = new StaleGroup.Builder(kind, salt1, salt2);
                    bySalts.put(key, current);
                }
                currentKey = key;
            }
            long stored = WalFrame.storedChecksum(s, offset);
            ChainStatus status;
            byte order = ORDER_NONE;
            if (current.kind == StaleGroup.Kind.ZERO_SALTS && stored == 0) {
                status = ChainStatus.NOT_CHECKSUMMED;
            } else if (!prevExists) {
                status = ChainStatus.UNSEEDED;
            } else if (prevSalt1 != salt1 || prevSalt2 != salt2) {
                // Salts are not covered by the checksum: if the frame still chains onto its physical
                // predecessor, one of the two had its salts damaged (a different generation never chains).
                status = ChainStatus.UNSEEDED;
                boolean knownOrder = current.kind == StaleGroup.Kind.CURRENT_SALTS && headerAccepted;
                if ((!knownOrder || !headerBig) && WalFrame.checksum(s, offset, pageSize, false, prevStored) == stored) {
                    status = ChainStatus.VALID_AFTER_SALT_CHANGE;
                    order = ORDER_LITTLE;
                } else if ((!knownOrder || headerBig) && WalFrame.checksum(s, offset, pageSize, true, prevStored) == stored) {
                    status = ChainStatus.VALID_AFTER_SALT_CHANGE;
                    order = ORDER_BIG;
                }
            } else if (current.kind == StaleGroup.Kind.CURRENT_SALTS && headerAccepted) {
                // Same generation as the header: its word order is known.
                long c = WalFrame.checksum(s, offset, pageSize, headerBig, prevStored);
                if (c == stored) {
                    status = ChainStatus.VALID;
                    order = headerBig ? ORDER_BIG : ORDER_LITTLE;
                } else {
                    status = ChainStatus.MISMATCH;
                }
            } else {
                // The generation's header is gone: try both word orders.
                if (WalFrame.checksum(s, offset, pageSize, false, prevStored) == stored) {
                    status = ChainStatus.VALID;
                    order = ORDER_LITTLE;
                } else if (WalFrame.checksum(s, offset, pageSize, true, prevStored) == stored) {
                    status = ChainStatus.VALID;
                    order = ORDER_BIG;
                } else {
                    status = ChainStatus.MISMATCH;
                }
            }
            current.add(f, s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_PAGE_NUMBER),
                    s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_COMMIT_SIZE), stored, status, order);
            prevExists = true;
            prevSalt1 = salt1;
            prevSalt2 = salt2;
            prevStored = stored;
        }
        List<StaleGroup> groups = new ArrayList<>(bySalts.size());
        for (StaleGroup.Builder b : bySalts.values()) {
            groups.add(b.build(pageSize));
        }
        return new StaleFrames(scan, first, last - first + 1, List.copyOf(groups));
    }

    /** {@return the scan these frames were found after} */
    public WalScan scan() {
        return scan;
    }

    /** {@return the first frame after the valid prefix ({@code lastValidFrame + 1})} */
    public int firstFrame() {
        return firstFrame;
    }

    /** {@return the number of whole frames after the valid prefix, of all kinds} */
    public int frameCount() {
        return frameCount;
    }

    /** {@return the groups, in order of their first frame} */
    public List<StaleGroup> groups() {
        return groups;
    }

    /**
     * {@return the number of frames in groups of {@code kind}}
     *
     * @param kind the kind of group to count
     */
    public int frameCount(StaleGroup.Kind kind) {
        int n = 0;
        for (StaleGroup g : groups) {
            if (g.kind() == kind) {
                n += g.frameCount();
            }
        }
        return n;
    }
}
