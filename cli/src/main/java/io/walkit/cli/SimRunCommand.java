package io.walkit.cli;

import io.walkit.sim.Scenario;
import io.walkit.sim.ScenarioParser;
import io.walkit.sim.ScenarioRunner;
import io.walkit.sim.WalSim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim run SCENARIO}: runs a scenario script on the WAL protocol model, step by step. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a scenario script (format: docs/sim.md) on the model of SQLite's WAL protocol,",
                "printing each step, its result and any violated invariant."})
final class SimRunCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "SCENARIO", description = "the scenario file")
    Path scenarioFile;

    @CommandLine.Option(names = "--out", paramLabel = "DIR",
            description = "write the database and WAL files of the selected steps, and every 'copy', into DIR")
    Path out;

    @CommandLine.Option(names = "--step", paramLabel = "N", split = ",",
            description = "steps whose files to write (default: the last step); with --out")
    List<Integer> steps = new ArrayList<>();

    @CommandLine.Option(names = "--all-steps", description = "write the files of every step (with --out)")
    boolean allSteps;

    @CommandLine.Option(names = "--no-invariants", description = "do not check the checkpoint invariants after each step")
    boolean noInvariants;

    @CommandLine.Option(names = "--json", description = {"print JSON Lines: one {\"kind\": \"step\", ...} line per step (mxFrame,",
            "nBackfill, aReadMark, checkpoint triple, the expected database's imageSha3 and sqlite3 .sha3sum;",
            "see docs/sim.md), then one {\"kind\": \"summary\", \"steps\", \"violations\"} line"})
    boolean json;

    @CommandLine.Option(names = "--force", description = "overwrite existing files in the --out directory")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Reads and parses a scenario file ({@code set source} resolved beside it); a malformed one is a usage error. */
    static Scenario parse(Path scenarioFile) throws java.io.IOException {
        String text = Files.readString(scenarioFile, StandardCharsets.UTF_8);
        try {
            return ScenarioParser.parse(text, scenarioFile.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new Errors.UsageException(scenarioFile + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        Scenario scenario = parse(scenarioFile);
        var pw = spec.commandLine().getOut();
        Set<Integer> wanted = new TreeSet<>(steps);
        int last = scenario.steps().size();
        if (wanted.isEmpty()) {
            wanted.add(last);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        int[] violations = {0};
        WalSim sim = new ScenarioRunner(out != null, !noInvariants).runWithModel(scenario, (o, model) -> {
            if (json) {
                pw.println(SimStepJson.line(o, model));
            } else {
                pw.printf("%3d  %s%n", o.index(), o.describe());
            }
            violations[0] += o.violations().size();
            if (out != null && (allSteps || wanted.contains(o.index()))) {
                String base = String.format("step-%02d", o.index());
                files.put(base + ".db", o.db());
                if (o.wal() != null) {
                    files.put(base + ".db-wal", o.wal());
                }
            }
        });
        if (json) {
            pw.println(new Json().beginObject().field("kind", "summary").field("steps", scenario.steps().size())
                    .field("violations", violations[0]).endObject());
        } else {
            pw.println("final: " + (sim.walIndex() == null ? "no wal-index" : sim.walIndex().toString()));
        }
        if (out != null) {
            sim.copies().forEach((k, v) -> {
                if (v != null) {
                    files.put(k, v);
                }
            });
            String written = SimFiles.writeAll(out, files, force);
            if (json) {
                spec.commandLine().getErr().print(written);
            } else {
                pw.print(written);
            }
        }
        if (violations[0] > 0) {
            if (!json) {
                pw.println(violations[0] + " invariant violation(s)");
            }
            return Walkit.EXIT_PROBLEMS;
        }
        return Walkit.EXIT_OK;
    }
}
