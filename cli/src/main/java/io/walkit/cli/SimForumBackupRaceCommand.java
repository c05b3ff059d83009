package io.walkit.cli;

import io.walkit.sim.Narration;
import io.walkit.sim.Scenarios;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim forum-backup-race}: why copying the database file without its WAL after a partial checkpoint is unsafe. */
@Command(name = "forum-backup-race", mixinStandardHelpOptions = true,
        description = {"Shows, step by step, that after a partial checkpoint the database file alone is no commit's",
                "image, that copying the database and the WAL at one instant is fine, and that copying them at",
                "different instants is not."})
final class SimForumBackupRaceCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--out", paramLabel = "DIR", description = "write the copied files into DIR")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Narration n = Scenarios.forumBackupRace();
        var pw = spec.commandLine().getOut();
        pw.print(n.text());
        if (out != null) {
            pw.print(SimFiles.writeAll(out, n.files()));
        }
        return Walkit.EXIT_OK;
    }
}
