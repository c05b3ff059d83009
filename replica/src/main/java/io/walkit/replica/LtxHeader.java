package io.walkit.replica;

import io.walkit.io.CorruptFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The 100-byte header of an LTX file (superfly/ltx {@code Header}), decoded as found;
 * {@link #problems()} applies ltx's {@code Header.Validate} rules.
 *
 * <p>All fields big-endian.
 * <pre>
 * offset size field              meaning
 *      0    4 magic              "LTX1"
 *      4    4 flags              bit 1 NoChecksum; bit 0 CompressLZ4 (v1 encoding only: whole page block in one LZ4 frame)
 *      8    4 pageSize           512..65536, power of two
 *     12    4 commit             database size in pages after applying (0 = deletion)
 *     16    8 minTXID            first transaction, at least 1 (1 = snapshot)
 *     24    8 maxTXID            last transaction, at least minTXID
 *     32    8 timestamp          milliseconds since the Unix epoch
 *     40    8 preApplyChecksum   database checksum before applying (0 for snapshots and NoChecksum files)
 *     48    8 walOffset          offset in the source WAL (0 when not from a WAL)
 *     56    8 walSize            bytes of WAL covered
 *     64    4 walSalt1           source WAL salt-1
 *     68    4 walSalt2           source WAL salt-2
 *     72    8 nodeId             creating node, 0 if unset
 *     80   20 reserved           zero
 * </pre>
 *
 * @param magic            the 4 magic bytes as a big-endian int ({@link #MAGIC} when valid)
 * @param flags            header flags
 * @param pageSize         page size in bytes (unsigned)
 * @param commit           database size in pages after applying (unsigned)
 * @param minTxid          first TXID
 * @param maxTxid          last TXID
 * @param timestamp        milliseconds since the epoch
 * @param preApplyChecksum database checksum before applying
 * @param walOffset        source WAL offset
 * @param walSize          source WAL size
 * @param walSalt1         source WAL salt-1
 * @param walSalt2         source WAL salt-2
 * @param nodeId           creating node
 */
public record LtxHeader(int magic, int flags, int pageSize, int commit, long minTxid, long maxTxid, long timestamp,
        long preApplyChecksum, long walOffset, long walSize, int walSalt1, int walSalt2, long nodeId) {

    /** Header size in bytes. */
    public static final int SIZE = 100;
    /** "LTX1" as a big-endian int. */
    public static final int MAGIC = 0x4C545831;
    /** Flag bit 0 (v1 encoding only): the page block is one LZ4 frame. */
    public static final int FLAG_COMPRESS_LZ4 = 1;
    /** Flag bit 1: no database checksums are tracked. */
    public static final int FLAG_NO_CHECKSUM = 2;
    /** Bit 63, set on every stored checksum. */
    public static final long CHECKSUM_FLAG = 1L << 63;

    /**
     * Decodes the first 100 bytes of {@code b} (which must hold them).
     *
     * @param b the b
     * @return the first 100 bytes of {@code b} (which must hold them)
     */
    public static LtxHeader read(byte[] b) {
        ByteBuffer h = ByteBuffer.wrap(b, 0, SIZE).order(ByteOrder.BIG_ENDIAN);
        return new LtxHeader(h.getInt(0), h.getInt(4), h.getInt(8), h.getInt(12), h.getLong(16), h.getLong(24), h.getLong(32),
                h.getLong(40), h.getLong(48), h.getLong(56), h.getInt(64), h.getInt(68), h.getLong(72));
    }

    /**
     * The 100 bytes of this header (reserved bytes zero).
     *
     * @return the 100 bytes of this header (reserved bytes zero)
     */
    public byte[] encode() {
        ByteBuffer h = ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN);
        h.putInt(magic).putInt(flags).putInt(pageSize).putInt(commit).putLong(minTxid).putLong(maxTxid).putLong(timestamp)
                .putLong(preApplyChecksum).putLong(walOffset).putLong(walSize).putInt(walSalt1).putInt(walSalt2).putLong(nodeId);
        return h.array();
    }

    /**
     * True when minTXID is 1: the file holds every page 1..commit.
     *
     * @return true when minTXID is 1: the file holds every page 1..commit
     */
    public boolean isSnapshot() {
        return minTxid == 1;
    }

    /**
     * True when the NoChecksum flag is set.
     *
     * @return true when the NoChecksum flag is set
     */
    public boolean noChecksum() {
        return (flags & FLAG_NO_CHECKSUM) != 0;
    }

    /**
     * SQLite's lock-byte page number for this page size (never stored in LTX).
     *
     * @return sQLite's lock-byte page number for this page size (never stored in LTX)
     */
    public long lockPageNumber() {
        return 0x40000000L / Integer.toUnsignedLong(pageSize) + 1;
    }

    /**
     * Throws for a header no LTX reader can interpret (bad magic or page size).
     *
     * @param file the file
     * @throws CorruptFileException when the input cannot be read or parsed
     */
    public void requireReadable(String file) throws CorruptFileException {
        if (magic != MAGIC) {
            throw new CorruptFileException(file, 0, "LTX header", "magic", "\"LTX1\"",
                    new String(ByteBuffer.allocate(4).putInt(magic).array(), StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "?"));
        }
        long ps = Integer.toUnsignedLong(pageSize);
        if (ps < 512 || ps > 65536 || (ps & (ps - 1)) != 0) {
            throw new CorruptFileException(file, 8, "LTX header", "page size", "a power of two in 512..65536", Long.toString(ps));
        }
    }

    /**
     * Breaches of ltx's {@code Header.Validate} rules, as one-line messages (empty when valid).
     *
     * @return breaches of ltx's {@code Header.Validate} rules, as one-line messages (empty when valid)
     */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if ((flags & ~(FLAG_NO_CHECKSUM | FLAG_COMPRESS_LZ4)) != 0) {
            p.add(String.format("invalid flags 0x%08x", flags));
        }
        if (minTxid == 0) {
            p.add("minimum TXID must be at least 1");
        }
        if (maxTxid == 0) {
            p.add("maximum TXID must be at least 1");
        }
        if (Long.compareUnsigned(minTxid, maxTxid) > 0) {
            p.add("TXIDs out of order: min " + Long.toHexString(minTxid) + " > max " + Long.toHexString(maxTxid));
        }
        if (walOffset < 0 || walSize < 0) {
            p.add("negative WAL offset or size");
        }
        if ((walSalt1 != 0 || walSalt2 != 0) && walOffset == 0) {
            p.add("WAL salts without a WAL offset");
        }
        if (walOffset == 0 && walSize != 0) {
            p.add("WAL size without a WAL offset");
        }
        if (isSnapshot()) {
            if (preApplyChecksum != 0) {
                p.add("a snapshot (min TXID 1) must have no pre-apply checksum");
            }
        } else if (noChecksum()) {
            if (preApplyChecksum != 0) {
                p.add("pre-apply checksum not allowed with the NoChecksum flag");
            }
        } else if (preApplyChecksum == 0 || (preApplyChecksum & CHECKSUM_FLAG) == 0) {
            p.add("pre-apply checksum required (with bit 63 set) on a non-snapshot file");
        }
        return p;
    }
}
