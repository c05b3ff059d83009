package io.walkit.cli;

import io.walkit.io.Problem;
import io.walkit.sim.CheckpointRule;
import io.walkit.sim.Narration;
import io.walkit.sim.WalResetRace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim wal-reset-race}: SQLite's WAL-reset race step by step under the pre-fix and the post-fix rule. */
@Command(name = "wal-reset-race", mixinStandardHelpOptions = true,
        description = {"Narrates SQLite's WAL-reset race (3.7.0-3.51.2, fixed in 3.51.3) on real b-tree pages: a",
                "checkpoint working from a wal-index header read before a writer restarted the WAL stores a wrong",
                "nBackfill and the database ends corrupt; the same schedule with the 3.51.3 rule is harmless.",
                "See docs/wal-reset-race.md."})
final class SimWalResetRaceCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--out", paramLabel = "DIR",
            description = "write each rule's files into DIR: RULE-raced.db, -wal, -shm (right after the stale backfill), RULE-final.db")
    Path out;

    @CommandLine.Option(names = "--force", description = "overwrite existing files in the --out directory")
    boolean force;

    @CommandLine.Option(names = "--json", description = {"print one JSON object: {\"rules\": [{\"rule\": \"pre-fix\"|\"post-fix\",",
            "\"nBackfillWrong\", \"corrupt\", \"finalImage\", \"integrityProblems\": [...], \"shmFindings\": [...],",
            "\"schedule\"}]}"})
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var pw = spec.commandLine().getOut();
        List<WalResetRace.Result> results = new ArrayList<>();
        for (CheckpointRule rule : CheckpointRule.values()) {
            results.add(WalResetRace.run(rule));
        }
        // The model must show the race under the old rule and not under the new one; anything else is a walkit bug.
        for (WalResetRace.Result r : results) {
            boolean expected = r.rule() == CheckpointRule.PRE_FIX;
            if (r.corrupt() != expected || r.nBackfillWrong() != expected) {
                throw new IllegalStateException("the model " + (expected ? "did not reproduce" : "reproduced")
                        + " the WAL-reset race under rule " + r.rule().scriptName());
            }
        }
        Narration n = null;
        if (json) {
            Json j = new Json().beginObject().name("rules").beginArray();
            for (WalResetRace.Result r : results) {
                j.beginObject().field("rule", r.rule().scriptName()).field("nBackfillWrong", r.nBackfillWrong())
                        .field("corrupt", r.corrupt()).field("finalImage", r.finalImage());
                j.name("integrityProblems").beginArray();
                for (Problem p : r.integrity().report().problems()) {
                    j.problem(p);
                }
                j.endArray();
                j.name("shmFindings").beginArray();
                for (Problem f : r.shmFindings()) {
                    j.problem(f);
                }
                j.endArray().field("schedule", r.scenario().script()).endObject();
            }
            pw.println(j.endArray().endObject());
        } else {
            n = WalResetRace.narrate();
            pw.print(n.text());
        }
        if (out != null) {
            java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            for (WalResetRace.Result r : results) {
                r.files().forEach((k, v) -> files.put(r.rule().scriptName() + "-" + k, v));
            }
            String written = SimFiles.writeAll(out, files, force);
            if (!json) {
                pw.print(written);
            }
        }
        return Walkit.EXIT_OK;
    }
}
