package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.db.HotJournal;
import io.walkit.db.Journal;
import io.walkit.db.JournalPageSource;
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

        @CommandLine.Option(names = "--journal", paramLabel = "JOURNAL",
                description = "the rollback journal to roll back through when it is hot (default: FILE-journal when present)")
        Path journal;

        @CommandLine.Option(names = "--no-journal",
                description = "ignore any rollback journal: show the database file as it is on disk, even when a hot journal "
                        + "means SQLite would show something else")
        boolean noJournal;

        @CommandLine.Option(names = "--json", description = "print JSON")
        boolean json;

        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;

        /** The journal verdict of the last open (null before it, or when there is no journal to look at). */
        HotJournal hotJournal;
        /** The decoded journal when it was rolled back through, else null. */
        Journal rolledBack;

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
            if (noJournal && journal != null) {
                throw new Errors.UsageException("--journal and --no-journal exclude each other");
            }
            Path j = journal != null ? journal : HotJournal.defaultJournal(file);
            if (journal != null && !java.nio.file.Files.exists(journal)) {
                throw new java.nio.file.NoSuchFileException(journal.toString());
            }
            hotJournal = java.nio.file.Files.isRegularFile(file) ? HotJournal.check(file, j) : null;
            if (hotJournal != null && hotJournal.state() == HotJournal.State.ABSENT) {
                hotJournal = null;
            }
            if (!noJournal && hotJournal != null && hotJournal.rollsBack()) {
                if (w != null) {
                    throw new Errors.UsageException(file + " has a hot rollback journal (" + j + ") and a WAL (" + w
                            + "); walkit does not apply both: choose --no-journal or --no-wal");
                }
                PageSource pages = JournalPageSource.open(file, hotJournal);
                if (pages instanceof JournalPageSource jp) {
                    rolledBack = jp.journal();
                    mixee.commandLine().getErr().println("walkit: note: " + journalSummary());
                }
                return pages;
            }
            if (noJournal && hotJournal != null && hotJournal.rollsBack()) {
                mixee.commandLine().getErr().println("walkit: note: ignoring the hot journal " + j
                        + " (--no-journal): this is the file as on disk, not what SQLite would show");
            }
            try {
                return Database.openPages(file, w, atCommit);
            } catch (IllegalArgumentException e) {
                throw new Errors.UsageException(e.getMessage());
            }
        }

        /** One line on what was done with the journal, or null when there is none. */
        String journalSummary() {
            if (hotJournal == null) {
                return null;
            }
            Path j = hotJournal.journal();
            if (rolledBack != null) {
                Journal.Playback pb = rolledBack.playback(true);
                return "hot journal " + j + " rolled back as SQLite would (" + pb.pagesRestored() + " pages restored, size "
                        + pb.pageCount() + " pages); --no-journal shows the file as on disk; assumed: "
                        + HotJournal.RESERVED_LOCK_NOTE;
            }
            return switch (hotJournal.state()) {
                case NOT_HOT_ZERO -> "journal " + j + " is not hot (empty or first byte 0)";
                case NOT_HOT_EMPTY_DATABASE -> "journal " + j + " is not hot (the database is empty)";
                case HOT -> noJournal ? "hot journal " + j + " ignored (--no-journal)"
                        : hotJournal.superJournal() != null && !hotJournal.superJournalExists()
                        ? "journal " + j + " names super-journal " + hotJournal.superJournal()
                                + ", which does not exist: the transaction committed, nothing to roll back"
                        : "hot journal " + j + " has no usable header: nothing to roll back";
                case ABSENT -> null;
            };
        }

        /** Writes the {@code "journal"} field: null, or an object describing the journal and what was done. */
        void journalJson(Json j) {
            j.name("journal");
            if (hotJournal == null) {
                j.nullValue();
                return;
            }
            j.beginObject().field("file", hotJournal.journal().toString())
                    .field("state", hotJournal.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                    .field("hot", hotJournal.hot())
                    .field("rolledBack", rolledBack != null);
            if (rolledBack != null) {
                Journal.Playback pb = rolledBack.playback(true);
                j.field("pagesRestored", (long) pb.pagesRestored()).field("pageCountAfter", pb.pageCount())
                        .field("stopReason", JournalCommand.stopName(rolledBack.stopReason()));
            }
            j.field("superJournal", hotJournal.superJournal());
            if (hotJournal.superJournal() != null) {
                j.field("superJournalExists", hotJournal.superJournalExists());
            }
            if (hotJournal.hot()) {
                j.field("assumption", HotJournal.RESERVED_LOCK_NOTE);
            }
            j.endObject();
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
            case Boolean b -> j.value(b);
            case String s -> j.value(s);
            case byte[] b -> j.beginObject().field("blob", java.util.HexFormat.of().formatHex(b)).endObject();
            default -> j.value(v.toString());
        }
    }
}
