package io.walkit.io;

import java.io.IOException;
import java.util.Objects;

/**
 * A structural impossibility in an on-disk file: something no valid writer produces and no reader
 * can interpret, reported with the file, the byte offset, the structure and field, and what was
 * expected versus found.
 *
 * <p>Message shape, shared by every reader in walkit:
 * {@code WAL header: page size must be a power of two in 512..65536, found 1000 (file=app.db-wal, offset=0x8 (8))}.
 *
 * <p>"The end of the valid log" is never this exception: scanners return it as a result.
 */
public class CorruptFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final String structure;
    private final String field;
    private final String expected;
    private final String found;

    /**
     * @param file      the file's display name (path as given)
     * @param offset    byte offset from the start of the file of the offending field
     * @param structure the on-disk structure, in SQLite's words ("WAL header", "b-tree page 7")
     * @param field     the field within it ("page size")
     * @param expected  what a valid file has there ("a power of two in 512..65536")
     * @param found     what this file has there ("1000")
     */
    public CorruptFileException(String file, long offset, String structure, String field, String expected, String found) {
        super(format(file, offset, structure, field, expected, found));
        this.file = Objects.requireNonNullElse(file, "?");
        this.offset = offset;
        this.structure = structure;
        this.field = field;
        this.expected = expected;
        this.found = found;
    }

    /** Formats the canonical message. */
    public static String format(String file, long offset, String structure, String field, String expected, String found) {
        return structure + ": " + field + " must be " + expected + ", found " + found
                + " (file=" + file + ", offset=" + offsetText(offset) + ")";
    }

    /** {@code 0x1f (31)}: an offset in hex and decimal. */
    public static String offsetText(long offset) {
        return "0x" + Long.toHexString(offset) + " (" + offset + ")";
    }

    public String file() { return file; }

    public long offset() { return offset; }

    public String structure() { return structure; }

    public String field() { return field; }

    public String expected() { return expected; }

    public String found() { return found; }
}
