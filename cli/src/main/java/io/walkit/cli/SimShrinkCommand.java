package io.walkit.cli;

import io.walkit.sim.Scenario;
import io.walkit.sim.ScenarioRunner;
import io.walkit.sim.Shrinker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit sim shrink SCENARIO --cmd '...'}: shrinks a scenario against an outside program (a
 * replicator test harness in any language). Each candidate scenario is run on the model and its
 * files written into a fresh directory; the command runs once per candidate with {@code {dir}}
 * replaced by that directory; exit status 0 means the candidate passes, any other status fails
 * with that status as its kind, and a run past {@code --timeout} fails with a kind of its own. The
 * shrinker keeps only candidates that fail with the original's exit status, so a timeout is never
 * shrunk towards.
 */
@Command(name = "shrink", mixinStandardHelpOptions = true,
        description = {"Shrinks SCENARIO against an outside program: for each candidate, the model's files are written",
                "into a fresh directory DIR (scenario.scn, steps.jsonl with one JSON line per step, and",
                "step-NN.db / step-NN.db-wal / step-NN.db-shm after each step NN) and CMD runs with {dir} replaced",
                "by DIR (sh -c). Exit status 0 = passes; any other = fails (its status is the failure's kind:",
                "only candidates failing with the original's status are kept); a run past --timeout is a",
                "failure of its own kind, never shrunk towards. Prints the smallest failing script.",
                "Exit 1 when the scenario fails (the shrunk script is the finding), 0 when it passes."})
final class SimShrinkCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "SCENARIO", description = "the scenario file")
    Path scenarioFile;

    @CommandLine.Option(names = "--cmd", required = true, paramLabel = "CMD",
            description = "the command to run per candidate (sh -c); {dir} is replaced by the candidate's directory")
    String cmd;

    @CommandLine.Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "per-run time limit in seconds (default 60); a run past it is killed and counts as a timeout")
    double timeoutSeconds;

    @CommandLine.Option(names = "--budget", paramLabel = "N", defaultValue = "300",
            description = "most candidate runs the shrinker may spend (default 300)")
    int budget;

    @CommandLine.Option(names = "--out", paramLabel = "FILE", description = "also write the shrunk script to FILE")
    Path out;

    @CommandLine.Option(names = "--force", description = "overwrite --out FILE if it exists")
    boolean force;

    @CommandLine.Option(names = "--json", description = {"print one JSON object: {\"original\": {\"steps\", \"outcome\", \"exitCode\"},",
            "\"shrunk\": {\"steps\", \"outcome\", \"exitCode\", \"script\"}, \"runs\", \"timeouts\"} (outcome: pass, fail, timeout)"})
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What one run of the outside program said. */
    enum Kind { PASS, FAIL, TIMEOUT }

    /** One run's outcome: its kind and, for PASS and FAIL, the exit status. */
    record Outcome(Kind kind, Integer exitCode) {
        boolean sameFailureAs(Outcome o) {
            return kind == Kind.FAIL && o.kind == Kind.FAIL && exitCode.equals(o.exitCode);
        }

        String json() {
            return kind.name().toLowerCase();
        }
    }

    private int runs;
    private int timeouts;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds <= 0 || budget < 0) {
            throw new Errors.UsageException("--timeout must be > 0 and --budget >= 0");
        }
        if (!cmd.contains("{dir}")) {
            throw new Errors.UsageException("--cmd must contain {dir} (the candidate's directory)");
        }
        if (out != null && Files.exists(out) && !force) {
            throw new Errors.UsageException(out + " exists (use --force to overwrite)");
        }
        Scenario scenario = SimRunCommand.parse(scenarioFile);
        var pw = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Outcome original = runCandidate(scenario);
        Scenario shrunk = scenario;
        Outcome shrunkOutcome = original;
        if (original.kind() == Kind.FAIL) {
            IOException[] failure = new IOException[1];
            shrunk = Shrinker.shrink(scenario, c -> {
                if (failure[0] != null) {
                    return false;
                }
                try {
                    return runCandidate(c).sameFailureAs(original);
                } catch (IOException e) {
                    failure[0] = e;
                    return false;
                }
            }, budget);
            if (failure[0] != null) {
                throw failure[0];
            }
            shrunkOutcome = runCandidate(shrunk);
        }
        if (out != null && original.kind() != Kind.PASS) {
            SimFiles.writeAll(out.toAbsolutePath().getParent(), Map.of(out.getFileName().toString(),
                    shrunk.script().getBytes(StandardCharsets.UTF_8)), force);
        }
        if (json) {
            Json j = new Json().beginObject().name("original").beginObject().field("steps", scenario.steps().size())
                    .field("outcome", original.json());
            exitCode(j, original);
            j.endObject().name("shrunk").beginObject().field("steps", shrunk.steps().size()).field("outcome", shrunkOutcome.json());
            exitCode(j, shrunkOutcome);
            j.field("script", shrunk.script()).endObject().field("runs", runs).field("timeouts", timeouts);
            pw.println(j.endObject());
        } else {
            switch (original.kind()) {
                case PASS -> pw.println("the scenario passes (exit 0): nothing to shrink");
                case TIMEOUT -> {
                    pw.println("the scenario timed out after " + timeoutSeconds + " s: a timeout is not shrunk towards");
                    pw.print(scenario.script());
                }
                case FAIL -> {
                    pw.println("# fails with exit status " + original.exitCode() + "; shrunk from " + scenario.steps().size()
                            + " to " + shrunk.steps().size() + " steps in " + runs + " runs (" + timeouts + " timeouts)");
                    pw.print(shrunk.script());
                }
            }
        }
        if (timeouts > 0 && !json) {
            err.println(timeouts + " candidate run(s) timed out (counted as their own kind, not shrunk towards)");
        }
        return original.kind() == Kind.PASS ? Walkit.EXIT_OK : Walkit.EXIT_PROBLEMS;
    }

    private static void exitCode(Json j, Outcome o) {
        j.name("exitCode");
        if (o.exitCode() == null) {
            j.nullValue();
        } else {
            j.value(o.exitCode().longValue());
        }
    }

    /** Runs {@code s} on the model, writes its files into a fresh directory, runs the command there, deletes it. */
    private Outcome runCandidate(Scenario s) throws IOException {
        Path dir = Files.createTempDirectory("walkit-shrink-");
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("scenario.scn", s.script().getBytes(StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            new ScenarioRunner(true, false).runWithModel(s, (o, sim) -> {
                lines.add(SimStepJson.line(o, sim));
                String base = String.format("step-%02d", o.index());
                files.put(base + ".db", o.db());
                if (o.wal() != null) {
                    files.put(base + ".db-wal", o.wal());
                }
                byte[] shm = sim.shmImage();
                if (shm != null) {
                    files.put(base + ".db-shm", shm);
                }
            });
            files.put("steps.jsonl", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            SimFiles.writeAll(dir, files, false);
            return execute(dir);
        } finally {
            deleteTree(dir);
        }
    }

    private Outcome execute(Path dir) throws IOException {
        runs++;
        String command = cmd.replace("{dir}", "'" + dir.toString().replace("'", "'\\''") + "'");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try {
            if (!p.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
                // Only the process we started and its descendants.
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                timeouts++;
                return new Outcome(Kind.TIMEOUT, null);
            }
            int rc = p.exitValue();
            return new Outcome(rc == 0 ? Kind.PASS : Kind.FAIL, rc);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running the command", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
