package io.walkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit shadow}: Checks shadow-WAL continuity the way a replicator tracks it. */
@Command(name = "shadow", mixinStandardHelpOptions = true, description = "Checks shadow-WAL continuity the way a replicator tracks it.",
        subcommands = {ShadowVerifyCommand.class})
final class ShadowCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'shadow'");
    }
}
