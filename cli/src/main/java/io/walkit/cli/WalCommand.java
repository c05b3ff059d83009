package io.walkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit wal}: reads and verifies a write-ahead log. */
@Command(name = "wal", mixinStandardHelpOptions = true,
        description = "Reads and verifies a SQLite write-ahead log (-wal) file.",
        subcommands = {WalInfoCommand.class, WalFramesCommand.class, WalStaleCommand.class})
final class WalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'wal' (info, frames, stale)");
    }

    /** See {@link WalFiles#requireWal}, which the verbs call (it names no picocli type). */
    static void requireWal(io.walkit.io.ByteSource source) throws io.walkit.io.CorruptFileException {
        WalFiles.requireWal(source);
    }
}
