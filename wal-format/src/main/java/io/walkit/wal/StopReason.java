package io.walkit.wal;

/** Why the valid prefix of a WAL ends where it does, as SQLite's recovery decides it. */
public enum StopReason {
    /** The file is empty: no WAL content. */
    EMPTY_FILE("empty file"),
    /** The file is shorter than the 32-byte header. */
    SHORT_HEADER("file shorter than the 32-byte header"),
    /** The file is exactly 32 bytes: SQLite ignores it entirely (salts and nCkpt not loaded). */
    HEADER_ONLY("header only; SQLite ignores a 32-byte WAL"),
    /** Header magic is wrong: the WAL is treated as empty. */
    BAD_MAGIC("bad header magic"),
    /** Header page size is not a power of two in 512..65536: the WAL is treated as empty. */
    BAD_PAGE_SIZE("bad header page size"),
    /** Header checksum does not match: the WAL is treated as empty. */
    BAD_HEADER_CHECKSUM("header checksum mismatch"),
    /** Header format version is not 3007000: SQLite refuses to open the database. */
    UNSUPPORTED_VERSION("unsupported WAL format version"),
    /** Every whole frame is valid and the file ends on a frame boundary. */
    END_OF_FILE("end of file"),
    /** Every whole frame is valid; a partial frame follows at the stop offset. */
    PARTIAL_FRAME("partial frame at end of file"),
    /** The frame at the stop offset carries salts other than the header's. */
    SALT_MISMATCH("frame salt mismatch"),
    /** The frame at the stop offset has page number 0. */
    ZERO_PAGE_NUMBER("frame page number is 0"),
    /** The frame at the stop offset fails the cumulative checksum. */
    CHECKSUM_MISMATCH("frame checksum mismatch");

    private final String description;

    StopReason(String description) {
        this.description = description;
    }

    /** {@return a short human description} */
    public String description() {
        return description;
    }

    /** {@return the lower-case, hyphenated name used in JSON ({@code checksum-mismatch})} */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** {@return whether the scan stopped inside the header, so no frame was read} */
    public boolean isHeaderProblem() {
        return ordinal() <= UNSUPPORTED_VERSION.ordinal();
    }

    /** {@return whether the header is damaged in a way a forensic user should be told about (not merely empty)} */
    public boolean isCorruptHeader() {
        return this == SHORT_HEADER || this == BAD_MAGIC || this == BAD_PAGE_SIZE
                || this == BAD_HEADER_CHECKSUM || this == UNSUPPORTED_VERSION;
    }
}
