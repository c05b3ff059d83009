package io.walkit.wal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One WAL frame with its running checksum: the encoder and the decoder side by side, as SQLite
 * pairs {@code walEncodeFrame} with {@code walDecodeFrame}. This is the one definition of the
 * chain rule every walker in walkit applies ({@link WalChain}, {@link WalScanner}, {@link StaleFrames},
 * the replica module's shadow verification).
 *
 * <pre>
 * offset size field       meaning (all big-endian u32; see {@link WalFrameHeader})
 *      0    4 pageNumber  SQLite: pgno, never 0
 *      4    4 commitSize  SQLite: nTruncate, database size after a commit frame, else 0
 *      8    8 salt1/2     copies of the WAL header's salts
 *     16    8 checksum    running checksum: seed = previous frame's (frame 1: the WAL header's),
 *                         continued over bytes 0..7 of this header, then over the page image
 *     24    P page image  P = page size
 * </pre>
 *
 * <p>The chain rule ({@code walDecodeFrame}), in SQLite's order: a frame is valid when its salts
 * equal the header's, its page number is not 0, and its stored checksum equals the checksum
 * computed from the previous frame's checksum. Checksum words are read in the order the WAL magic
 * selects ({@link WalHeader#bigEndianChecksum()}).
 *
 * <p>Stateless and thread-safe; the segments are the caller's.
 */
public final class WalFrame {

    private WalFrame() {}

    /** What {@link #decode} found, in {@code walDecodeFrame}'s order of checks. */
    public enum Verdict {
        /** Salts, page number and checksum all hold: the frame continues the chain. */
        VALID,
        /** The salts differ from the WAL header's. */
        SALT_MISMATCH,
        /** The page number is 0. */
        ZERO_PAGE_NUMBER,
        /** The stored checksum differs from the checksum computed from the previous one. */
        CHECKSUM_MISMATCH;

        /**
         * The {@link StopReason} a scan reports when it stops at a frame with this verdict.
         *
         * @return the stop reason; null for {@link #VALID}
         */
        public StopReason stopReason() {
            return switch (this) {
                case VALID -> null;
                case SALT_MISMATCH -> StopReason.SALT_MISMATCH;
                case ZERO_PAGE_NUMBER -> StopReason.ZERO_PAGE_NUMBER;
                case CHECKSUM_MISMATCH -> StopReason.CHECKSUM_MISMATCH;
            };
        }
    }

    /**
     * A decoded frame.
     *
     * @param header   the 24-byte header as stored
     * @param verdict  whether the frame continues the chain, or the first check it fails
     * @param checksum the running checksum computed over this frame from the given seed (equal to
     *                 the stored one exactly when {@code verdict} is {@link Verdict#VALID}; not
     *                 computed, and 0, when an earlier check failed)
     */
    public record Decoded(WalFrameHeader header, Verdict verdict, long checksum) {
        /**
         * Whether the frame continues the chain.
         *
         * @return true when {@code verdict} is {@link Verdict#VALID}
         */
        public boolean valid() {
            return verdict == Verdict.VALID;
        }

        /**
         * Whether this is a commit frame.
         *
         * @return true when the commit size is not 0
         */
        public boolean isCommit() {
            return header.isCommit();
        }
    }

    /**
     * SQLite's {@code walEncodeFrame}: writes the header of the frame at {@code frameOffset} of
     * {@code dst}, whose page image is already in place at {@code frameOffset + 24}, with the
     * running checksum continued from {@code previousChecksum}.
     *
     * @param dst              the WAL image
     * @param frameOffset      byte offset of the frame in {@code dst}
     * @param pageSize         page size in bytes
     * @param pageNumber       SQLite: pgno
     * @param commitSize       SQLite: nTruncate (database size in pages after a commit), 0 otherwise
     * @param salt1            the WAL header's salt-1
     * @param salt2            the WAL header's salt-2
     * @param bigEndianWords   checksum word order (the WAL magic's bit 0)
     * @param previousChecksum the previous frame's checksum, or the WAL header's for frame 1
     * @return the new running checksum (this frame's)
     */
    public static long encodeHeader(MemorySegment dst, long frameOffset, int pageSize, int pageNumber, int commitSize,
                                    int salt1, int salt2, boolean bigEndianWords, long previousChecksum) {
        // Checksum words 0..7 of the header (page number, commit size) are written first: they are
        // part of the checksum input.
        new WalFrameHeader(pageNumber, commitSize, salt1, salt2, 0, 0).encodeTo(dst, frameOffset);
        long sum = checksum(dst, frameOffset, pageSize, bigEndianWords, previousChecksum);
        new WalFrameHeader(pageNumber, commitSize, salt1, salt2, WalChecksum.first(sum), WalChecksum.second(sum))
                .encodeTo(dst, frameOffset);
        return sum;
    }

    /**
     * SQLite's {@code walEncodeFrame} with the page copy: writes the whole frame (header and
     * {@code pageSize} bytes of {@code page} from {@code pageOffset}) at {@code frameOffset} of
     * {@code dst}.
     *
     * @param dst              the WAL image
     * @param frameOffset      byte offset of the frame in {@code dst}
     * @param pageNumber       SQLite: pgno
     * @param commitSize       SQLite: nTruncate, 0 for a frame that does not commit
     * @param salt1            the WAL header's salt-1
     * @param salt2            the WAL header's salt-2
     * @param page             holds the page image
     * @param pageOffset       offset of the page image in {@code page}
     * @param pageSize         page size in bytes
     * @param bigEndianWords   checksum word order (the WAL magic's bit 0)
     * @param previousChecksum the previous frame's checksum, or the WAL header's for frame 1
     * @return the new running checksum (this frame's)
     */
    public static long encode(MemorySegment dst, long frameOffset, int pageNumber, int commitSize, int salt1, int salt2,
                              MemorySegment page, long pageOffset, int pageSize, boolean bigEndianWords,
                              long previousChecksum) {
        MemorySegment.copy(page, pageOffset, dst, frameOffset + WalFormat.FRAME_HEADER_SIZE, pageSize);
        return encodeHeader(dst, frameOffset, pageSize, pageNumber, commitSize, salt1, salt2, bigEndianWords,
                previousChecksum);
    }

    /**
     * As {@link #encode(MemorySegment, long, int, int, int, int, MemorySegment, long, int, boolean, long)}
     * on arrays; the page size is {@code page.length}.
     *
     * @param dst              the WAL image
     * @param frameOffset      byte offset of the frame in {@code dst}
     * @param pageNumber       SQLite: pgno
     * @param commitSize       SQLite: nTruncate, 0 for a frame that does not commit
     * @param salt1            the WAL header's salt-1
     * @param salt2            the WAL header's salt-2
     * @param page             the page image
     * @param bigEndianWords   checksum word order (the WAL magic's bit 0)
     * @param previousChecksum the previous frame's checksum, or the WAL header's for frame 1
     * @return the new running checksum (this frame's)
     */
    public static long encode(byte[] dst, int frameOffset, int pageNumber, int commitSize, int salt1, int salt2,
                              byte[] page, boolean bigEndianWords, long previousChecksum) {
        return encode(MemorySegment.ofArray(dst), frameOffset, pageNumber, commitSize, salt1, salt2,
                MemorySegment.ofArray(page), 0, page.length, bigEndianWords, previousChecksum);
    }

    /**
     * SQLite's {@code walDecodeFrame}: decodes the frame at {@code frameOffset} of {@code src}
     * (which must hold the whole frame) and checks it against the WAL header's salts and the
     * previous running checksum.
     *
     * @param src              the WAL image
     * @param frameOffset      byte offset of the frame in {@code src}
     * @param pageSize         page size in bytes
     * @param salt1            the WAL header's salt-1
     * @param salt2            the WAL header's salt-2
     * @param bigEndianWords   checksum word order (the WAL magic's bit 0)
     * @param previousChecksum the previous frame's checksum, or the WAL header's for frame 1
     * @return the decoded header, the verdict and the computed running checksum
     */
    public static Decoded decode(MemorySegment src, long frameOffset, int pageSize, int salt1, int salt2,
                                 boolean bigEndianWords, long previousChecksum) {
        WalFrameHeader h = WalFrameHeader.read(src, frameOffset);
        Verdict pre = precheck(h.pageNumber(), h.salt1(), h.salt2(), salt1, salt2);
        if (pre != Verdict.VALID) {
            return new Decoded(h, pre, 0);
        }
        long sum = checksum(src, frameOffset, pageSize, bigEndianWords, previousChecksum);
        return new Decoded(h, sum == h.storedChecksum() ? Verdict.VALID : Verdict.CHECKSUM_MISMATCH, sum);
    }

    /**
     * The checks of the chain rule that come before the checksum, in {@code walDecodeFrame}'s
     * order (salts, then page number): {@link Verdict#VALID} when both hold. The scanner's bulk
     * kernels apply exactly this before their two-at-a-time checksum.
     */
    static Verdict precheck(int pageNumber, int frameSalt1, int frameSalt2, int salt1, int salt2) {
        if (frameSalt1 != salt1 || frameSalt2 != salt2) {
            return Verdict.SALT_MISMATCH;
        }
        return pageNumber == 0 ? Verdict.ZERO_PAGE_NUMBER : Verdict.VALID;
    }

    /**
     * The running checksum of the frame at {@code frameOffset}: {@code previousChecksum} continued
     * over its header bytes 0..7, then over its page image (SQLite: the two
     * {@code walChecksumBytes} calls of {@code walEncodeFrame}).
     *
     * @param src              the WAL image
     * @param frameOffset      byte offset of the frame in {@code src}
     * @param pageSize         page size in bytes
     * @param bigEndianWords   checksum word order (the WAL magic's bit 0)
     * @param previousChecksum the previous frame's checksum, or the WAL header's for frame 1
     * @return the running checksum, packed (see {@link WalChecksum})
     */
    public static long checksum(MemorySegment src, long frameOffset, int pageSize, boolean bigEndianWords,
                                long previousChecksum) {
        return WalChecksum.frame(src, frameOffset, pageSize, bigEndianWords, previousChecksum);
    }

    /**
     * The stored checksum of the frame at {@code frameOffset}.
     *
     * @param src         the WAL image
     * @param frameOffset byte offset of the frame in {@code src}
     * @return the stored pair, packed (see {@link WalChecksum})
     */
    public static long storedChecksum(MemorySegment src, long frameOffset) {
        return WalChecksum.pack(src.get(io.walkit.io.ByteSource.INT_BE, frameOffset + WalFormat.FRAME_OFF_CHECKSUM1),
                src.get(io.walkit.io.ByteSource.INT_BE, frameOffset + WalFormat.FRAME_OFF_CHECKSUM2));
    }

    /**
     * The page image of the frame at {@code frameOffset}.
     *
     * @param src         the WAL image
     * @param frameOffset byte offset of the frame in {@code src}
     * @param pageSize    page size in bytes
     * @return a slice of {@code src} (not a copy)
     */
    public static MemorySegment page(MemorySegment src, long frameOffset, int pageSize) {
        return src.asSlice(frameOffset + WalFormat.FRAME_HEADER_SIZE, pageSize);
    }

    /**
     * A copy of the page image of the frame at {@code frameOffset}.
     *
     * @param src         the WAL image
     * @param frameOffset byte offset of the frame in {@code src}
     * @param pageSize    page size in bytes
     * @return a new array of {@code pageSize} bytes
     */
    public static byte[] pageBytes(MemorySegment src, long frameOffset, int pageSize) {
        byte[] b = new byte[pageSize];
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, frameOffset + WalFormat.FRAME_HEADER_SIZE, b, 0, pageSize);
        return b;
    }
}
