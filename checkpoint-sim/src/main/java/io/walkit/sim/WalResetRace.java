package io.walkit.sim;

import io.walkit.io.ByteSource;
import io.walkit.io.Problem;
import io.walkit.wal.BackfillCheck;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQLite's WAL-reset race (docs/wal-reset-race.md) as one schedule of real-page commits
 * ({@link CommitSource#bundled()}), run under either {@link CheckpointRule}: checkpoint C2 reads
 * the wal-index header right after C1 checkpointed everything; writer W restarts the WAL and
 * commits; C2 goes on with its stale snapshot. Under {@code pre-fix} C2 stores an nBackfill that
 * claims frames it never copied, a later checkpoint skips them, the last close deletes the WAL and
 * the database file ends corrupt; under {@code post-fix} C2 notices the new salts and copies
 * nothing, and the database ends as the last commit.
 *
 * <p>Stateless; every call builds a new model. Thread-safe.
 */
public final class WalResetRace {

    /** Prefix of the files copied right after C2's backfill ({@code raced.db}, {@code -wal}, {@code -shm}). */
    public static final String RACED = "raced";
    /** Prefix of the database file copied after the last close ({@code final.db}). */
    public static final String FINAL = "final";

    private WalResetRace() {
    }

    /**
     * What the schedule did under one rule.
     *
     * @param rule          the rule
     * @param scenario      the scenario that ran (its {@link Scenario#script()} replays with {@code walkit sim run})
     * @param outcomes      every step's outcome, with the invariant violations the model saw
     * @param nBackfillWrong whether some step left nBackfill claiming frames that are not in the database
     *                      (invariant 1 or 2 of docs/sim.md violated)
     * @param shmFindings   wal-format's checks of the -shm copied right after C2's backfill
     *                      ({@code raced.db-shm} with its WAL and database): header, cross-check, {@link BackfillCheck}
     * @param finalImage    what the final database file equals ({@link LogicalImage#explain})
     * @param integrity     walkit's integrity check of the final database file (no WAL left)
     * @param files         {@code raced.db}, {@code raced.db-wal}, {@code raced.db-shm} (right after C2's
     *                      backfill) and {@code final.db} (after the last close)
     */
    public record Result(CheckpointRule rule, Scenario scenario, List<ScenarioRunner.Outcome> outcomes,
                         boolean nBackfillWrong, List<Problem> shmFindings, String finalImage,
                         CopyIntegrity.Verdict integrity, Map<String, byte[]> files) {

        /**
         * Whether the final database file fails walkit's integrity check.
         *
         * @return true when {@code integrity} is not ok
         */
        public boolean corrupt() {
            return !integrity.ok();
        }
    }

    /**
     * The schedule under {@code rule}, over the bundled real pages.
     *
     * @param rule which walCheckpoint the model runs
     * @return the scenario (19 steps)
     */
    public static Scenario scenario(CheckpointRule rule) {
        CommitSource src = CommitSource.bundled();
        List<Step> steps = List.of(
                src.replay("W", 1),                               // frames 1..9
                src.replay("W", 2),                               // frames 10..18
                new Step.Checkpoint("C1", CheckpointMode.PASSIVE), // (0,18,18): everything copied
                new Step.CkptBegin("C2", CheckpointMode.PASSIVE, false), // C2's header snapshot: mxFrame 18
                src.replay("W", 3),                               // W reads on slot 0: restart; frames 1..10
                new Step.CkptMarks("C2"),                         // live nBackfill 0 < 18: mxSafeFrame 18
                src.replay("W", 4),                               // frames 11..16, after C2's iterator
                new Step.CkptCopy("C2"),                          // pre-fix: nBackfill = 18 > mxFrame 16
                new Step.Copy(SimFileKind.DB, RACED + ".db"),
                new Step.Copy(SimFileKind.WAL, RACED + ".db-wal"),
                new Step.Copy(SimFileKind.SHM, RACED + ".db-shm"),
                new Step.CkptEnd("C2"),
                src.replay("W", 5),                               // frames 17..28; readers skip frames <= nBackfill
                new Step.Checkpoint("C1", CheckpointMode.PASSIVE), // copies frames above nBackfill only
                new Step.Close("C2"),
                new Step.Close("W"),
                new Step.Close("C1"),                             // last close: checkpoint, WAL deleted
                new Step.Copy(SimFileKind.DB, FINAL + ".db"),
                new Step.Check(FINAL + ".db", null));
        return new Scenario(WalSim.Config.defaults().withPageSize(src.pageSize()).withRule(rule), 0, src.db(), steps,
                "real-pages.db real-pages.db-wal");
    }

    /**
     * Runs the schedule under {@code rule}.
     *
     * @param rule which walCheckpoint the model runs
     * @return what the schedule did, with the copied files
     */
    public static Result run(CheckpointRule rule) {
        Scenario s = scenario(rule);
        List<ScenarioRunner.Outcome> outcomes = new ArrayList<>();
        WalSim sim = new ScenarioRunner(false, true).run(s, outcomes::add);
        boolean wrong = false;
        for (ScenarioRunner.Outcome o : outcomes) {
            for (String v : o.violations()) {
                wrong |= v.startsWith("nBackfill <= nBackfillAttempted") || v.startsWith("db + frames");
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of(RACED + ".db", RACED + ".db-wal", RACED + ".db-shm", FINAL + ".db")) {
            files.put(name, sim.copies().get(name));
        }
        List<Problem> findings = shmFindings(files.get(RACED + ".db-shm"), files.get(RACED + ".db-wal"),
                files.get(RACED + ".db"));
        byte[] fin = files.get(FINAL + ".db");
        String label = LogicalImage.explain(LogicalImage.of(fin, null, sim.pageSize()), sim.history());
        return new Result(rule, s, List.copyOf(outcomes), wrong, findings, label, CopyIntegrity.check(fin, null),
                files);
    }

    /** wal-format's checks of a -shm with its WAL and database: header, cross-check, nBackfill against the database. */
    static List<Problem> shmFindings(byte[] shm, byte[] wal, byte[] db) {
        WalIndex index = WalIndex.read(ByteSource.of(shm, RACED + ".db-shm"));
        WalScan scan = WalScanner.scan(ByteSource.of(wal, RACED + ".db-wal"));
        List<Problem> out = new ArrayList<>(index.checkHeader());
        out.addAll(index.crossCheck(scan));
        out.addAll(BackfillCheck.check(index, scan, ByteSource.of(db, RACED + ".db")));
        return out;
    }

    /**
     * The step-by-step account under both rules, the pre-fix one first.
     *
     * @return the narration, with facts and files for both rules
     */
    public static Narration narrate() {
        Narration n = new Narration("SQLite's WAL-reset race (3.7.0-3.51.2; fixed in 3.51.3, 3.50.7, 3.44.6)");
        n.say("Checkpoint C2 reads the wal-index header right after C1 checkpointed everything; writer W restarts the"
                + " WAL and commits before C2 looks at nBackfill; C2 carries on with its stale snapshot. Real b-tree");
        n.say("pages: commits 1..5 of testdata/sim/real-pages.db-wal (SQLite 3.40.1) replayed over real-pages.db."
                + " See docs/wal-reset-race.md.");
        for (CheckpointRule rule : CheckpointRule.values()) {
            Result r = run(rule);
            n.say("");
            n.say("== rule " + rule.scriptName() + " ==");
            for (ScenarioRunner.Outcome o : r.outcomes()) {
                n.say(String.format("%2d  %s", o.index(), o.describe()));
            }
            n.say("");
            n.say("wal-format on raced.db-shm + raced.db-wal + raced.db (copied right after C2's backfill):"
                    + (r.shmFindings().stream().noneMatch(f -> f.severity() == Problem.Severity.ERROR) ? " no errors" : ""));
            for (Problem f : r.shmFindings()) {
                if (f.severity() == Problem.Severity.ERROR) {
                    n.say("  " + f.severity() + " " + f.code().id() + ": " + f.message());
                }
            }
            n.say("final.db (after the last close deleted the WAL): " + r.finalImage());
            n.say("walkit integrity_check of final.db: " + r.integrity().summary(5));
            n.fact(key(rule, "NBackfillWrong"), r.nBackfillWrong());
            n.fact(key(rule, "Corrupt"), r.corrupt());
            for (Map.Entry<String, byte[]> e : r.files().entrySet()) {
                n.file(rule.scriptName() + "-" + e.getKey(), e.getValue());
            }
        }
        n.say("");
        n.say("With --out DIR: walkit shm info DIR/pre-fix-raced.db-shm --wal DIR/pre-fix-raced.db-wal --db"
                + " DIR/pre-fix-raced.db reports the race; walkit db check DIR/pre-fix-final.db reports the corruption;"
                + " sqlite3 on a copy of it agrees (PRAGMA integrity_check).");
        return n;
    }

    private static String key(CheckpointRule rule, String what) {
        return rule == CheckpointRule.PRE_FIX ? "preFix" + what : "postFix" + what;
    }
}
