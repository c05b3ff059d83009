package io.walkit.cli;

import io.walkit.db.IntegrityCheck;
import io.walkit.db.PageSource;
import io.walkit.io.CorruptFileException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit db check FILE}: SQLite's PRAGMA integrity_check without SQLite. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Checks a database as PRAGMA integrity_check does; exit 0 when ok, 1 when problems are found.")
final class DbCheckCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DbCommand.Input input = new DbCommand.Input();

    @CommandLine.Option(names = "--max-problems", paramLabel = "N", description = "stop after N problems (default: ${DEFAULT-VALUE})")
    int maxProblems = 100;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        IntegrityCheck.Report report;
        try (PageSource pages = input.openPages()) {
            report = IntegrityCheck.check(pages, Math.max(1, maxProblems));
        } catch (CorruptFileException e) {
            report = new IntegrityCheck.Report(List.of(new IntegrityCheck.Problem(1, (int) Math.min(e.offset(), Integer.MAX_VALUE),
                    e.structure(), e.field() + " must be " + e.expected() + ", found " + e.found())), false);
        }
        var out = spec.commandLine().getOut();
        if (input.json) {
            Json j = new Json().beginObject().field("ok", report.ok()).name("problems").beginArray();
            for (IntegrityCheck.Problem p : report.problems()) {
                j.beginObject().field("page", p.page());
                if (p.offset() >= 0) {
                    j.field("offset", p.offset());
                }
                j.field("structure", p.structure().isEmpty() ? null : p.structure())
                        .field("message", p.message());
                if (!p.detail().isEmpty()) {
                    j.field("detail", p.detail());
                }
                j.endObject();
            }
            j.endArray().field("truncated", report.truncated());
            input.journalJson(j);
            j.endObject();
            out.println(j);
        } else if (report.ok()) {
            out.println("ok");
        } else {
            for (IntegrityCheck.Problem p : report.problems()) {
                out.println("page " + p.page() + (p.offset() >= 0 ? " offset " + p.offset() : "") + ": " + p.sqliteText()
                        + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")"));
            }
            if (report.truncated()) {
                out.println("(stopped after " + report.problems().size() + " problems)");
            }
        }
        return report.ok() ? Walkit.EXIT_OK : Walkit.EXIT_PROBLEMS;
    }
}
