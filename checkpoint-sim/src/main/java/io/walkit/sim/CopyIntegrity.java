package io.walkit.sim;

import io.walkit.io.Problem;

import io.walkit.db.FilePageSource;
import io.walkit.db.IntegrityCheck;
import io.walkit.db.PageSource;
import io.walkit.db.WalPageSource;
import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.util.ArrayList;
import java.util.List;

/**
 * walkit's own {@code PRAGMA integrity_check} (db-format's {@link IntegrityCheck}) of copied files:
 * a database file alone, or a database file read through a WAL copied with it, exactly as a fresh
 * connection would read the pair (db-format's {@link WalPageSource} at the WAL's last valid commit,
 * docs/format-notes.md, "Which database a reader sees"). No SQLite is involved and nothing is written.
 *
 * <p>As SQLite does on open ({@code pagerOpenWalIfPresent}), a WAL beside a zero-length database
 * is ignored (SQLite deletes it), and a WAL without a valid commit adds nothing.
 *
 * <p>Stateless and thread-safe; the checks work on byte arrays the caller keeps and close the
 * page sources they open.
 */
public final class CopyIntegrity {

    /** SQLite's default limit of {@code PRAGMA integrity_check}. */
    public static final int SQLITE_MAX_PROBLEMS = 100;

    private CopyIntegrity() {}

    /**
     * The verdict on one set of copies.
     *
     * @param report    the integrity report (ok iff no problems)
     * @param throughWal how many WAL commits the view read (0: the database file alone)
     */
    public record Verdict(IntegrityCheck.Report report, int throughWal) {

        /**
         * Whether the check found no problem.
         *
         * @return true when the report is ok
         */
        public boolean ok() {
            return report.ok();
        }

        /**
         * "ok", or "NOT OK: N problems; first: page P: structure: message; ..." with up to {@code first} problems.
         *
         * @param first how many problems to spell out
         * @return one line ({@code N+} when the report was truncated at its limit)
         */
        public String summary(int first) {
            if (report.ok()) {
                return "ok";
            }
            List<Problem> ps = report.problems();
            StringBuilder sb = new StringBuilder("NOT OK: ").append(ps.size()).append(report.truncated() ? "+" : "")
                    .append(ps.size() == 1 && !report.truncated() ? " problem" : " problems");
            for (int i = 0; i < Math.min(first, ps.size()); i++) {
                sb.append(i == 0 ? "; " : " | ").append(line(ps.get(i)));
            }
            if (ps.size() > first) {
                sb.append(" | ...");
            }
            return sb.toString();
        }

        /**
         * One problem as "page P: structure: message" (the page is walkit's; the rest is SQLite's wording).
         *
         * @param p the problem
         * @return one line; without the page prefix when the problem has no position
         */
        public static String line(Problem p) {
            return (p.position() == null ? "" : "page " + p.position().pageNumber() + ": ") + p.text();
        }
    }

    /**
     * Checks {@code db} alone ({@code wal} null) or read through {@code wal}, reporting at most
     * {@code maxProblems} problems. A database (or WAL) too damaged to read at all is a verdict
     * with one problem ({@link IntegrityCheck.Report#unreadable}), not an exception.
     *
     * @param db          the database file's bytes
     * @param wal         the WAL file's bytes, or null for the database alone
     * @param maxProblems the most problems to report (at least 1 is used)
     * @return the verdict
     */
    public static Verdict check(byte[] db, byte[] wal, int maxProblems) {
        int max = Math.max(1, maxProblems);
        PageSource pages = null;
        try {
            FilePageSource file = FilePageSource.of(db, "db copy");
            if (wal == null || db.length == 0) {
                pages = file;
            } else {
                WalScan scan = WalScanner.scan(ByteSource.of(wal, "wal copy"));
                pages = scan.commitCount() == 0 ? file : new WalPageSource(file, scan, scan.commitCount());
            }
            int commits = pages instanceof WalPageSource w ? w.commit() : 0;
            return new Verdict(IntegrityCheck.check(pages, max), commits);
        } catch (CorruptFileException e) {
            return new Verdict(IntegrityCheck.Report.unreadable(e), 0);
        } finally {
            if (pages != null) {
                pages.close();
            }
        }
    }

    /**
     * {@link #check(byte[], byte[], int)} with SQLite's default limit of 100 problems.
     *
     * @param db  the database file's bytes
     * @param wal the WAL file's bytes, or null for the database alone
     * @return the verdict
     */
    public static Verdict check(byte[] db, byte[] wal) {
        return check(db, wal, SQLITE_MAX_PROBLEMS);
    }
}
