package io.walkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Domain-aware shrinking of a failing scenario: cut everything after the failing step, drop a
 * reader (all its steps), drop single steps (a transaction, a checkpoint, a copy), drop pages
 * from a commit, and simplify checkpoint modes to PASSIVE, repeating until nothing smaller still
 * fails. Library-neutral: the property is any predicate "this scenario still fails".
 *
 * <p>Stateless; thread-safe if the predicate is.
 */
public final class Shrinker {

    private Shrinker() {}

    /** The default number of predicate evaluations {@link #shrink(Scenario, Predicate)} may spend. */
    public static final int DEFAULT_BUDGET = 2000;

    /**
     * The smallest scenario found that still satisfies {@code fails} (which {@code scenario} must satisfy).
     *
     * @param scenario a failing scenario
     * @param fails    whether a candidate still fails
     * @return the smallest failing scenario found within {@link #DEFAULT_BUDGET} evaluations
     *         ({@code scenario} itself when none smaller fails)
     */
    public static Scenario shrink(Scenario scenario, Predicate<Scenario> fails) {
        return shrink(scenario, fails, DEFAULT_BUDGET);
    }

    /**
     * The smallest scenario found within {@code budget} evaluations of {@code fails} that still
     * satisfies it. Candidates are tried smallest-change-first; the first that fails is kept and
     * the search restarts from it, until no candidate fails or the budget is spent.
     *
     * @param scenario a failing scenario
     * @param fails    whether a candidate still fails
     * @param budget   the most evaluations of {@code fails}
     * @return the smallest failing scenario found ({@code scenario} itself when none smaller fails)
     */
    public static Scenario shrink(Scenario scenario, Predicate<Scenario> fails, int budget) {
        Scenario best = scenario;
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            for (Scenario candidate : candidates(best)) {
                if (--budget < 0) {
                    break;
                }
                if (fails.test(candidate)) {
                    best = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return best;
    }

    private static List<Scenario> candidates(Scenario s) {
        List<Step> steps = s.steps();
        List<Scenario> out = new ArrayList<>();
        // Shorten: keep a prefix.
        for (int n = 1; n < steps.size(); n = n * 2) {
            out.add(s.withSteps(steps.subList(0, steps.size() - n)));
        }
        // Drop a reader entirely.
        steps.stream().filter(x -> x instanceof Step.Begin).map(x -> ((Step.Begin) x).conn()).distinct().forEach(r ->
                out.add(s.withSteps(steps.stream().filter(x -> !(x instanceof Step.Begin b && b.conn().equals(r))
                        && !(x instanceof Step.End e && e.conn().equals(r))
                        && !(x instanceof Step.Close c && c.conn().equals(r))).toList())));
        // Drop one step.
        for (int i = steps.size() - 1; i >= 0; i--) {
            List<Step> l = new ArrayList<>(steps);
            l.remove(i);
            out.add(s.withSteps(l));
        }
        // Simplify a step.
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            if (st instanceof Step.Commit c && c.pages().size() > 1 && c.images() == null) {
                for (int k = 0; k < c.pages().size(); k++) {
                    List<Integer> fewer = new ArrayList<>(c.pages());
                    fewer.remove(k);
                    out.add(replace(s, i, new Step.Commit(c.conn(), fewer, c.size())));
                }
            }
            if (st instanceof Step.Commit c && !c.conn().equals("W")) {
                out.add(replace(s, i, new Step.Commit("W", c.pages(), c.size(), c.images())));
            }
            if (st instanceof Step.Checkpoint k && k.mode() != CheckpointMode.PASSIVE) {
                out.add(replace(s, i, new Step.Checkpoint(k.conn(), CheckpointMode.values()[k.mode().ordinal() - 1], k.waitSucceeds())));
            }
            if (st instanceof Step.CkptBegin k && k.mode() != CheckpointMode.PASSIVE) {
                out.add(replace(s, i, new Step.CkptBegin(k.conn(), CheckpointMode.values()[k.mode().ordinal() - 1],
                        k.waitSucceeds())));
            }
            if (st instanceof Step.Checkpoint k && k.waitSucceeds()) {
                out.add(replace(s, i, new Step.Checkpoint(k.conn(), k.mode())));
            }
        }
        // Default settings (each simplification alone).
        WalSim.Config c = s.config();
        WalSim.Config d = WalSim.Config.defaults();
        for (WalSim.Config simpler : List.of(c.withAutocheckpoint(d.autocheckpoint()), c.withPersistentWal(d.persistentWal()),
                c.withJournalSizeLimit(d.journalSizeLimit()), c.withSectorSize(d.sectorSize()), c.withSaltSeed(d.saltSeed()))) {
            if (!simpler.equals(c)) {
                out.add(new Scenario(simpler, s.dbPages(), s.initialDb(), steps, s.source(), s.initialWal()));
            }
        }
        // Fewer initial pages.
        if (s.initialDb() == null && s.dbPages() > 1) {
            out.add(new Scenario(s.config(), s.dbPages() - 1, null, steps, s.source(), s.initialWal()));
        }
        return out;
    }

    private static Scenario replace(Scenario s, int i, Step step) {
        List<Step> l = new ArrayList<>(s.steps());
        l.set(i, step);
        return s.withSteps(l);
    }
}
