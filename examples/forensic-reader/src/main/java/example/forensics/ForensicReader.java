package example.forensics;

import io.walkit.db.Evidence;
import io.walkit.io.Problem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Prints what a SQLite database holds, as SQLite would show it (through its -wal's last commit, or
 * rolled back through a hot -journal), and how each table looked at every earlier WAL commit.
 * Opens everything read-only and creates no file.
 */
public final class ForensicReader {

    private ForensicReader() {}

    /**
     * Prints the report for {@code args[0]}.
     *
     * @param args the database path
     * @throws IOException when the files cannot be read
     */
    public static void main(String[] args) throws IOException {
        report(Path.of(args[0]), System.out);
    }

    /**
     * Writes the report for {@code database} to {@code out}.
     *
     * @param database the database file (its -wal, -shm, -journal are found beside it)
     * @param out      where the report goes
     * @throws IOException when the files cannot be read
     */
    public static void report(Path database, PrintStream out) throws IOException {
        try (Evidence e = Evidence.open(database)) {
            out.println("walkit: " + Evidence.class.getModule());
            out.println("evidence: " + e);
            out.println("hot journal: " + e.hotJournal());
            for (Problem note : e.notes()) {
                out.println("note: " + note.severity().jsonName() + " " + note.code().id() + ": " + note.message());
            }
            for (String table : e.tableNames()) {
                out.println("table " + table + " " + e.columnNames(table) + ": " + e.rows(table).count() + " rows");
                try (Stream<Evidence.Row> rows = e.rows(table)) {
                    rows.limit(2).forEach(r -> out.println("  " + r));
                }
            }
            for (int commit = 0; commit < e.walCommits(); commit++) {
                try (Evidence then = e.atCommit(commit)) {
                    StringBuilder sb = new StringBuilder("commit " + commit + ":");
                    for (String table : then.tableNames()) {
                        long[] n = {0};
                        then.forEachRow(table, r -> ++n[0] > 0);
                        sb.append(' ').append(table).append('=').append(n[0]);
                    }
                    out.println(sb);
                }
            }
            out.println("integrity: " + (e.integrityCheck(100).ok() ? "ok" : e.integrityCheck(100).problems()));
        }
    }
}
