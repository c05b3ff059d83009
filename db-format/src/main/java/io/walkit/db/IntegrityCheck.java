package io.walkit.db;

import io.walkit.io.CorruptFileException;
import io.walkit.io.Problem;
import java.util.List;

/**
 * SQLite's {@code PRAGMA integrity_check} re-implemented over a {@link Database}: the b-tree
 * level of {@code sqlite3BtreeIntegrityCheck} (page accounting, freelist, pointer map, per-page
 * header, cell bounds, rowid order, overflow chains, depth, byte coverage and fragmentation) and
 * the row level of {@code pragma.c} (record format, NOT NULL, type affinity checks, index entry
 * counts, rows missing from indexes, UNIQUE duplicates). Messages use SQLite's own templates and,
 * as in SQLite 3.50, the row level runs after the b-tree level whatever that found: first the index
 * entry counts the b-tree walk took ({@code aCnt[]} of {@code sqlite3BtreeIntegrityCheck}), then one
 * scan per table in schema-hash order, which the first unreadable structure ends (SQLite's
 * statement fails there with SQLITE_CORRUPT).
 *
 * <p>Not checked (documented gaps): CHECK constraints, partial-index WHERE clauses (their counts
 * and memberships are skipped), expression index membership (counts are still checked),
 * non-BINARY collation differences, WITHOUT ROWID key order.
 *
 * <p>Bounds: every page is visited at most once (a bitmap of the database size records
 * references, as SQLite's {@code aPgRef}); recursion depth is at most {@link #MAX_TREE_DEPTH};
 * each overflow or freelist chain stops at its first repeated page; total time is linear in the
 * database size plus the row data; memory is one bit per page plus one exact byte key
 * ({@link IndexKeys}) per index entry of the indexes of one table. Never throws for a damaged file:
 * every impossibility becomes a {@link Problem} (codes in {@link IntegrityCode}).
 *
 * <p>Stateless and thread-safe (each check walks its own state). It closes nothing: the caller
 * owns the {@link Database} or {@link PageSource} it passes in.
 */
public final class IntegrityCheck {

    /** Recursion bound for b-tree descent; SQLite's cursors already fail beyond 20 levels. */
    public static final int MAX_TREE_DEPTH = 64;

    /**
     * The outcome: {@link #ok()} iff no problems were found. Each problem has an {@link IntegrityCode},
     * a {@link Problem.Position.Page} or {@link Problem.Position.InPage} position, SQLite's prefix as its
     * structure ({@code Tree 2 page 5 cell 3}, {@code Freelist}, or none), and {@link Problem#text()}
     * is the line SQLite's {@code PRAGMA integrity_check} prints. Immutable.
     *
     * @param problems  the problems, in SQLite's order (a defensive copy is kept)
     * @param truncated whether more problems were found than the limit allowed
     */
    public record Report(List<Problem> problems, boolean truncated) {
        /** Keeps an unmodifiable copy of the list. */
        public Report {
            problems = List.copyOf(problems);
        }

        /**
         * The report for a database that cannot be opened at all.
         *
         * @param e why it cannot be opened
         * @return a report with that one problem
         */
        public static Report unreadable(CorruptFileException e) {
            return new Report(List.of(Problem.of(IntegrityCode.DATABASE_UNREADABLE, e)), false);
        }

        /**
         * Whether the database passed.
         *
         * @return true iff there are no problems
         */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private IntegrityCheck() {}

    /**
     * Checks the image in {@code pages}, reporting at most {@code maxProblems} problems (SQLite: 100).
     *
     * @param pages       the database image (not closed here)
     * @param maxProblems the limit, SQLite's {@code mxErr}
     * @return the report; a database that cannot be opened gives {@link Report#unreadable}
     */
    public static Report check(PageSource pages, int maxProblems) {
        Database db;
        try {
            db = Database.open(pages);
        } catch (CorruptFileException e) {
            return Report.unreadable(e);
        }
        return check(db, maxProblems);
    }

    /**
     * Checks {@code db}, reporting at most {@code maxProblems} problems (SQLite: 100). A walkit bug
     * met on the way propagates as an unchecked exception; it never becomes "ok".
     *
     * @param db          the open database (not closed here)
     * @param maxProblems the limit, SQLite's {@code mxErr}
     * @return the report
     */
    public static Report check(Database db, int maxProblems) {
        return check(db, maxProblems, SchemaParser.DEFAULT);
    }

    /**
     * Checks {@code db} with {@code parser} turning schema SQL into table and index shapes (tests
     * inject a faulty parser to prove that a walkit bug propagates instead of becoming "ok").
     */
    static Report check(Database db, int maxProblems, SchemaParser parser) {
        CheckProblems problems = new CheckProblems(Math.max(1, maxProblems));
        if (db.pageCount() == 0) {
            return problems.report();
        }
        List<RootOrder.Tree> trees = List.of(new RootOrder.Tree(null, null, 1L));
        Schema schema = null;
        try {
            schema = db.schema();
            trees = RootOrder.trees(schema);
        } catch (CorruptFileException e) {
            problems.add(IntegrityCode.SCHEMA_UNREADABLE, null, 1, -1, null, null, e.getMessage(), null);
        }
        if (schema != null) {
            for (Problem p : SchemaCheck.problems(schema, db.pageCount())) {
                // SQLite refuses to load such a schema: every statement fails with SQLITE_CORRUPT.
                problems.add(p);
            }
        }
        long[] counts = new BtreeCheck(db, problems).run(trees);
        if (schema != null) {
            // pragma.c runs these whatever the b-tree level found: first the entry counts the b-tree
            // walk took, then one scan per table (stopped, like SQLite's statement, by the first
            // structure the scan cannot read).
            RowCheck rows = new RowCheck(db, schema, parser, problems);
            rows.entryCounts(trees, counts);
            rows.rowLevel();
        }
        return problems.report();
    }
}
