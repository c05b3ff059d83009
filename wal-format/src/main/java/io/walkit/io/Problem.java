package io.walkit.io;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing a check found wrong, odd or worth knowing in an on-disk file: walkit's single problem
 * type, used by the database integrity check, the schema check, the wal-index cross-check, shadow
 * WAL verification and every CLI report of them.
 *
 * <p>A problem is data: a {@link Severity}, a {@link Code} (each check has its own enum of codes;
 * decisions are made on the code, never on text), the file, a {@link Position} in it, and the
 * structure, field, expected and found values in the shape of {@link CorruptFileException}, plus
 * optional detail text. The display text ({@link #message()}, {@link #text()}, {@link #toString()})
 * is derived from these components by the code and is never parsed back.
 *
 * <p>Immutable and thread-safe. Every component but {@code severity} and {@code code} may be
 * {@code null} when it does not apply (never a placeholder such as {@code -1} or {@code ""}).
 *
 * @param severity  how bad it is
 * @param code      what kind of problem it is (stable identifier {@link Code#id()})
 * @param file      the file's display name (path as given), or {@code null} when the check did not know it
 * @param position  where in the file, or {@code null} when the problem is not tied to one place
 * @param structure the on-disk structure, in SQLite's words ("WAL header", "Tree 2 page 5 cell 3"), or {@code null}
 * @param field     the field within the structure ("nBackfill", "key=5"), or {@code null}
 * @param expected  what a valid file has there, or {@code null}
 * @param found     what this file has there, or {@code null}
 * @param detail    walkit's own explanation beyond the other components, or {@code null}
 */
public record Problem(Severity severity, Code code, String file, Position position, String structure,
                      String field, String expected, String found, String detail) {

    /** Checks that severity and code are present and turns empty strings into {@code null}. */
    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        file = emptyToNull(file);
        structure = emptyToNull(structure);
        field = emptyToNull(field);
        expected = emptyToNull(expected);
        found = emptyToNull(found);
        detail = emptyToNull(detail);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * The problem a {@link CorruptFileException} describes: an error with the exception's file,
     * offset, structure, field, expected and found values.
     *
     * @param code the code to file it under
     * @param e    the exception
     * @return the problem
     */
    public static Problem of(Code code, CorruptFileException e) {
        return new Problem(Severity.ERROR, code, e.file(), new Position.FileOffset(e.offset()), e.structure(), e.field(),
                e.expected(), e.found(), null);
    }

    /**
     * This problem with the file name set (checks that read through a source without a name fill it in later).
     *
     * @param fileName the file's display name
     * @return a copy naming {@code fileName}
     */
    public Problem withFile(String fileName) {
        return new Problem(severity, code, fileName, position, structure, field, expected, found, detail);
    }

    /**
     * The sentence without the structure prefix, as the code phrases it (for SQLite-compatible
     * checks, SQLite's own wording).
     *
     * @return derived display text
     */
    public String message() {
        return code.describe(this);
    }

    /**
     * The structure prefix and the message, {@code "Tree 2 page 5 cell 3: Rowid 8 out of order"}: for
     * the integrity check exactly the line {@code PRAGMA integrity_check} prints.
     *
     * @return derived display text
     */
    public String text() {
        return structure == null ? message() : structure + ": " + message();
    }

    /** The text with file, position and detail: {@code ... (file=app.db-wal, offset=0x8 (8))}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(severity.jsonName()).append(' ').append(code.id()).append(": ").append(text());
        if (detail != null && !code.describesDetail()) {
            sb.append(" (").append(detail).append(')');
        }
        if (file != null || position != null) {
            sb.append(" (");
            if (file != null) {
                sb.append("file=").append(file);
            }
            if (position != null) {
                sb.append(file != null ? ", " : "").append(position);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** How bad a problem is. */
    public enum Severity {
        /** The file is damaged or a guarantee is broken. */
        ERROR,
        /** Unusual but not damage by itself; may lead to damage or data loss. */
        WARNING,
        /** A fact worth knowing (e.g. a recovery will run). */
        INFO;

        /**
         * The lower-case name used in JSON and text output.
         *
         * @return {@code "error"}, {@code "warning"} or {@code "info"}
         */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The kind of a problem. Each check declares an enum implementing this interface; callers
     * decide on the enum constant (or {@link #id()}), never on the derived text.
     */
    public interface Code {
        /**
         * A stable, lower-case, hyphenated identifier ({@code salt-mismatch}), used in JSON output.
         *
         * @return the identifier
         */
        String id();

        /**
         * The message for a problem with this code, derived from its components. The default is
         * {@code FIELD must be EXPECTED, found FOUND} (or {@code FIELD is FOUND}) followed by the
         * detail, or the detail alone.
         *
         * @param p a problem with this code
         * @return the sentence, without the structure prefix
         */
        default String describe(Problem p) {
            StringBuilder sb = new StringBuilder();
            if (p.field() != null) {
                sb.append(p.field());
                if (p.expected() != null) {
                    sb.append(" must be ").append(p.expected()).append(", found ").append(p.found());
                } else if (p.found() != null) {
                    sb.append(" is ").append(p.found());
                }
            }
            if (p.detail() != null) {
                sb.append(sb.isEmpty() ? "" : ": ").append(p.detail());
            }
            return sb.isEmpty() ? id() : sb.toString();
        }

        /**
         * Whether {@link #describe} already includes the detail (true for the default), so that
         * {@link Problem#toString()} does not repeat it.
         *
         * @return true if the message carries the detail
         */
        default boolean describesDetail() {
            return true;
        }
    }

    /** Where in a file a problem lies. Immutable. */
    public sealed interface Position {

        /**
         * A byte offset from the start of the file.
         *
         * @param offset bytes from the file start
         */
        record FileOffset(long offset) implements Position {
            /** {@code offset=0x8 (8)}. */
            @Override
            public String toString() {
                return "offset=" + CorruptFileException.offsetText(offset);
            }
        }

        /**
         * A database page, as a whole.
         *
         * @param pageNumber 1-based page number
         */
        record Page(long pageNumber) implements Position {
            /** {@code page=5}. */
            @Override
            public String toString() {
                return "page=" + pageNumber;
            }
        }

        /**
         * A byte within a database page.
         *
         * @param pageNumber   1-based page number
         * @param offsetInPage bytes from the start of the page
         */
        record InPage(long pageNumber, int offsetInPage) implements Position {
            /** {@code page=5, offset in page=0x64 (100)}. */
            @Override
            public String toString() {
                return "page=" + pageNumber + ", offset in page=" + CorruptFileException.offsetText(offsetInPage);
            }
        }

        /**
         * A WAL frame.
         *
         * @param frameNumber 1-based frame number
         */
        record Frame(long frameNumber) implements Position {
            /** {@code frame=12}. */
            @Override
            public String toString() {
                return "frame=" + frameNumber;
            }
        }

        /**
         * A position in a Litestream backup: generation, WAL segment index and byte offset within it.
         *
         * @param generation the generation id (16 hex digits in Litestream v0.3)
         * @param index      the WAL index within the generation
         * @param offset     the byte offset within that WAL
         */
        record BackupPosition(String generation, long index, long offset) implements Position {
            /** Checks that the generation is present. */
            public BackupPosition {
                Objects.requireNonNull(generation, "generation");
            }

            /** {@code generation=…, index=…, offset=…}. */
            @Override
            public String toString() {
                return "generation=" + generation + ", index=" + index + ", offset=" + CorruptFileException.offsetText(offset);
            }
        }

        /**
         * A transaction id (Litestream v0.5 / LTX).
         *
         * @param txid the TXID
         */
        record Txid(long txid) implements Position {
            /** {@code txid=0x…}. */
            @Override
            public String toString() {
                return "txid=" + String.format("0x%016x", txid);
            }
        }

        /**
         * The page number this position names, if any.
         *
         * @return the 1-based page number, or 0 when the position is not a page
         */
        default long pageNumber() {
            return switch (this) {
                case Page p -> p.pageNumber();
                case InPage p -> p.pageNumber();
                default -> 0;
            };
        }
    }
}
