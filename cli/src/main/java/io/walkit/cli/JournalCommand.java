package io.walkit.cli;

import io.walkit.db.Journal;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit journal}: reads a rollback journal ({@code -journal}), the counterpart of {@code wal}. */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = "Reads a SQLite rollback journal (-journal): header, page records, what a rollback would restore.",
        subcommands = {JournalInfoCommand.class, JournalPagesCommand.class})
final class JournalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'journal' (info, pages)");
    }

    /** The stable JSON/text name of a stop reason. */
    static String stopName(Journal.StopReason r) {
        return r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The stable JSON/text name of a disposition. */
    static String dispositionName(Journal.Disposition d) {
        return d.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** {@code 0x…} of an unsigned 32-bit value. */
    static String hex32(long v) {
        return String.format("0x%08x", v);
    }
}
