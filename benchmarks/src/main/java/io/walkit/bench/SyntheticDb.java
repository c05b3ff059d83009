package io.walkit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark databases made by the {@code sqlite3} CLI with the recipe of
 * {@code bench-anchors/make_wal.sh}: {@code t(id INTEGER PRIMARY KEY, k INTEGER, v BLOB)} with an
 * index on {@code k}, {@code v} a random blob of 100..999 bytes, in rollback-journal mode (no WAL),
 * any page size. Cached by name in the bench directory ({@code -Dwalkit.bench.dir}, default
 * {@code target/walkit-bench-data}); never committed.
 */
public final class SyntheticDb {

    private SyntheticDb() {}

    /** The cached database with {@code rows} rows and page size {@code pageSize}, made on first use. */
    public static Path cached(long rows, int pageSize) throws IOException {
        return cached(SyntheticWal.cacheDir(), rows, pageSize);
    }

    /** As {@link #cached(long, int)} in {@code dir}. */
    public static Path cached(Path dir, long rows, int pageSize) throws IOException {
        Files.createDirectories(dir);
        Path db = dir.resolve("t" + rows + "-p" + pageSize + ".db");
        if (Files.isRegularFile(db)) {
            return db;
        }
        Path tmp = dir.resolve(db.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        String sql = "PRAGMA page_size=" + pageSize + ";\n"
                + "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v BLOB);\n"
                + "CREATE INDEX t_k ON t(k);\n"
                + "BEGIN;\n"
                + "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<" + rows + ")\n"
                + "INSERT INTO t(k,v) SELECT abs(random()) % 1000000000, randomblob(100 + abs(random()) % 900) FROM c;\n"
                + "COMMIT;\n";
        ProcessBuilder pb = new ProcessBuilder("sqlite3", tmp.toString()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("the sqlite3 CLI is needed to make benchmark databases (or pass -p file=DB)", e);
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
