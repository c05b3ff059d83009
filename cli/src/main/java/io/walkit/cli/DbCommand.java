package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.db.PageSource;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit db}: Reads and checks SQLite database files, directly or through a WAL. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Reads and checks SQLite database files, directly or through a WAL.",
        subcommands = {DbInfoCommand.class, DbPageCommand.class, DbTablesCommand.class, DbDumpCommand.class,
                DbCheckCommand.class, DbCarveCommand.class, DbHistoryCommand.class, DbDiffCommand.class, DbExportCommand.class, DbMapCommand.class})
final class DbCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'db'");
    }

    /**
     * The options every {@code db} verb shares: the database file, the WAL to read it through and
     * the commit to read as of. Opening never writes anything next to the files.
     */
    static final class Input {
        @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the database file (opened read-only)")
        Path file;

        @CommandLine.Option(names = "--wal", paramLabel = "WAL",
                description = "read the database through this WAL (default: FILE-wal when present and non-empty)")
        Path wal;

        @CommandLine.Option(names = "--no-wal", description = "ignore any WAL; read the database file alone")
        boolean noWal;

        @CommandLine.Option(names = "--at-commit", paramLabel = "N",
                description = "read as of the N-th commit of the WAL's valid prefix (0 = the database file alone; default: the last)")
        Integer atCommit;

        @CommandLine.Option(names = "--json", description = "print JSON")
        boolean json;

        /** The WAL to use, or null. */
        Path walPath() throws IOException {
            if (noWal) {
                if (wal != null) {
                    throw new Errors.UsageException("--wal and --no-wal exclude each other");
                }
                return null;
            }
            return wal != null ? wal : Database.defaultWal(file);
        }

        PageSource openPages() throws IOException {
            Path w = walPath();
            if (w == null && atCommit != null && atCommit != 0) {
                throw new Errors.UsageException("--at-commit " + atCommit + " needs a WAL (none given or found beside " + file + ")");
            }
            try {
                return Database.openPages(file, w, atCommit);
            } catch (IllegalArgumentException e) {
                throw new Errors.UsageException(e.getMessage());
            }
        }

        Database open() throws IOException {
            PageSource pages = openPages();
            try {
                return Database.open(pages);
            } catch (IOException | RuntimeException e) {
                pages.close();
                throw e;
            }
        }
    }

    /** Renders a value as JSON: numbers, strings, {"blob":"hex"}, null. */
    static void jsonValue(Json j, Object v) {
        switch (v) {
            case null -> j.nullValue();
            case Long l -> j.value(l);
            case Double d -> j.value(d);
            case String s -> j.value(s);
            case byte[] b -> j.beginObject().field("blob", java.util.HexFormat.of().formatHex(b)).endObject();
            default -> j.value(v.toString());
        }
    }
}
