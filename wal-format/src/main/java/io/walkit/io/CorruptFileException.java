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

    /** The file's display name (see {@link #file()}). */
    private final String file;
    /** The byte offset of the damage (see {@link #offset()}). */
    private final long offset;
    /** The on-disk structure (see {@link #structure()}). */
    private final String structure;
    /** The field within the structure (see {@link #field()}). */
    private final String field;
    /** What the format requires there (see {@link #expected()}). */
    private final String expected;
    /** What the file holds there (see {@link #found()}). */
    private final String found;

    /**
     * An impossibility at {@code offset} of {@code file}.
     *
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

    /**
     * Formats the canonical message.
     *
     * @param file      the file's display name
     * @param offset    byte offset from the start of the file
     * @param structure the on-disk structure
     * @param field     the field within it
     * @param expected  what a valid file has there
     * @param found     what this file has there
     * @return {@code STRUCTURE: FIELD must be EXPECTED, found FOUND (file=FILE, offset=0x.. (..))}
     */
    public static String format(String file, long offset, String structure, String field, String expected, String found) {
        return structure + ": " + field + " must be " + expected + ", found " + found
                + " (file=" + file + ", offset=" + offsetText(offset) + ")";
    }

    /**
     * An offset in hex and decimal.
     *
     * @param offset bytes
     * @return e.g. {@code 0x1f (31)}
     */
    public static String offsetText(long offset) {
        return "0x" + Long.toHexString(offset) + " (" + offset + ")";
    }

    /**
     * The file's display name.
     *
     * @return the path as given, or {@code "?"} when unknown
     */
    public String file() { return file; }

    /**
     * Where the offending field starts.
     *
     * @return bytes from the start of the file
     */
    public long offset() { return offset; }

    /**
     * The on-disk structure.
     *
     * @return e.g. {@code WAL header}
     */
    public String structure() { return structure; }

    /**
     * The field within the structure.
     *
     * @return e.g. {@code page size}
     */
    public String field() { return field; }

    /**
     * What a valid file has there.
     *
     * @return e.g. {@code a power of two in 512..65536}
     */
    public String expected() { return expected; }

    /**
     * What this file has there.
     *
     * @return e.g. {@code 1000}
     */
    public String found() { return found; }
}
