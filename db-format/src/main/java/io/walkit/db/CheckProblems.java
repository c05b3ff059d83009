package io.walkit.db;

import io.walkit.io.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The problem list of one integrity check run, shared by its b-tree level ({@link BtreeCheck}) and
 * row level ({@link RowCheck}): at most {@code maxProblems} problems (SQLite's {@code mxErr}), then
 * {@link #truncated()}. Not thread-safe; one per run.
 */
final class CheckProblems {

    private final int maxProblems;
    private final List<Problem> problems = new ArrayList<>();
    private boolean truncated;

    CheckProblems(int maxProblems) {
        this.maxProblems = maxProblems;
    }

    /** Whether the limit is reached (SQLite's {@code mxErr == 0}): checks stop early. */
    boolean full() {
        return problems.size() >= maxProblems;
    }

    /** Problems so far. */
    int size() {
        return problems.size();
    }

    /** Adds {@code p}, or notes the truncation when full. */
    void add(Problem p) {
        if (full()) {
            truncated = true;
            return;
        }
        problems.add(p);
    }

    /** An error with SQLite's prefix {@code structure} at page {@code page}, byte {@code offset} in it (−1: the whole page). */
    void add(IntegrityCode code, String structure, long page, int offset, String field, String expected, String found,
             String detail) {
        Problem.Position position = offset >= 0 ? new Problem.Position.InPage(page, offset) : new Problem.Position.Page(page);
        add(new Problem(Problem.Severity.ERROR, code, null, position, structure, field, expected, found, detail));
    }

    /** The report of the run. */
    IntegrityCheck.Report report() {
        return new IntegrityCheck.Report(problems, truncated);
    }
}
