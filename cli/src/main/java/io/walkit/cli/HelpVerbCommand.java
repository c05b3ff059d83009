package io.walkit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit help [GROUP [VERB]]}: the help of any command, at any depth
 * ({@code walkit help db dump}), wrapped to the terminal width.
 */
@Command(name = "help", helpCommand = true, description = "Shows the help of a command: walkit help db dump.")
final class HelpVerbCommand implements Callable<Integer> {

    @CommandLine.Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command path, e.g. db dump")
    String[] path = new String[0];

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine target = spec.commandLine().getParent();
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown command '" + name + "' in '"
                        + String.join(" ", path) + "'; see 'walkit --help'");
            }
            target = next;
        }
        target.usage(spec.commandLine().getOut());
        return Walkit.EXIT_OK;
    }
}
