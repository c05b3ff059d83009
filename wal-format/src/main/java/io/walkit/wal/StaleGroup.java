package io.walkit.wal;

import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * The frames after a WAL's valid prefix that carry one salt pair, with the per-frame result of
 * verifying their checksum chain. See {@link StaleFrames}.
 */
public final class StaleGroup {

    /** What a group's salt pair says about where its frames came from. */
    public enum Kind {
        /** The WAL header's own salts, after the point where validity stopped. */
        CURRENT_SALTS,
        /** Salts of an earlier generation of the log (before a restart). */
        OTHER_SALTS,
        /** Salts all zero: a crashed transaction with a pending in-place overwrite, or zeroed space. */
        ZERO_SALTS;

        /** {@return the lower-case, hyphenated JSON name ({@code other-salts})} */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One frame of a group.
     *
     * @param frameNumber 1-based frame number in the file
     * @param offset      byte offset of the frame header
     * @param pageNumber  page number (u32 in an int)
     * @param commitSize  database size after the commit for a commit frame, else 0 (u32 in an int)
     * @param checksum1   stored checksum word 1
     * @param checksum2   stored checksum word 2
     * @param chain       how the stored checksum relates to the predecessor's
     * @param wordOrder   the checksum word order that verified, or {@code null} if none did
     */
    public record Frame(int frameNumber, long offset, int pageNumber, int commitSize, int checksum1, int checksum2,
                        StaleFrames.ChainStatus chain, ByteOrder wordOrder) {

        /** {@return whether this is a commit frame} */
        public boolean isCommit() {
            return commitSize != 0;
        }
    }

    private static final StaleFrames.ChainStatus[] STATUSES = StaleFrames.ChainStatus.values();

    private final Kind kind;
    private final int salt1;
    private final int salt2;
    private final int pageSize;
    private final int[] frames;
    private final int[] pages;
    private final int[] commitSizes;
    private final long[] checksums;
    private final byte[] statuses;
    private final byte[] orders;
    private final int size;

    private StaleGroup(Builder b, int pageSize) {
        this.kind = b.kind;
        this.salt1 = b.salt1;
        this.salt2 = b.salt2;
        this.pageSize = pageSize;
        this.size = b.size;
        this.frames = Arrays.copyOf(b.frames, b.size);
        this.pages = Arrays.copyOf(b.pages, b.size);
        this.commitSizes = Arrays.copyOf(b.commitSizes, b.size);
        this.checksums = Arrays.copyOf(b.checksums, b.size);
        this.statuses = Arrays.copyOf(b.statuses, b.size);
        this.orders = Arrays.copyOf(b.orders, b.size);
    }

    /** {@return what kind of group this is (how its salts relate to the WAL header's)} */
    public Kind kind() {
        return kind;
    }

    /** {@return the salt-1 of this group's frames (big-endian u32)} */
    public int salt1() {
        return salt1;
    }

    /** {@return the salt-2 of this group's frames} */
    public int salt2() {
        return salt2;
    }

    /** {@return the number of frames} */
    public int frameCount() {
        return size;
    }

    /**
     * Frame {@code i} (0-based within the group).
     *
     * @param i the index within the group, 0-based
     * @return the frame, decoded from the arrays this group holds
     */
    public Frame frame(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        StaleFrames.ChainStatus st = STATUSES[statuses[i]];
        ByteOrder order = orders[i] == StaleFrames.ORDER_LITTLE ? ByteOrder.LITTLE_ENDIAN
                : orders[i] == StaleFrames.ORDER_BIG ? ByteOrder.BIG_ENDIAN : null;
        return new Frame(frames[i], WalFormat.frameOffset(frames[i], pageSize), pages[i], commitSizes[i],
                WalChecksum.first(checksums[i]), WalChecksum.second(checksums[i]), st, order);
    }

    /** {@return the frames, in file order} */
    public List<Frame> frames() {
        return new AbstractList<>() {
            @Override
            public Frame get(int i) {
                return frame(i);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** {@return the first frame number of the group} */
    public int firstFrame() {
        return frames[0];
    }

    /** {@return the last frame number of the group} */
    public int lastFrame() {
        return frames[size - 1];
    }

    /**
     * {@return the number of frames with chain status {@code status}}
     *
     * @param status the chain status to count
     */
    public int count(StaleFrames.ChainStatus status) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (statuses[i] == status.ordinal()) {
                n++;
            }
        }
        return n;
    }

    /** {@return the number of commit frames} */
    public int commitFrameCount() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (commitSizes[i] != 0) {
                n++;
            }
        }
        return n;
    }

    /** {@return the number of distinct page numbers} */
    public int distinctPages() {
        IntOpenHashSet set = new IntOpenHashSet();
        for (int i = 0; i < size; i++) {
            set.add(pages[i]);
        }
        return set.size();
    }

    /**
     * The checksum word order the verified frames agree on; {@code null} when no frame verified or
     * when verified frames disagree (which a single generation never produces).
     *
     * @return the order, or {@code null}
     */
    public ByteOrder wordOrder() {
        byte seen = StaleFrames.ORDER_NONE;
        for (int i = 0; i < size; i++) {
            if (orders[i] != StaleFrames.ORDER_NONE) {
                if (seen != StaleFrames.ORDER_NONE && seen != orders[i]) {
                    return null;
                }
                seen = orders[i];
            }
        }
        return seen == StaleFrames.ORDER_LITTLE ? ByteOrder.LITTLE_ENDIAN
                : seen == StaleFrames.ORDER_BIG ? ByteOrder.BIG_ENDIAN : null;
    }

    /** {@return whether the group's frames occupy one contiguous run of frame numbers} */
    public boolean contiguous() {
        return frames[size - 1] - frames[0] + 1 == size;
    }

    /** Accumulates one group while {@link StaleFrames#find} walks the file. */
    static final class Builder {
        final Kind kind;
        final int salt1;
        final int salt2;
        int[] frames = new int[8];
        int[] pages = new int[8];
        int[] commitSizes = new int[8];
        long[] checksums = new long[8];
        byte[] statuses = new byte[8];
        byte[] orders = new byte[8];
        int size;

        Builder(Kind kind, int salt1, int salt2) {
            this.kind = kind;
            this.salt1 = salt1;
            this.salt2 = salt2;
        }

        void add(int frame, int page, int commitSize, long checksum, StaleFrames.ChainStatus status, byte order) {
            if (size == frames.length) {
                int n = size * 2;
                frames = Arrays.copyOf(frames, n);
                pages = Arrays.copyOf(pages, n);
                commitSizes = Arrays.copyOf(commitSizes, n);
                checksums = Arrays.copyOf(checksums, n);
                statuses = Arrays.copyOf(statuses, n);
                orders = Arrays.copyOf(orders, n);
            }
            frames[size] = frame;
            pages[size] = page;
            commitSizes[size] = commitSize;
            checksums[size] = checksum;
            statuses[size] = (byte) status.ordinal();
            orders[size] = order;
            size++;
        }

        StaleGroup build(int pageSize) {
            return new StaleGroup(this, pageSize);
        }
    }
}
