package io.walkit.bench;

import io.walkit.db.Database;
import io.walkit.db.TableReader;
import io.walkit.io.CorruptFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Inputs and the measured operations of the table-scan benchmarks, shared by the JMH classes,
 * {@link DbScanMain} and the smoke test so that all of them time and check the same code.
 */
final class DbFiles {

    private DbFiles() {}

    /**
     * @param file     a database path, or empty for a {@link SyntheticDb}
     * @param rows     synthetic row count (ignored for an explicit file)
     * @param pageSize synthetic page size (ignored for an explicit file)
     */
    static Path resolve(String file, String rows, String pageSize) throws IOException {
        if (file != null && !file.isEmpty()) {
            return Path.of(file);
        }
        return SyntheticDb.cached(Long.parseLong(rows), Integer.parseInt(pageSize));
    }

    /** Opens the table, failing clearly when it has no b-tree. */
    static TableReader table(Database db, String name) throws CorruptFileException {
        TableReader t = TableReader.open(db, name);
        if (t == null) {
            throw new IllegalArgumentException("no table " + name + " in " + db.name());
        }
        return t;
    }

    /**
     * Streams the table through its raw records and reads every column's value without allocating:
     * integers and reals decoded, text and blob lengths from the record header (what SQLite's
     * {@code SELECT count(*), sum(id), sum(k), sum(length(v))} reads). {@code out} receives rows,
     * the wrapping sum of integer values (rowid for the rowid alias), the sum of text/blob lengths and
     * the sum of real values' bits.
     */
    static void decodeRecords(Database db, TableReader t, long[] out) throws CorruptFileException {
        int alias = t.info().rowidAlias();
        long[] acc = new long[4];
        Database.RowVisitor v = (rowid, r) -> {
            acc[0]++;
            int n = r.columnCount();
            for (int i = 0; i < n; i++) {
                if (i == alias) {
                    acc[1] += rowid;
                    continue;
                }
                long type = r.serialType(i);
                if (type >= 12) {
                    acc[2] += r.bodyOffset(i + 1) - r.bodyOffset(i);
                } else if (type == 7) {
                    acc[3] += Double.doubleToRawLongBits(r.getDouble(i));
                } else {
                    acc[1] += r.getLong(i);
                }
            }
            return true;
        };
        db.scanTable(t.entry().rootPage(), v);
        System.arraycopy(acc, 0, out, 0, 4);
    }

    /**
     * {@code SELECT *}: every row as Java values ({@link TableReader#scan}: Long, Double, String,
     * byte[] copies of every blob). {@code out} as in {@link #decodeRecords}.
     */
    static void selectStar(TableReader t, long[] out) throws CorruptFileException {
        long[] acc = new long[4];
        t.scan((rowid, values) -> {
            acc[0]++;
            for (Object o : values) {
                switch (o) {
                    case Long l -> acc[1] += l;
                    case Double d -> acc[3] += Double.doubleToRawLongBits(d);
                    case byte[] b -> acc[2] += b.length;
                    case String s -> acc[2] += s.length();
                    case null, default -> { }
                }
            }
            return true;
        });
        System.arraycopy(acc, 0, out, 0, 4);
    }

    /**
     * The SHA3-256 that the sqlite3 CLI's {@code sha3_query(sql)} computes over the rows of
     * {@code sql} = {@code SELECT * FROM name}: "S&lt;len&gt;:" and the SQL text, then per row "R" and per
     * value "N", "I"+8 bytes big-endian, "F"+8 bytes of the double, "T&lt;len&gt;:"+UTF-8 bytes or
     * "B&lt;len&gt;:"+bytes. Equal digests mean every decoded value equals SQLite's.
     */
    static String sha3SelectStar(TableReader t, String sql) throws CorruptFileException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA3-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        md.update(("S" + q.length + ":").getBytes(StandardCharsets.US_ASCII));
        md.update(q);
        ByteBuffer eight = ByteBuffer.allocate(8);
        t.scan((rowid, values) -> {
            md.update((byte) 'R');
            for (Object o : values) {
                switch (o) {
                    case null -> md.update((byte) 'N');
                    case Long l -> {
                        md.update((byte) 'I');
                        md.update(eight.clear().putLong(l).array());
                    }
                    case Double d -> {
                        md.update((byte) 'F');
                        md.update(eight.clear().putLong(Double.doubleToRawLongBits(d)).array());
                    }
                    case String s -> {
                        byte[] b = s.getBytes(StandardCharsets.UTF_8);
                        md.update(("T" + b.length + ":").getBytes(StandardCharsets.US_ASCII));
                        md.update(b);
                    }
                    case byte[] b -> {
                        md.update(("B" + b.length + ":").getBytes(StandardCharsets.US_ASCII));
                        md.update(b);
                    }
                    default -> throw new IllegalStateException("unexpected value " + o.getClass());
                }
            }
            return true;
        });
        StringBuilder sb = new StringBuilder();
        for (byte b : md.digest()) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

}
