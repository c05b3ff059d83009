package io.walkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Domain-aware shrinking of a failing scenario: cut everything after the failing step, drop a
 * reader (all its steps), drop single steps (a transaction, a checkpoint, a copy), drop pages
 * from a commit, and simplify checkpoint modes to PASSIVE, repeating until nothing smaller still
 * fails. Library-neutral: the property is any predicate "this scenario still fails".
 */
public final class Shrinker {

    private Shrinker() {}

    /** The smallest scenario found that still satisfies {@code fails} (which {@code scenario} must satisfy). */
    public static Scenario shrink(Scenario scenario, Predicate<Scenario> fails) {
        Scenario best = scenario;
        int budget = 2000; // predicate evaluations; each is a short model run
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
            if (st instanceof Step.Commit c && c.pages().length > 1 && c.images() == null) {
                for (int k = 0; k < c.pages().length; k++) {
                    int[] fewer = new int[c.pages().length - 1];
                    for (int j = 0, m = 0; j < c.pages().length; j++) {
                        if (j != k) {
                            fewer[m++] = c.pages()[j];
                        }
                    }
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
        // Fewer initial pages.
        if (s.initialDb() == null && s.dbPages() > 1) {
            out.add(new Scenario(s.config(), s.dbPages() - 1, null, steps));
        }
        return out;
    }

    private static Scenario replace(Scenario s, int i, Step step) {
        List<Step> l = new ArrayList<>(s.steps());
        l.set(i, step);
        return s.withSteps(l);
    }
}
