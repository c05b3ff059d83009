package io.walkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit db}: Reads and checks SQLite database files, directly or through a WAL. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Reads and checks SQLite database files, directly or through a WAL.",
        subcommands = {})
final class DbCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'db'");
    }
}
