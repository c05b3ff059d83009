package io.walkit.db;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalFormat;
import java.util.Arrays;

/**
 * What a file looks like from its first bytes, so that an error can say "this is a WAL, not a
 * database" instead of complaining about a field the file does not have. Only magic numbers are
 * looked at; a match says what the file claims to be, not that it is valid.
 *
 * <p>Stateless; thread-safe.
 */
public enum FileKind {
    /** Zero bytes. */
    EMPTY("an empty file"),
    /** Starts with {@code "SQLite format 3\0"}. */
    SQLITE_DATABASE("an SQLite database"),
    /** Starts with the WAL magic 0x377f0682 or 0x377f0683. */
    WAL("a WAL (-wal) file"),
    /** Two wal-index header copies with version 3007000 (the {@code -shm} file). */
    WAL_INDEX("a wal-index (-shm) file"),
    /** Starts with the rollback-journal magic. */
    ROLLBACK_JOURNAL("a rollback journal (-journal)"),
    /** An LZ4 frame (magic 0x184d2204), e.g. a Litestream v0.3 WAL segment or snapshot. */
    LZ4_FRAME("an LZ4 frame (e.g. a Litestream v0.3 segment)"),
    /** A Litestream LTX file ({@code "LTX1"}). */
    LTX("a Litestream LTX file"),
    /** A gzip stream. */
    GZIP("a gzip file"),
    /** A Zstandard frame. */
    ZSTD("a Zstandard file"),
    /** A BoltDB file (meta page magic 0xed0cdaed at offset 16). */
    BOLTDB("a BoltDB file"),
    /** Only zero bytes at the start (a zeroed or sparse file). */
    ZEROS("a file of zero bytes at its start"),
    /** None of the above. */
    UNKNOWN("of unknown type");

    private final String description;

    FileKind(String description) {
        this.description = description;
    }

    /** {@return "a WAL (-wal) file", for messages} */
    public String description() {
        return description;
    }

    private static final byte[] LZ4 = {0x04, 0x22, 0x4d, 0x18};
    private static final byte[] LTX1 = {'L', 'T', 'X', '1'};
    private static final byte[] GZ = {0x1f, (byte) 0x8b};
    private static final byte[] ZST = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] BOLT = {(byte) 0xed, (byte) 0xda, 0x0c, (byte) 0xed};
    /** wal-index version 3007000 as a little-endian u32 (x86 writes the -shm in native order). */
    private static final byte[] SHM_LE = {0x18, (byte) 0xe2, 0x2d, 0x00};
    private static final byte[] SHM_BE = {0x00, 0x2d, (byte) 0xe2, 0x18};

    /**
     * The kind of {@code file} judged from its first bytes.
     *
     * @param file the bytes to look at (never changed)
     * @return its kind ({@link #EMPTY} for 0 bytes)
     */
    public static FileKind of(ByteSource file) {
        long size = file.size();
        if (size == 0) {
            return EMPTY;
        }
        byte[] head = file.bytes(0, (int) Math.min(size, 64));
        if (starts(head, DbFormat.MAGIC)) {
            return SQLITE_DATABASE;
        }
        if (head.length >= 4) {
            int m = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
            if (m == WalFormat.MAGIC_LE || m == WalFormat.MAGIC_BE) {
                return WAL;
            }
        }
        if (starts(head, JournalHeader.MAGIC)) {
            return ROLLBACK_JOURNAL;
        }
        if ((starts(head, SHM_LE) || starts(head, SHM_BE)) && head.length >= 52
                && Arrays.equals(head, 0, 4, head, 48, 52)) {
            return WAL_INDEX;
        }
        if (starts(head, LZ4)) {
            return LZ4_FRAME;
        }
        if (starts(head, LTX1)) {
            return LTX;
        }
        if (starts(head, GZ)) {
            return GZIP;
        }
        if (starts(head, ZST)) {
            return ZSTD;
        }
        if (head.length >= 20 && Arrays.equals(head, 16, 20, BOLT, 0, 4)) {
            return BOLTDB;
        }
        for (byte b : head) {
            if (b != 0) {
                return UNKNOWN;
            }
        }
        return ZEROS;
    }

    private static boolean starts(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    /** {@return the walkit verb that reads this kind, or null ("try 'walkit wal info'")} */
    public String verb() {
        return switch (this) {
            case SQLITE_DATABASE -> "db info";
            case WAL -> "wal info";
            case WAL_INDEX -> "shm info";
            case ROLLBACK_JOURNAL -> "journal info";
            default -> null;
        };
    }

    /** {@return "looks like a WAL (-wal) file; try 'walkit wal info'" — the tail of a wrong-kind message} */
    public String looksLike() {
        String v = verb();
        return (this == EMPTY || this == UNKNOWN || this == ZEROS ? "is " : "looks like ") + description
                + (v == null ? "" : "; try 'walkit " + v + "'");
    }
}
