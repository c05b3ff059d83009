package io.walkit.cli;

import io.walkit.io.Problem;

import io.walkit.db.IntegrityCheck;
import io.walkit.sim.CopyIntegrity;
import io.walkit.sim.Narration;
import io.walkit.sim.Scenarios;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim forum-backup-race}: why copying the database file without its WAL after a partial checkpoint is unsafe. */
@Command(name = "forum-backup-race", mixinStandardHelpOptions = true,
        description = {"Shows, step by step, that after a partial checkpoint the database file alone is no commit's",
                "image, that copying the database and the WAL at one instant is fine, and that copying them at",
                "different instants is not; the real-page copies are judged by walkit's own integrity check."})
final class SimForumBackupRaceCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--out", paramLabel = "DIR", description = "write the copied files into DIR")
    Path out;

    @CommandLine.Option(names = "--json", description = {"print one JSON object: {\"facts\": {...}, \"copies\": [{\"db\", \"wal\",",
            "\"description\", \"ok\", \"problems\": [{\"page\", \"offset\", \"structure\", \"message\"}], \"truncated\"}]}"})
    boolean json;

    @CommandLine.Option(names = "--force", description = "overwrite existing files in the --out directory")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Narration n = Scenarios.forumBackupRace();
        var pw = spec.commandLine().getOut();
        if (json) {
            Json j = new Json().beginObject().name("facts").beginObject();
            for (Map.Entry<String, Object> f : n.facts().entrySet()) {
                j.field(f.getKey(), String.valueOf(f.getValue()));
            }
            j.endObject().name("copies").beginArray();
            for (String[] set : Scenarios.FORUM_REAL_COPY_SETS) {
                byte[] wal = set[1] == null ? null : n.files().get(set[1]);
                CopyIntegrity.Verdict v = CopyIntegrity.check(n.files().get(set[0]), wal);
                j.beginObject().field("db", set[0]).name("wal");
                if (set[1] == null) {
                    j.nullValue();
                } else {
                    j.value(set[1]);
                }
                j.field("description", set[3]).field("ok", v.ok()).name("problems").beginArray();
                for (Problem p : v.report().problems()) {
                    j.problem(p);
                }
                j.endArray().field("truncated", v.report().truncated()).endObject();
            }
            pw.println(j.endArray().endObject());
        } else {
            pw.print(n.text());
        }
        if (out != null) {
            String written = SimFiles.writeAll(out, n.files(), force);
            (json ? spec.commandLine().getErr() : pw).print(written);
        }
        return Walkit.EXIT_OK;
    }
}
