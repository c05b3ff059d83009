package io.walkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim}: Simulates SQLite's WAL protocol: checkpoints, restarts, crashes, backup races. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "Simulates SQLite's WAL protocol: checkpoints, restarts, crashes, backup races.",
        subcommands = {SimRunCommand.class, SimLitestream521Command.class, SimForumBackupRaceCommand.class,
                SimCheckpointCrashCommand.class, SimLitestreamCatalogueCommand.class, SimGenerateCommand.class,
                SimShrinkCommand.class, SimWalResetRaceCommand.class})
final class SimCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'sim'");
    }
}
