package io.walkit.cli;

import io.walkit.forensics.LogHistory;
import io.walkit.forensics.RowChange;
import io.walkit.forensics.TableSnapshot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db diff FILE --from N --to M}: the rows inserted, updated and deleted between two
 * commits of the WAL's valid prefix (0 = the database file alone), per table. With {@code --json},
 * JSON Lines: {@code change} (insert, update, delete), {@code table}, {@code rowid} (or {@code key},
 * the primary-key values, for WITHOUT ROWID tables), {@code old} and {@code new} (value arrays in
 * declared column order, null for the side that does not exist). Exit 0 whether or not anything changed.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Prints the rows inserted, updated and deleted between two commits of the WAL (0 = the database file).")
final class DbDiffCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LogInput input = new LogInput();

    @CommandLine.Mixin
    ChangeOutput output = new ChangeOutput();

    @CommandLine.Option(names = "--from", required = true, paramLabel = "N", description = "the earlier commit (0 = the database file alone)")
    int from;

    @CommandLine.Option(names = "--to", required = true, paramLabel = "M", description = "the later commit")
    int to;

    @CommandLine.Option(names = "--table", paramLabel = "TABLE", description = "only this table (default: every table)")
    String table;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (LogHistory h = input.open()) {
            for (int c : new int[] {from, to}) {
                if (c < 0 || c > h.commitCount()) {
                    throw new Errors.UsageException("commit " + c + " is outside 0.." + h.commitCount() + " (the WAL's valid commits)");
                }
            }
            Set<String> tables = new LinkedHashSet<>();
            if (table != null) {
                tables.add(table);
            } else {
                tables.addAll(h.tables(from));
                tables.addAll(h.tables(to));
            }
            PrintWriter out = spec.commandLine().getOut();
            output.start(input, out);
            for (String t : tables) {
                TableSnapshot a = h.snapshot(from, t);
                TableSnapshot b = h.snapshot(to, t);
                for (TableSnapshot s : new TableSnapshot[] {b, a}) {
                    if (s.info() != null) {
                        output.columns(t, s.info().columns().stream().map(io.walkit.db.Column::name).toList());
                    }
                }
                for (RowChange c : TableSnapshot.diff(a, b)) {
                    output.change(out, c, to);
                    if (!output.csv()) {
                        out.println(input.json ? json(c, null).toString() : text(c, null));
                    }
                }
            }
            output.finish();
            out.flush();
        }
        return Walkit.EXIT_OK;
    }

    /** The JSON object of one change; {@code commit} (history) is put first when not null. */
    static Json json(RowChange c, Integer commit) {
        Json j = new Json().beginObject();
        if (commit != null) {
            j.field("commit", commit.longValue());
        }
        j.field("change", c.change().jsonName()).field("table", c.table());
        if (c.key() != null) {
            j.name("key");
            values(j, c.key().toArray());
        } else {
            j.field("rowid", c.rowid());
        }
        j.name("old");
        values(j, c.oldValues());
        j.name("new");
        values(j, c.newValues());
        return j.endObject();
    }

    static void values(Json j, Object[] vs) {
        if (vs == null) {
            j.nullValue();
            return;
        }
        j.beginArray();
        for (Object v : vs) {
            DbCommand.jsonValue(j, v);
        }
        j.endArray();
    }

    static String text(RowChange c, Integer commit) {
        StringBuilder sb = new StringBuilder();
        if (commit != null) {
            sb.append("commit ").append(commit).append(' ');
        }
        sb.append(c.change().jsonName()).append(' ').append(c.table()).append(' ');
        if (c.key() != null) {
            sb.append("key=").append(row(c.key().toArray()));
        } else {
            sb.append("rowid=").append(c.rowid());
        }
        if (c.oldValues() != null) {
            sb.append(" old: ").append(row(c.oldValues()));
        }
        if (c.newValues() != null) {
            sb.append(" new: ").append(row(c.newValues()));
        }
        return sb.toString();
    }

    private static String row(Object[] vs) {
        List<String> cells = new ArrayList<>();
        for (Object v : vs) {
            cells.add(DbDumpCommand.csvValue(v));
        }
        return String.join(",", cells);
    }
}
