package io.walkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit shm}: Reads the wal-index (-shm) file. */
@Command(name = "shm", mixinStandardHelpOptions = true, description = "Reads the wal-index (-shm) file.",
        subcommands = {ShmInfoCommand.class})
final class ShmCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'shm' (info)");
    }
}
