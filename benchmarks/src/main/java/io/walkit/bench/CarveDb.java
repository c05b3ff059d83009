package io.walkit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Carving workload databases made by the {@code sqlite3} CLI: what a forensic examiner meets, with
 * deleted data in every place the carver looks. Four tables are filled in rollback-journal mode with
 * {@code secure_delete} off and no auto-vacuum, then:
 * <ul>
 *   <li>{@code t(a INTEGER, b TEXT, c REAL, d INTEGER)}: a third of the rows deleted (freeblocks on
 *       nearly every leaf, some pages emptied to the freelist);</li>
 *   <li>{@code msg(id INTEGER PRIMARY KEY, sender TEXT, body TEXT, ts INTEGER)} with an index on
 *       {@code ts}: a random fifth deleted, then one contiguous rowid range deleted (whole leaves
 *       freed: freelist trunk and leaf pages full of old cells);</li>
 *   <li>{@code att(id INTEGER PRIMARY KEY, name TEXT, data BLOB)}: 2–6 KB blobs (overflow chains),
 *       half of them deleted (freed overflow pages);</li>
 *   <li>{@code tmp(x TEXT, y INTEGER)}: dropped (its pages free, its schema row a freeblock in page 1).</li>
 * </ul>
 * The byte budget is split about 45 % {@code t}, 30 % {@code msg}, 15 % {@code att}, 10 % {@code tmp}.
 * Cached by size in the bench directory ({@code -Dwalkit.bench.dir}, default
 * {@code target/walkit-bench-data}); never committed. Making 1 GiB takes about a minute.
 *
 * <p>Run as a program ({@code java -cp benchmarks.jar io.walkit.bench.CarveDb SIZE_MIB [DIR]}) it
 * prints the path of the database, making it first if needed; {@code run-carve.sh} uses that.
 */
public final class CarveDb {

    private CarveDb() {}

    /**
     * Prints the path of the cached carving database of {@code args[0]} MiB (in {@code args[1]} when
     * given), making it first if needed.
     *
     * @param args size in MiB, then optionally the cache directory
     * @throws IOException when sqlite3 is missing or fails
     */
    public static void main(String[] args) throws IOException {
        int mib = Integer.parseInt(args[0]);
        Path dir = args.length > 1 ? Path.of(args[1]) : SyntheticWal.cacheDir();
        System.out.println(cached(dir, mib));
    }

    /**
     * The cached carving database of about {@code mib} MiB in {@code dir}, made on first use.
     *
     * @param dir cache directory
     * @param mib approximate size in MiB
     * @return its path
     * @throws IOException when sqlite3 is missing or fails
     */
    public static Path cached(Path dir, int mib) throws IOException {
        Files.createDirectories(dir);
        Path db = dir.resolve("carve-" + mib + "m.db");
        if (Files.isRegularFile(db)) {
            return db;
        }
        Path tmp = dir.resolve(db.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        long bytes = (long) mib << 20;
        // Bytes of file per row (cell, page share, index), measured: the file comes out within a few % of mib MiB.
        long tRows = bytes * 45 / 100 / 164;
        long msgRows = bytes * 30 / 100 / 258;
        long attRows = bytes * 15 / 100 / 3620;
        long tmpRows = bytes * 10 / 100 / 52;
        String sql = "PRAGMA page_size=4096; PRAGMA journal_mode=DELETE; PRAGMA secure_delete=OFF; PRAGMA auto_vacuum=NONE;\n"
                + "CREATE TABLE t(a INTEGER, b TEXT, c REAL, d INTEGER);\n"
                + "CREATE TABLE msg(id INTEGER PRIMARY KEY, sender TEXT, body TEXT, ts INTEGER);\n"
                + "CREATE INDEX msg_ts ON msg(ts);\n"
                + "CREATE TABLE att(id INTEGER PRIMARY KEY, name TEXT, data BLOB);\n"
                + "CREATE TABLE tmp(x TEXT, y INTEGER);\n"
                + "BEGIN;\n"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + tRows + ")\n"
                + "INSERT INTO t SELECT random(), printf('row-%d-%s', i, hex(randomblob(70))), i * 0.5, i FROM n;\n"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + msgRows + ")\n"
                + "INSERT INTO msg(sender, body, ts) SELECT printf('user%d@example.org', abs(random()) % 5000),"
                + " printf('message %d: %s', i, substr(hex(randomblob(120)), 1, 40 + abs(random()) % 200)),"
                + " 1600000000 + i * 7 FROM n;\n"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + attRows + ")\n"
                + "INSERT INTO att(name, data) SELECT printf('file-%d.bin', i), randomblob(2000 + abs(random()) % 4000) FROM n;\n"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + tmpRows + ")\n"
                + "INSERT INTO tmp SELECT printf('tmp-%d', i), i FROM n;\n"
                + "COMMIT;\n"
                + "BEGIN;\n"
                + "DELETE FROM t WHERE d % 3 = 0;\n"
                + "DELETE FROM msg WHERE abs(random()) % 5 = 0;\n"
                + "DELETE FROM msg WHERE id BETWEEN " + (msgRows / 2) + " AND " + (msgRows / 2 + msgRows / 20) + ";\n"
                + "DELETE FROM att WHERE id % 2 = 0;\n"
                + "DROP TABLE tmp;\n"
                + "COMMIT;\n";
        ProcessBuilder pb = new ProcessBuilder("sqlite3", tmp.toString()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("the sqlite3 CLI is needed to make carving databases (or pass -p file=DB)", e);
        }
        try (var in = p.getOutputStream()) {
            in.write(sql.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("sqlite3 failed making " + db + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Files.move(tmp, db, StandardCopyOption.ATOMIC_MOVE);
        return db;
    }
}
