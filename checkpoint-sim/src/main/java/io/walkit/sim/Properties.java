package io.walkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The oracle for property-based tests: runs a scenario and checks, after every step, the
 * properties of docs/format-notes.md, "Checkpoint invariants" ({@link Invariants}) plus durability: with honest fsync and
 * synchronous=FULL a crash recovers the last acknowledged commit (or the one in flight), and a
 * database + WAL pair copied at one instant reads as the latest commit.
 *
 * <p>Stateless; thread-safe (each check runs its own model).
 */
public final class Properties {

    /**
     * A violated property.
     *
     * @param step       1-based step after which it was violated
     * @param message    what was violated
     * @param transcript the scenario run up to that step, as a script with results in comments
     */
    public record Failure(int step, String message, String transcript) {}

    private Properties() {}

    /**
     * Checks {@code scenario}; empty when every property holds. Steps the model rejects ("error: ...") are skipped.
     *
     * @param scenario the scenario
     * @return the first violation, or empty
     */
    public static Optional<Failure> check(Scenario scenario) {
        WalSim sim = scenario.newModel();
        Invariants inv = new Invariants();
        StringBuilder transcript = new StringBuilder(settings(scenario));
        int i = 0;
        for (Step step : scenario.steps()) {
            i++;
            int acknowledged = sim.latestIndex();
            StepResult result = ScenarioRunner.applyOrRecord(sim, step);
            sim.drainNotes();
            transcript.append(step.script()).append("  # -> ").append(result.text()).append('\n');
            List<String> problems = new ArrayList<>(inv.check(sim));
            if (step instanceof Step.Crash && scenario.config().fsync() == FsyncMode.HONEST
                    && scenario.config().synchronous() == WalSim.Synchronous.FULL
                    && !sim.latestImage().origin().inFlight()
                    && !sim.latestImage().samePages(sim.history().get(acknowledged))) {
                problems.add("honest fsync, synchronous=FULL: the crash did not recover the last acknowledged "
                        + sim.history().get(acknowledged).label() + " but " + sim.latestImage().label());
            }
            if (step instanceof Step.Check c && i >= 3
                    && scenario.steps().get(i - 3) instanceof Step.Copy d && d.file() == SimFileKind.DB && d.as().equals(c.db())
                    && scenario.steps().get(i - 2) instanceof Step.Copy w && w.file() == SimFileKind.WAL && w.as().equals(c.wal())
                    && !sim.halted()) {
                DbImage img = LogicalImage.of(sim.copies().get(c.db()), sim.copies().get(c.wal()), sim.pageSize());
                if (!img.samePages(sim.latestImage())) {
                    problems.add("db + WAL copied at one instant do not read as the latest image ("
                            + sim.latestImage().label() + "): " + result.text());
                }
            }
            if (!problems.isEmpty()) {
                return Optional.of(new Failure(i, String.join("; ", problems), transcript.toString()));
            }
        }
        return Optional.empty();
    }

    private static String settings(Scenario s) {
        String script = s.script();
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.startsWith("set ")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }
}
