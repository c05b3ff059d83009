package io.walkit.replica;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Drives the real Litestream v0.3.13 binary (npm {@code @flydotio/litestream-linux-x64@1.0.1},
 * installed by {@code .ci/run} into {@code ~/.cache/walkit/litestream}) and the Debian
 * {@code sqlite3} shell for differential tests. Tests skip with {@link #ABSENT} when either is
 * missing. File replicas only (loopback, no network).
 */
final class RealLitestream {

    static final String ABSENT = "Litestream v0.3.13 not found (set WALKIT_LITESTREAM or run .ci/run, which installs "
            + "@flydotio/litestream-linux-x64@1.0.1 into ~/.cache/walkit/litestream); skipping real-Litestream test";

    private RealLitestream() {}

    /** The binary, when it exists and reports v0.3.13. */
    static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("WALKIT_LITESTREAM");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".cache", "walkit", "litestream", "package", "litestream"));
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                try {
                    Process pr = new ProcessBuilder(p.toString(), "version").redirectErrorStream(true).start();
                    String v = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    if (pr.waitFor(20, TimeUnit.SECONDS) && v.startsWith("v0.3.")) {
                        return Optional.of(p);
                    }
                } catch (IOException | InterruptedException e) {
                    // try the next candidate
                }
            }
        }
        return Optional.empty();
    }

    /** True when the sqlite3 shell is on PATH. */
    static boolean hasSqlite3() {
        try {
            Process p = new ProcessBuilder("sqlite3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Writes a litestream.yml replicating {@code db} to the file replica {@code replica} with small thresholds. */
    static Path config(Path dir, Path db, Path replica, String snapshotInterval) throws IOException {
        Path cfg = dir.resolve("litestream.yml");
        Files.writeString(cfg, """
                dbs:
                  - path: %s
                    monitor-interval: 50ms
                    checkpoint-interval: 2s
                    min-checkpoint-page-count: 8
                    max-checkpoint-page-count: 40
                    replicas:
                      - type: file
                        path: %s
                        sync-interval: 50ms
                        snapshot-interval: %s
                        retention: 24h
                """.formatted(db.toAbsolutePath(), replica.toAbsolutePath(), snapshotInterval));
        return cfg;
    }

    /** A running {@code litestream replicate}. */
    static final class Replicator implements AutoCloseable {
        final Process process;
        final Path log;

        Replicator(Path binary, Path config, Path log) throws IOException {
            this.log = log;
            this.process = new ProcessBuilder(binary.toString(), "replicate", "-config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        /** Stops it with SIGTERM (Litestream syncs and exits cleanly) and waits. */
        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        String log() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "";
        }
    }

    /** Result of a process run. */
    record Run(int code, String out) {}

    /** Runs a command, returning exit code and merged output. */
    static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, out + "\n(timed out)");
        }
        return new Run(p.exitValue(), out);
    }

    /** {@code litestream restore -o out [args] file://replica}. */
    static Run restore(Path binary, Path replica, Path out, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "restore", "-o", out.toString()));
        cmd.addAll(List.of(args));
        cmd.add("file://" + replica.toAbsolutePath());
        return run(cmd);
    }

    /**
     * The sqlite3 shell's {@code .sha3sum} of a database (all tables' content), the row count of
     * table {@code t} and {@code PRAGMA integrity_check}, on a copy (never the file in place).
     */
    static String digest(Path db, Path scratch) throws IOException, InterruptedException {
        Path copy = scratch.resolve("digest-" + System.nanoTime() + ".db");
        Files.copy(db, copy);
        Run r = run(List.of("sqlite3", copy.toString(), ".sha3sum", "select count(*) from t;", "pragma integrity_check;"));
        return r.code() + ":" + r.out().strip();
    }

    /** Opens a sqlite-jdbc connection in WAL mode with a busy timeout. */
    static Connection open(Path db) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA busy_timeout=10000");
        }
        return c;
    }
}
