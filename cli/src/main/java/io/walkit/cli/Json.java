package io.walkit.cli;

import io.walkit.io.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal JSON writer for walkit's reports: ordered objects, arrays, strings, numbers,
 * booleans and null. Field names used by reports are part of walkit's stable interface.
 */
public final class Json {

    /** Creates an empty writer; not thread-safe (one writer per report). */
    public Json() {}

    private final StringBuilder sb = new StringBuilder();
    private final List<Boolean> first = new ArrayList<>();
    private boolean pendingName;

    /** {@return this writer, after opening an object} */
    public Json beginObject() {
        value();
        sb.append('{');
        first.add(Boolean.TRUE);
        return this;
    }

    /** {@return this writer, after closing the innermost open object} */
    public Json endObject() {
        first.removeLast();
        sb.append('}');
        return this;
    }

    /** {@return this writer, after opening an array} */
    public Json beginArray() {
        value();
        sb.append('[');
        first.add(Boolean.TRUE);
        return this;
    }

    /** {@return this writer, after closing the innermost open array} */
    public Json endArray() {
        first.removeLast();
        sb.append(']');
        return this;
    }

    /**
     * Writes an object member's name; the next value written is its value.
     *
     * @param name the member name (escaped as a JSON string)
     * @return this writer
     */
    public Json name(String name) {
        separator();
        string(name);
        sb.append(':');
        pendingName = true;
        return this;
    }

    /**
     * Writes a string value, escaped.
     *
     * @param s the string, or {@code null} for a JSON null
     * @return this writer
     */
    public Json value(String s) {
        value();
        if (s == null) {
            sb.append("null");
        } else {
            string(s);
        }
        return this;
    }

    /**
     * Writes an integer value.
     *
     * @param v the number
     * @return this writer
     */
    public Json value(long v) {
        value();
        sb.append(v);
        return this;
    }

    /**
     * Writes a number; ±Infinity as {@code 1e999}/{@code -1e999} (as sqlite3), NaN as null.
     *
     * @param v the number
     * @return this writer
     */
    public Json value(double v) {
        value();
        if (Double.isFinite(v)) {
            sb.append(v);
        } else if (Double.isNaN(v)) {
            sb.append("null");
        } else {
            // As sqlite3 -json writes ±Infinity: a number that overflows to ±Infinity when parsed.
            sb.append(v > 0 ? "1e999" : "-1e999");
        }
        return this;
    }

    /**
     * Writes a boolean value.
     *
     * @param v the value
     * @return this writer
     */
    public Json value(boolean v) {
        value();
        sb.append(v);
        return this;
    }

    /** {@return this writer, after writing a JSON null} */
    public Json nullValue() {
        value();
        sb.append("null");
        return this;
    }

    /**
     * Writes an object member.
     *
     * @param name the member name
     * @param v the string, or {@code null} for a JSON null
     * @return this writer
     */
    public Json field(String name, String v) { return name(name).value(v); }

    /**
     * Writes an object member.
     *
     * @param name the member name
     * @param v the number
     * @return this writer
     */
    public Json field(String name, long v) { return name(name).value(v); }

    /**
     * Writes an object member.
     *
     * @param name the member name
     * @param v the value
     * @return this writer
     */
    public Json field(String name, boolean v) { return name(name).value(v); }

    /**
     * Writes an object member.
     *
     * @param name the member name
     * @param v the number (see {@link #value(double)})
     * @return this writer
     */
    public Json field(String name, double v) { return name(name).value(v); }

    /**
     * Writes one {@link Problem} as an object, the one JSON shape of a problem in every report:
     * {@code severity}, {@code code}, {@code structure}, {@code field}, {@code expected}, {@code found},
     * {@code file}, {@code position} ({@code {"kind": "page"|"in-page"|"file-offset"|"frame"|"backup"|"txid", ...}}),
     * {@code message} (the derived sentence without the structure) and {@code detail}. Absent
     * components are omitted.
     *
     * @param p the problem
     * @return this writer
     */
    public Json problem(Problem p) {
        return beginProblem(p).endObject();
    }

    /**
     * Writes the fields of {@link #problem(Problem)} and leaves the object open, for a verb that
     * adds its own fields (e.g. {@code lastGood} in {@code litestream verify}); the caller ends it.
     *
     * @param p the problem
     * @return this writer, inside the open problem object
     */
    public Json beginProblem(Problem p) {
        beginObject().field("severity", p.severity().jsonName()).field("code", p.code().id());
        optional("structure", p.structure());
        optional("field", p.field());
        optional("expected", p.expected());
        optional("found", p.found());
        optional("file", p.file());
        if (p.position() != null) {
            name("position").beginObject();
            switch (p.position()) {
                case Problem.Position.Page x -> field("kind", "page").field("pageNumber", x.pageNumber());
                case Problem.Position.InPage x -> field("kind", "in-page").field("pageNumber", x.pageNumber())
                        .field("offsetInPage", x.offsetInPage());
                case Problem.Position.FileOffset x -> field("kind", "file-offset").field("offset", x.offset());
                case Problem.Position.Frame x -> field("kind", "frame").field("frameNumber", x.frameNumber());
                case Problem.Position.BackupPosition x -> field("kind", "backup").field("generation", x.generation())
                        .field("index", x.index()).field("offset", x.offset());
                case Problem.Position.Txid x -> field("kind", "txid").field("txid", String.format("0x%016x", x.txid()));
            }
            endObject();
        }
        field("message", p.message());
        optional("detail", p.detail());
        return this;
    }

    private void optional(String name, String v) {
        if (v != null) {
            field(name, v);
        }
    }

    private void value() {
        if (pendingName) {
            pendingName = false;
            return;
        }
        separator();
    }

    private void separator() {
        if (!first.isEmpty()) {
            if (first.getLast()) {
                first.set(first.size() - 1, Boolean.FALSE);
            } else {
                sb.append(',');
            }
        }
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
