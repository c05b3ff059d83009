package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.forensics.LogHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The options of the verbs that read a database's whole WAL history ({@code db history}, {@code db diff}):
 * the database file (may be absent when a WAL is given), the WAL ({@code FILE-wal} by default) and
 * {@code --json}. Everything is opened read-only.
 */
final class LogInput {
    @CommandLine.Parameters(index = "0", paramLabel = "FILE",
            description = "the database file (opened read-only; may be missing when --wal names a WAL)")
    Path file;

    @CommandLine.Option(names = "--wal", paramLabel = "WAL", description = "the WAL (default: FILE-wal when present and non-empty)")
    Path wal;

    @CommandLine.Option(names = "--no-wal", description = "ignore any WAL (only commit 0, the database file, exists)")
    boolean noWal;

    @CommandLine.Option(names = "--json", description = "print JSON Lines")
    boolean json;

    /**
     * The WAL this run reads: {@code --wal}, else {@code FILE-wal} when present and non-empty; null
     * with {@code --no-wal} or when there is none.
     */
    Path walPath() throws IOException {
        if (noWal) {
            if (wal != null) {
                throw new Errors.UsageException("--wal and --no-wal exclude each other");
            }
            return null;
        }
        return wal != null ? wal : Files.exists(file) ? Database.defaultWal(file) : null;
    }

    LogHistory open() throws IOException {
        Path w = walPath();
        if (w == null && !Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        return LogHistory.open(file, w);
    }
}
