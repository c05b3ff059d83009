package io.walkit.cli;

import io.walkit.db.IntegrityCheck;
import io.walkit.db.PageSource;
import io.walkit.io.CorruptFileException;
import io.walkit.io.Problem;
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
            report = IntegrityCheck.Report.unreadable(e);
        }
        var out = spec.commandLine().getOut();
        if (input.json) {
            Json j = new Json().beginObject().field("ok", report.ok()).name("problems").beginArray();
            for (Problem p : report.problems()) {
                j.problem(p);
            }
            j.endArray().field("truncated", report.truncated());
            input.journalJson(j);
            j.endObject();
            out.println(j);
        } else if (report.ok()) {
            out.println("ok");
        } else {
            for (Problem p : report.problems()) {
                out.println(where(p.position()) + ": " + p.text() + (p.detail() == null || p.code().describesDetail() ? ""
                        : " (" + p.detail() + ")"));
            }
            if (report.truncated()) {
                out.println("(stopped after " + report.problems().size() + " problems)");
            }
        }
        return report.ok() ? Walkit.EXIT_OK : Walkit.EXIT_PROBLEMS;
    }

    /** {@code page 5 offset 100}, {@code page 5} or {@code offset 0x1c (28)}: the text form of a check problem's position. */
    static String where(Problem.Position position) {
        return switch (position) {
            case Problem.Position.Page p -> "page " + p.pageNumber();
            case Problem.Position.InPage p -> "page " + p.pageNumber() + " offset " + p.offsetInPage();
            case null -> "database";
            default -> position.toString();
        };
    }
}
