package io.walkit.wal;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The 32-byte WAL file header, decoded as found (odd values included); {@link #validate} applies
 * SQLite's recovery rules.
 *
 * <p>All fields are big-endian u32.
 * <pre>
 * offset size field                  meaning
 *      0    4 magic                  0x377F0682 (LE checksum words) or 0x377F0683 (BE words)
 *      4    4 formatVersion          3007000                       (SQLite: WAL_MAX_VERSION)
 *      8    4 pageSize               512..65536, power of two; 65536 stored as 65536
 *     12    4 checkpointSequence     SQLite: nCkpt, a per-connection counter, not monotonic
 *     16    4 salt1                  +1 on every restart of the log  (SQLite: aSalt[0])
 *     20    4 salt2                  random on every restart          (SQLite: aSalt[1])
 *     24    4 checksum1              checksum of bytes 0..23, seed (0,0)
 *     28    4 checksum2
 * </pre>
 *
 * <p>{@link #read(MemorySegment, long)} and {@link #encodeTo} are the only decoder and encoder of
 * these 32 bytes. Immutable and thread-safe.
 *
 * @param magic              raw magic
 * @param formatVersion      raw format version
 * @param pageSize           raw page size (an int; values over 2^31 appear negative)
 * @param checkpointSequence raw checkpoint sequence (unsigned u32 in an int)
 * @param salt1              salt-1 as a big-endian u32
 * @param salt2              salt-2 as a big-endian u32
 * @param checksum1          stored checksum word 1
 * @param checksum2          stored checksum word 2
 */
public record WalHeader(int magic, int formatVersion, int pageSize, int checkpointSequence,
                        int salt1, int salt2, int checksum1, int checksum2) {

    /** The verdict of SQLite's recovery header gate ({@code walIndexRecover}), in its order. */
    public enum Status {
        /** Header accepted: frames are read. */
        OK,
        /** Magic with bit 0 masked is not 0x377F0682: SQLite treats the WAL as empty. */
        BAD_MAGIC,
        /** Page size not a power of two in 512..65536: SQLite treats the WAL as empty. */
        BAD_PAGE_SIZE,
        /** Header checksum mismatch: SQLite treats the WAL as empty. */
        BAD_CHECKSUM,
        /** Checksum good but format version is not 3007000: SQLite refuses to open (SQLITE_CANTOPEN). */
        UNSUPPORTED_VERSION
    }

    /**
     * Decodes the header at the start of {@code source}.
     *
     * @param source the WAL file
     * @return the header as stored
     * @throws CorruptFileException if the file is shorter than 32 bytes
     */
    public static WalHeader read(ByteSource source) throws CorruptFileException {
        if (source.size() < WalFormat.HEADER_SIZE) {
            throw new CorruptFileException(source.name(), source.size(), "WAL header", "file size",
                    "at least " + WalFormat.HEADER_SIZE + " bytes", source.size() + " bytes");
        }
        return read(source.segment(), 0);
    }

    /**
     * Decodes a header at {@code offset} of {@code segment}, which must have 32 bytes there.
     *
     * @param segment the WAL image
     * @param offset  byte offset of the header (normally 0)
     * @return the header as stored
     */
    public static WalHeader read(MemorySegment segment, long offset) {
        return new WalHeader(
                segment.get(ByteSource.INT_BE, offset + WalFormat.OFF_MAGIC),
                segment.get(ByteSource.INT_BE, offset + WalFormat.OFF_FORMAT_VERSION),
                segment.get(ByteSource.INT_BE, offset + WalFormat.OFF_PAGE_SIZE),
                segment.get(ByteSource.INT_BE, offset + WalFormat.OFF_CHECKPOINT_SEQUENCE),
                segment.get(ByteSource.INT_BE, offset + WalFormat.OFF_SALT1),
                segment.get(ByteSource.INT_BE, offset + WalFormat.OFF_SALT2),
                segment.get(ByteSource.INT_BE, offset + WalFormat.OFF_CHECKSUM1),
                segment.get(ByteSource.INT_BE, offset + WalFormat.OFF_CHECKSUM2));
    }

    /**
     * A header with the given fields and a correct checksum.
     *
     * @param bigEndianWords     checksum word order (true writes magic 0x377F0683)
     * @param pageSize           page size in bytes (stored as is)
     * @param checkpointSequence SQLite: nCkpt
     * @param salt1              salt-1
     * @param salt2              salt-2
     * @return the header, checksummed
     */
    public static WalHeader create(boolean bigEndianWords, int pageSize, int checkpointSequence, int salt1, int salt2) {
        WalHeader unsigned = new WalHeader(bigEndianWords ? WalFormat.MAGIC_BE : WalFormat.MAGIC_LE,
                WalFormat.FORMAT_VERSION, pageSize, checkpointSequence, salt1, salt2, 0, 0);
        long sum = unsigned.computeChecksum();
        return new WalHeader(unsigned.magic, unsigned.formatVersion, pageSize, checkpointSequence, salt1, salt2,
                WalChecksum.first(sum), WalChecksum.second(sum));
    }

    /**
     * Whether checksum words are big-endian.
     *
     * @return true when magic bit 0 is set
     */
    public boolean bigEndianChecksum() {
        return (magic & 1) != 0;
    }

    /**
     * The checksum word order.
     *
     * @return it as a {@link ByteOrder}
     */
    public ByteOrder checksumOrder() {
        return bigEndianChecksum() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /**
     * The stored checksum.
     *
     * @return the pair, packed (see {@link WalChecksum})
     */
    public long storedChecksum() {
        return WalChecksum.pack(checksum1, checksum2);
    }

    /**
     * The checksum of this header's bytes 0..23, in the order its magic selects.
     *
     * @return the pair, packed
     */
    public long computeChecksum() {
        return WalChecksum.header(MemorySegment.ofArray(encode()), 0, bigEndianChecksum());
    }

    /**
     * The 32 bytes of this header as stored.
     *
     * @return a new array
     */
    public byte[] encode() {
        byte[] b = new byte[WalFormat.HEADER_SIZE];
        encodeTo(MemorySegment.ofArray(b), 0);
        return b;
    }

    /**
     * Writes the 32 bytes of this header at {@code offset} of {@code segment} (the inverse of {@link #read}).
     *
     * @param segment the WAL image
     * @param offset  byte offset of the header (normally 0)
     */
    public void encodeTo(MemorySegment segment, long offset) {
        segment.set(ByteSource.INT_BE, offset + WalFormat.OFF_MAGIC, magic);
        segment.set(ByteSource.INT_BE, offset + WalFormat.OFF_FORMAT_VERSION, formatVersion);
        segment.set(ByteSource.INT_BE, offset + WalFormat.OFF_PAGE_SIZE, pageSize);
        segment.set(ByteSource.INT_BE, offset + WalFormat.OFF_CHECKPOINT_SEQUENCE, checkpointSequence);
        segment.set(ByteSource.INT_BE, offset + WalFormat.OFF_SALT1, salt1);
        segment.set(ByteSource.INT_BE, offset + WalFormat.OFF_SALT2, salt2);
        segment.set(ByteSource.INT_BE, offset + WalFormat.OFF_CHECKSUM1, checksum1);
        segment.set(ByteSource.INT_BE, offset + WalFormat.OFF_CHECKSUM2, checksum2);
    }

    /**
     * SQLite's header gate, in SQLite's order: magic, page size, checksum, version.
     *
     * @return the first rule broken, or {@link Status#OK}
     */
    public Status status() {
        if ((magic & 0xFFFFFFFE) != WalFormat.MAGIC_LE) {
            return Status.BAD_MAGIC;
        }
        if (!WalFormat.isValidPageSize(Integer.toUnsignedLong(pageSize))) {
            return Status.BAD_PAGE_SIZE;
        }
        if (computeChecksum() != storedChecksum()) {
            return Status.BAD_CHECKSUM;
        }
        if (formatVersion != WalFormat.FORMAT_VERSION) {
            return Status.UNSUPPORTED_VERSION;
        }
        return Status.OK;
    }

    /**
     * Throws the precise {@link CorruptFileException} for the first rule this header breaks.
     *
     * @param file the file name for the message
     * @throws CorruptFileException naming the field, expected and found values
     */
    public void validate(String file) throws CorruptFileException {
        switch (status()) {
            case OK -> { }
            case BAD_MAGIC -> throw new CorruptFileException(file, WalFormat.OFF_MAGIC, "WAL header", "magic",
                    "0x377f0682 or 0x377f0683", hex(magic));
            case BAD_PAGE_SIZE -> throw new CorruptFileException(file, WalFormat.OFF_PAGE_SIZE, "WAL header",
                    "page size", "a power of two in 512..65536", Integer.toUnsignedString(pageSize));
            case BAD_CHECKSUM -> {
                long c = computeChecksum();
                throw new CorruptFileException(file, WalFormat.OFF_CHECKSUM1, "WAL header", "checksum",
                        hex(WalChecksum.first(c)) + "," + hex(WalChecksum.second(c)),
                        hex(checksum1) + "," + hex(checksum2));
            }
            case UNSUPPORTED_VERSION -> throw new CorruptFileException(file, WalFormat.OFF_FORMAT_VERSION,
                    "WAL header", "format version", String.valueOf(WalFormat.FORMAT_VERSION),
                    Integer.toUnsignedString(formatVersion)
                            + (formatVersion == WalFormat.FORMAT_VERSION_WAL2 ? " (wal2 branch)" : ""));
        }
    }

    static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
