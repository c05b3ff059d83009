package io.walkit.sim;

import io.walkit.db.Affinity;
import io.walkit.db.Column;
import io.walkit.db.Database;
import io.walkit.db.FilePageSource;
import io.walkit.db.Schema;
import io.walkit.db.SchemaEntry;
import io.walkit.db.TableReader;
import io.walkit.io.CorruptFileException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The content digest of a database image, byte for byte what the {@code sqlite3} shell's
 * {@code .sha3sum} prints (default options: SHA3-224, user tables only, no schema; or another size
 * as with {@code .sha3sum --sha3-256}), so a harness in any language can compare a replica with
 * the model's expected database by running {@code sqlite3 replica.db .sha3sum}.
 *
 * <p>The digest is SQLite's {@code sha3_query} over one statement per table, run in sequence:
 * tables are the schema's {@code type='table'} rows with a b-tree ({@code rootpage > 1}) whose
 * name does not start with {@code sqlite_}, taken as {@code lower(name)} and ordered
 * case-insensitively; each contributes {@code SELECT * FROM "name" NOT INDEXED;} (the trailing
 * semicolon included). The hashed stream is, per statement, {@code S<n>:<sql>} (n = the
 * statement's UTF-8 length in decimal), then per row {@code R} followed by one segment per column:
 * {@code N} (NULL), {@code I} + 8-byte big-endian two's complement (INTEGER), {@code F} + 8-byte
 * big-endian IEEE 754 (REAL), {@code T<n>:} + UTF-8 bytes (TEXT), {@code B<n>:} + bytes (BLOB).
 * (shathree.c's comment says little-endian; its code writes the most significant byte first.)
 * Column values are those {@code SELECT *} returns: the rowid for an INTEGER PRIMARY KEY column,
 * integers stored for a REAL-affinity column read back as REAL, missing trailing fields as the
 * column default.
 *
 * <p>Stateless; thread-safe.
 */
public final class ContentDigest {

    private ContentDigest() {}

    /**
     * The {@code .sha3sum} digest (SHA3-224: 56 lowercase hex digits) of the database in
     * {@code image}, or empty when the image is not a database walkit can read (e.g. the
     * simulator's synthetic pages).
     *
     * @param image the database file's bytes
     * @param name  the file name used in error messages
     * @return lowercase hex, or empty when the image does not decode as a database
     */
    public static Optional<String> sha3sum(byte[] image, String name) {
        return sha3sum(image, name, 224);
    }

    /**
     * The digest of {@code .sha3sum --sha3-BITS} ({@code bits} 224, 256, 384 or 512), or empty
     * when the image is not a database walkit can read.
     *
     * @param image the database file's bytes
     * @param name  the file name used in error messages
     * @param bits  224, 256, 384 or 512
     * @return lowercase hex ({@code bits / 4} digits), or empty when the image does not decode as a database
     * @throws IllegalArgumentException if {@code bits} is not a SHA3 size
     */
    public static Optional<String> sha3sum(byte[] image, String name, int bits) {
        try (FilePageSource pages = FilePageSource.of(image, name); Database db = Database.open(pages)) {
            return Optional.of(HexFormat.of().formatHex(digest(db, bits)));
        } catch (CorruptFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The SHA3-{@code bits} digest of an open database (bits 224, 256, 384 or 512). An empty
     * database (no pages) digests the empty stream.
     *
     * @param db   the database (the caller keeps it open and closes it)
     * @param bits 224, 256, 384 or 512
     * @return the raw digest, {@code bits / 8} bytes
     * @throws CorruptFileException     if the schema or a table's b-tree or records are damaged
     * @throws IllegalArgumentException if {@code bits} is not a SHA3 size
     */
    public static byte[] digest(Database db, int bits) throws CorruptFileException {
        if (bits != 224 && bits != 256 && bits != 384 && bits != 512) {
            throw new IllegalArgumentException("SHA3 size must be 224, 256, 384 or 512, not " + bits);
        }
        MessageDigest sha3;
        try {
            sha3 = MessageDigest.getInstance("SHA3-" + bits);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java 17+ runtime has SHA3-" + bits, e);
        }
        if (db.pageCount() == 0) {
            return sha3.digest();
        }
        Schema schema = db.schema();
        List<String> names = new ArrayList<>();
        for (SchemaEntry e : schema.tables()) {
            if (e.rootPage() > 1 && !e.name().toLowerCase(Locale.ROOT).startsWith("sqlite_")) {
                names.add(e.name());
            }
        }
        // ORDER BY lower(name) COLLATE NOCASE: ASCII case folding, then byte order.
        names.sort((a, b) -> a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT)));
        for (String name : names) {
            String sql = "SELECT * FROM \"" + name.toLowerCase(Locale.ROOT).replace("\"", "\"\"") + "\" NOT INDEXED;";
            byte[] sqlBytes = sql.getBytes(StandardCharsets.UTF_8);
            sha3.update(("S" + sqlBytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha3.update(sqlBytes);
            TableReader reader = TableReader.open(db, name);
            if (reader == null) {
                continue;
            }
            List<Column> columns = reader.info().columns();
            reader.scan((rowid, values) -> {
                sha3.update((byte) 'R');
                for (int c = 0; c < values.length; c++) {
                    update(sha3, values[c], columns.get(c).affinity());
                }
                return true;
            });
        }
        return sha3.digest();
    }

    private static void update(MessageDigest sha3, Object v, Affinity affinity) {
        switch (v) {
            case null -> sha3.update((byte) 'N');
            // A REAL-affinity column stores integral reals as integers and reads them back as REAL.
            case Long l when affinity == Affinity.REAL -> number(sha3, 'F', Double.doubleToRawLongBits(l.doubleValue()));
            case Long l -> number(sha3, 'I', l);
            case Double d -> number(sha3, 'F', Double.doubleToRawLongBits(d));
            case String s -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                sha3.update(("T" + b.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha3.update(b);
            }
            case byte[] b -> {
                sha3.update(("B" + b.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha3.update(b);
            }
            default -> throw new AssertionError("unexpected value type " + v.getClass());
        }
    }

    private static void number(MessageDigest sha3, char tag, long bits) {
        sha3.update((byte) tag);
        sha3.update(ByteBuffer.allocate(8).putLong(bits).array());
    }
}
