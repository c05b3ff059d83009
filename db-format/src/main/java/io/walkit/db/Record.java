package io.walkit.db;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A decoded record (SQLite's record format, {@code OP_Column} / {@code sqlite3VdbeSerialGet}),
 * reused across rows: {@link #parse} reads only the header; values are decoded on request.
 *
 * <pre>
 * varint      header size H (counts itself)
 * varint * n  serial types, one per column
 * body        values back to back, starting at offset H
 *
 * serial type | body bytes | value
 * 0           | 0          | NULL
 * 1..4        | 1,2,3,4    | big-endian two's-complement integer
 * 5           | 6          | 48-bit integer
 * 6           | 8          | 64-bit integer
 * 7           | 8          | big-endian IEEE-754 double (NaN reads as NULL)
 * 8, 9        | 0          | the integers 0 and 1 (schema format ≥ 4)
 * 10, 11      | 0          | reserved, read as NULL
 * N ≥ 12 even | (N−12)/2   | BLOB
 * N ≥ 13 odd  | (N−13)/2   | TEXT in the database encoding
 * </pre>
 *
 * <p>Bounds: parsing is linear in the header size; the number of columns is at most the header
 * size, itself at most the payload size.
 *
 * <p>Not thread-safe: one mutable decoder, reused row after row. It owns nothing; the segment it
 * reads belongs to the caller and must stay valid while values are read. Accessors taking a column
 * index {@code i} expect 0..{@link #columnCount()}−1 of the last successful {@link #parse} (except
 * {@link #value(int)}, which gives NULL beyond it); they do not check it, and another index gives
 * stale values of an earlier record or an {@link IndexOutOfBoundsException}.
 */
public final class Record {

    private final Charset charset;
    private MemorySegment seg;
    private long base;
    private long length;
    private int columns;
    private long[] types = new long[16];
    private long[] offsets = new long[17];

    /**
     * A reusable record decoder for text in {@code charset}.
     *
     * @param charset the charset TEXT values are decoded with
     */
    public Record(Charset charset) {
        this.charset = charset;
    }

    /**
     * A reusable decoder for the header text encoding 1 (UTF-8), 2 (UTF-16le) or 3 (UTF-16be).
     *
     * @param encoding the text encoding field of the database header (offset 56)
     * @return a new decoder
     */
    public static Record forEncoding(long encoding) {
        return new Record(charsetOf(encoding));
    }

    /**
     * The charset of header text encoding {@code encoding} (SQLite uses {@code enc & 3}, 0 meaning UTF-8).
     *
     * @param encoding the text encoding field of the database header (offset 56)
     * @return UTF-8, UTF-16LE or UTF-16BE
     */
    public static Charset charsetOf(long encoding) {
        return switch ((int) (encoding & 3)) {
            case 2 -> StandardCharsets.UTF_16LE;
            case 3 -> StandardCharsets.UTF_16BE;
            default -> StandardCharsets.UTF_8;
        };
    }

    /**
     * Parses the header of the {@code length}-byte record at {@code offset} of {@code seg}.
     *
     * @param seg    the segment holding the whole record (a page, or an assembled payload)
     * @param offset the byte offset of the record in {@code seg}
     * @param length the record's size in bytes (the cell's payload size)
     * @return {@code null} when the record is well formed, else what is wrong (SQLite reports such a
     *         record as corrupt when a column is read)
     */
    public String parse(MemorySegment seg, long offset, long length) {
        this.seg = seg;
        this.base = offset;
        this.length = length;
        this.columns = 0;
        if (length == 0) {
            return null;
        }
        long headerSize = Varint.read(seg, offset, offset + length);
        long p = Varint.size(seg, offset, offset + length);
        if (headerSize == 0) {
            // SQLite: a zero header size means no columns (OP_Column special case).
            return null;
        }
        if (headerSize > length || headerSize < p) {
            return "record header size " + headerSize + " outside " + p + ".." + length;
        }
        long body = headerSize;
        offsets[0] = body;
        while (p < headerSize) {
            long t = seg.get(ValueLayout.JAVA_BYTE, offset + p) & 0xFF;
            if (t < 0x80) {
                p++;
            } else {
                t = Varint.read(seg, offset + p, offset + headerSize);
                p += Varint.size(seg, offset + p, offset + headerSize);
            }
            if (columns == types.length) {
                types = Arrays.copyOf(types, columns * 2);
                offsets = Arrays.copyOf(offsets, columns * 2 + 1);
            }
            types[columns] = t;
            body += bodySize(t);
            offsets[++columns] = body;
            if (body > length) {
                return "record body of column " + columns + " ends at " + body + " beyond the payload size " + length;
            }
        }
        if (p > headerSize) {
            return "record header runs past its declared size " + headerSize;
        }
        if (body != length) {
            return "record body size " + body + " differs from the payload size " + length;
        }
        return null;
    }

    /**
     * Encodes {@code values} as a record (the encoder beside {@link #parse}): header size, serial
     * types, body; integers in the fewest bytes (types 8 and 9 for 0 and 1, schema format 4), text
     * in UTF-8. Values are {@code null}, {@link Long}, {@link Integer}, {@link Double}, {@link String}
     * or {@code byte[]}.
     *
     * @param values the column values
     * @return the record's bytes
     * @throws IllegalArgumentException for a value of another type
     */
    public static byte[] encode(Object[] values) {
        long[] types = new long[values.length];
        byte[][] texts = new byte[values.length][];
        long headerBody = 0;
        long body = 0;
        for (int i = 0; i < values.length; i++) {
            Object v = values[i] instanceof Integer n ? Long.valueOf(n) : values[i];
            long t = switch (v) {
                case null -> 0;
                case Long l -> integerType(l);
                case Double d -> 7;
                case String s -> {
                    texts[i] = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    yield 13 + 2L * texts[i].length;
                }
                case byte[] b -> 12 + 2L * b.length;
                default -> throw new IllegalArgumentException("value of type " + v.getClass().getName());
            };
            types[i] = t;
            headerBody += Varint.encodedSize(t);
            body += bodySize(t);
        }
        int hsSize = 1;
        while (Varint.encodedSize(headerBody + hsSize) > hsSize) {
            hsSize++;
        }
        long hs = headerBody + hsSize;
        long total = hs + body;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("record of " + total + " bytes");
        }
        byte[] out = new byte[(int) total];
        int p = Varint.write(hs, out, 0);
        for (long t : types) {
            p += Varint.write(t, out, p);
        }
        for (int i = 0; i < values.length; i++) {
            Object v = values[i] instanceof Integer n ? Long.valueOf(n) : values[i];
            long t = types[i];
            if (t >= 1 && t <= 6) {
                long l = (Long) v;
                int n = (int) bodySize(t);
                for (int k = n - 1; k >= 0; k--) {
                    out[p + k] = (byte) l;
                    l >>= 8;
                }
                p += n;
            } else if (t == 7) {
                long bits = Double.doubleToRawLongBits((Double) v);
                for (int k = 7; k >= 0; k--) {
                    out[p + k] = (byte) bits;
                    bits >>>= 8;
                }
                p += 8;
            } else if (t >= 12) {
                byte[] b = (t & 1) == 1 ? texts[i] : (byte[]) v;
                System.arraycopy(b, 0, out, p, b.length);
                p += b.length;
            }
        }
        return out;
    }

    private static long integerType(long l) {
        if (l == 0) {
            return 8;
        }
        if (l == 1) {
            return 9;
        }
        if (l >= -128 && l <= 127) {
            return 1;
        }
        if (l >= -32768 && l <= 32767) {
            return 2;
        }
        if (l >= -8388608 && l <= 8388607) {
            return 3;
        }
        if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return 4;
        }
        if (l >= -(1L << 47) && l < (1L << 47)) {
            return 5;
        }
        return 6;
    }

    /**
     * Body bytes of serial type {@code t} (SQLite: {@code sqlite3VdbeSerialTypeLen}).
     *
     * @param t the serial type (non-negative)
     * @return the number of body bytes the value occupies
     */
    public static long bodySize(long t) {
        if (t >= 12) {
            return (t - 12) >>> 1;
        }
        return switch ((int) t) {
            case 1 -> 1;
            case 2 -> 2;
            case 3 -> 3;
            case 4 -> 4;
            case 5 -> 6;
            case 6, 7 -> 8;
            default -> 0;
        };
    }

    /** {@return the number of columns in the record (serial types in its header)} */
    public int columnCount() { return columns; }

    /**
     * Serial type of column {@code i}.
     *
     * @param i the 0-based column index
     * @return the serial type
     */
    public long serialType(int i) { return types[i]; }

    /**
     * Whether column {@code i} reads as NULL: serial type 0, the reserved 10 and 11, or a NaN real.
     *
     * @param i the 0-based column index
     * @return whether it is NULL
     */
    public boolean isNull(int i) {
        long t = types[i];
        return t == 0 || t == 10 || t == 11 || (t == 7 && Double.isNaN(readDouble(i)));
    }

    /**
     * Whether column {@code i} is an integer (serial types 1..6, 8, 9).
     *
     * @param i the 0-based column index
     * @return whether it is an integer
     */
    public boolean isInteger(int i) {
        long t = types[i];
        return (t >= 1 && t <= 6) || t == 8 || t == 9;
    }

    /**
     * Whether column {@code i} is a real (serial type 7, not NaN).
     *
     * @param i the 0-based column index
     * @return whether it is a real
     */
    public boolean isReal(int i) { return types[i] == 7 && !Double.isNaN(readDouble(i)); }

    /**
     * Whether column {@code i} is TEXT (odd serial type ≥ 13).
     *
     * @param i the 0-based column index
     * @return whether it is text
     */
    public boolean isText(int i) { return types[i] >= 13 && (types[i] & 1) == 1; }

    /**
     * Whether column {@code i} is a BLOB (even serial type ≥ 12).
     *
     * @param i the 0-based column index
     * @return whether it is a blob
     */
    public boolean isBlob(int i) { return types[i] >= 12 && (types[i] & 1) == 0; }

    /**
     * Integer value of column {@code i} (0 for non-integers).
     *
     * @param i the 0-based column index
     * @return the integer, sign-extended from its stored width
     */
    public long getLong(int i) {
        long t = types[i];
        long o = base + offsets[i];
        return switch ((int) Math.min(t, 12)) {
            case 1 -> seg.get(ValueLayout.JAVA_BYTE, o);
            case 2 -> (short) ((u8(o) << 8) | u8(o + 1));
            case 3 -> ((long) (byte) u8(o) << 16) | (u8(o + 1) << 8) | u8(o + 2);
            case 4 -> seg.get(io.walkit.io.ByteSource.INT_BE, o);
            case 5 -> ((long) (short) ((u8(o) << 8) | u8(o + 1)) << 32) | (seg.get(io.walkit.io.ByteSource.INT_BE, o + 2) & 0xFFFF_FFFFL);
            case 6 -> seg.get(io.walkit.io.ByteSource.LONG_BE, o);
            case 9 -> 1;
            default -> 0;
        };
    }

    /**
     * Real value of column {@code i} (integers converted; NaN for non-numbers).
     *
     * @param i the 0-based column index
     * @return the value as a double
     */
    public double getDouble(int i) {
        if (types[i] == 7) {
            return readDouble(i);
        }
        return isInteger(i) ? getLong(i) : Double.NaN;
    }

    private double readDouble(int i) {
        return Double.longBitsToDouble(seg.get(io.walkit.io.ByteSource.LONG_BE, base + offsets[i]));
    }

    /**
     * Text of column {@code i} decoded in the database encoding (malformed sequences become
     * U+FFFD, as {@link String#String(byte[], Charset)} does).
     *
     * @param i the 0-based column index (any type: the body bytes are decoded)
     * @return the text, empty for a zero-length body
     */
    public String getText(int i) {
        long o = base + offsets[i];
        int n = (int) (offsets[i + 1] - offsets[i]);
        if (n == 0) {
            return "";
        }
        byte[] b = new byte[n];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, o, b, 0, n);
        return new String(b, charset);
    }

    /**
     * Raw bytes of column {@code i} (blob or text).
     *
     * @param i the 0-based column index
     * @return a copy of the body bytes
     */
    public byte[] getBytes(int i) {
        long o = base + offsets[i];
        int n = (int) (offsets[i + 1] - offsets[i]);
        return seg.asSlice(o, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** {@return the record's size in bytes (the payload size)} */
    public long length() { return length; }

    /**
     * Body offset of column {@code i} relative to the record start.
     *
     * @param i the 0-based column index
     * @return the byte offset of its value from the record start
     */
    public long bodyOffset(int i) { return offsets[i]; }

    /**
     * Column {@code i} as a Java value: {@code null}, {@link Long}, {@link Double}, {@link String} or
     * {@code byte[]}; columns beyond {@link #columnCount()} are {@code null}.
     *
     * @param i the 0-based column index (non-negative)
     * @return the value
     */
    public Object value(int i) {
        if (i >= columns) {
            return null;
        }
        long t = types[i];
        if (t == 0 || t == 10 || t == 11) {
            return null;
        }
        if (t == 7) {
            double d = readDouble(i);
            return Double.isNaN(d) ? null : d;
        }
        if (t <= 9) {
            return getLong(i);
        }
        return (t & 1) == 1 ? getText(i) : getBytes(i);
    }

    /** {@return all columns as Java values, as {@link #value(int)} gives them (a fresh array)} */
    public Object[] values() {
        Object[] out = new Object[columns];
        for (int i = 0; i < columns; i++) {
            out[i] = value(i);
        }
        return out;
    }

    /** {@return the charset text is decoded with} */
    public Charset charset() { return charset; }

    private int u8(long o) {
        return seg.get(ValueLayout.JAVA_BYTE, o) & 0xFF;
    }

}
