package io.walkit.sim;

import io.walkit.db.IntegrityCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two integrity oracles side by side on one set of copies: real SQLite's
 * {@code PRAGMA integrity_check} (sqlite-jdbc) and walkit's own ({@link CopyIntegrity}, db-format's
 * IntegrityCheck). They must give the same verdict, and walkit must name at least every page
 * SQLite names.
 */
final class IntegrityOracle {

    /** Page numbers in a problem line: "Tree 2 page 5", "Page 7: never used", "2nd reference to page 7", "invalid page number 99". */
    private static final Pattern PAGE = Pattern.compile("(?i)\\b(?:tree|page|page number) (\\d+)");

    /** walkit's limit here: far above SQLite's 100, so that SQLite's (possibly truncated) list is comparable. */
    static final int WALKIT_MAX_PROBLEMS = 100_000;

    private IntegrityOracle() {}

    /** What real SQLite said: its rows, or the error that stopped it. */
    record SqliteVerdict(boolean ok, List<String> lines) {
        Set<Long> pages() {
            return pagesIn(lines);
        }
    }

    /** Both verdicts on one set of copies. */
    record Judgement(String name, SqliteVerdict sqlite, CopyIntegrity.Verdict walkit) {
        boolean agree() {
            return sqlite.ok() == walkit.ok() && missingPages().isEmpty();
        }

        /** walkit's problem lines in SQLite's wording equal SQLite's rows (as sets, without a final "error:" row). */
        boolean sameText() {
            Set<String> w = new TreeSet<>();
            for (io.walkit.io.Problem p : walkit.report().problems()) {
                w.add(p.text());
            }
            Set<String> q = new TreeSet<>();
            for (String l : sqlite.lines()) {
                if (!l.startsWith("error: ")) { // the statement's own SQLITE_CORRUPT: walkit has no such row
                    q.add(l);
                }
            }
            return !sqlite.ok() && w.equals(q);
        }

        /** Pages SQLite names that walkit's problems do not. */
        Set<Long> missingPages() {
            Set<Long> want = new TreeSet<>(sqlite.pages());
            want.removeAll(walkitPages());
            return want;
        }

        Set<Long> walkitPages() {
            List<String> texts = new ArrayList<>();
            Set<Long> out = new TreeSet<>();
            for (io.walkit.io.Problem p : walkit.report().problems()) {
                out.add(p.position().pageNumber());
                texts.add(p.text());
            }
            out.addAll(pagesIn(texts));
            return out;
        }

        String describe() {
            StringBuilder sb = new StringBuilder(name).append(": SQLite ").append(sqlite.ok() ? "ok" : "NOT OK")
                    .append(", walkit ").append(walkit.ok() ? "ok" : "NOT OK");
            if (!missingPages().isEmpty()) {
                sb.append("; pages SQLite names that walkit does not: ").append(missingPages());
            }
            sb.append("\n  SQLite (").append(sqlite.lines().size()).append(" lines):");
            sqlite.lines().stream().limit(shown()).forEach(l -> sb.append("\n    ").append(l));
            List<io.walkit.io.Problem> ps = walkit.report().problems();
            sb.append("\n  walkit (").append(ps.size()).append(" problems):");
            ps.stream().limit(shown()).forEach(p -> sb.append("\n    ").append(CopyIntegrity.Verdict.line(p)));
            return sb.toString();
        }
    }

    private static long shown() {
        return System.getProperty("walkit.sim.showIntegrity") != null ? Long.MAX_VALUE : 12;
    }

    static Set<Long> pagesIn(List<String> lines) {
        Set<Long> out = new TreeSet<>();
        for (String l : lines) {
            Matcher m = PAGE.matcher(l);
            while (m.find()) {
                out.add(Long.parseLong(m.group(1)));
            }
        }
        return out;
    }

    /**
     * Judges {@code db} (and {@code wal}, copied at the same instant, or null) with both oracles.
     * walkit reads the bytes; SQLite reads them written to {@code copy} (and {@code copy-wal}).
     */
    static Judgement judge(Path copy, byte[] db, byte[] wal) throws IOException {
        CopyIntegrity.Verdict w = CopyIntegrity.check(db, wal, WALKIT_MAX_PROBLEMS);
        String name = (copy.getParent() == null ? "" : copy.getParent().getFileName() + "-") + copy.getFileName();
        return new Judgement(name, sqlite(copy, db, wal), w);
    }

    /** Writes the copy (and its WAL) and runs PRAGMA integrity_check on it with real SQLite, collecting every row. */
    static SqliteVerdict sqlite(Path copy, byte[] db, byte[] wal) throws IOException {
        Files.write(copy, db);
        if (wal != null) {
            Files.write(Path.of(copy + "-wal"), wal);
        }
        List<String> lines = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
                // The first row of a failing check starts with "*** in database main ***\n".
                for (String l : rs.getString(1).split("\n")) {
                    if (!l.startsWith("*** in database ")) {
                        lines.add(l);
                    }
                }
            }
        } catch (SQLException e) {
            lines.add("error: " + e.getMessage()); // "database disk image is malformed" and the like
            return new SqliteVerdict(false, List.copyOf(lines));
        }
        return new SqliteVerdict(lines.equals(List.of("ok")), List.copyOf(lines));
    }

    /**
     * Keeps the files of a disagreement under {@code target/integrity-disagreements/} (to be turned
     * into a fixture) and returns where.
     */
    static Path keep(Judgement j, byte[] db, byte[] wal) throws IOException {
        return keep(j, db, wal, "integrity-disagreements");
    }

    /** Keeps the files of {@code j} under {@code target/DIRNAME/} with a .txt of both verdicts. */
    static Path keep(Judgement j, byte[] db, byte[] wal, String dirName) throws IOException {
        Path dir = Path.of("target", dirName);
        Files.createDirectories(dir);
        Path f = dir.resolve(j.name());
        Files.write(f, db);
        if (wal != null) {
            Files.write(Path.of(f + "-wal"), wal);
        }
        Files.writeString(Path.of(f + ".txt"), j.describe() + "\n");
        return f.toAbsolutePath();
    }
}
