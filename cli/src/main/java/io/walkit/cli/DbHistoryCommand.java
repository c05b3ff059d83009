package io.walkit.cli;

import io.walkit.forensics.LogHistory;
import io.walkit.forensics.RowChange;
import io.walkit.forensics.TableSnapshot;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db history FILE TABLE [--rowid N]}: every version of a table's rows (or of one row)
 * over the WAL's valid prefix, in one pass that re-decodes only the pages each commit changed. With
 * {@code --json}, JSON Lines in {@code db diff}'s shape with a leading {@code commit}: first the rows
 * of the database file as {@code "change":"present"} at commit 0, then per commit each insert,
 * update (old and new) and delete. {@code --csv} prints one line per row version and {@code --sqlite OUT}
 * writes the versions to a database ({@link ChangeOutput}).
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Prints every version of a table's rows (or one row) at every commit of the WAL.")
final class DbHistoryCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LogInput input = new LogInput();

    @CommandLine.Mixin
    ChangeOutput output = new ChangeOutput();

    @CommandLine.Parameters(index = "1", paramLabel = "TABLE", description = "the table's name")
    String table;

    @CommandLine.Option(names = "--rowid", paramLabel = "N", description = "only the row with this rowid")
    Long rowid;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        output.start(input, out);
        try (LogHistory h = input.open()) {
            TableSnapshot prev = h.snapshot(0, table);
            columns(prev);
            boolean seen = prev.info() != null;
            if (prev.info() != null && rowid != null && prev.info().withoutRowid()) {
                throw new Errors.UsageException("--rowid: table '" + table + "' is a WITHOUT ROWID table");
            }
            for (Map.Entry<Object, Object[]> e : prev.rows().entrySet()) {
                if (rowid == null || rowid.equals(e.getKey())) {
                    if (output.csv() || output.sqlite != null) {
                        output.present(out, prev.table(), e.getKey() instanceof Long l ? l : null, e.getValue());
                    }
                    if (!output.csv()) {
                        print(out, 0, present(prev, e.getKey(), e.getValue()));
                    }
                }
            }
            for (int c = 1; c <= h.commitCount(); c++) {
                TableSnapshot next = h.snapshot(c, table);
                seen |= next.info() != null;
                columns(next);
                for (RowChange ch : TableSnapshot.diff(prev, next)) {
                    if (rowid == null || rowid.equals(ch.rowid())) {
                        output.change(out, ch, c);
                        if (!output.csv()) {
                            print(out, c, ch);
                        }
                    }
                }
                prev = next;
            }
            if (!seen) {
                throw new Errors.UsageException("no table named '" + table + "' with a b-tree at any commit of " + input.file);
            }
        }
        output.finish();
        out.flush();
        return Walkit.EXIT_OK;
    }

    private void columns(TableSnapshot s) {
        if (s.info() != null) {
            output.columns(s.table(), s.info().columns().stream().map(io.walkit.db.Column::name).toList());
        }
    }

    private void print(PrintWriter out, int commit, Object change) {
        if (change instanceof RowChange c) {
            out.println(input.json ? DbDiffCommand.json(c, commit).toString() : DbDiffCommand.text(c, commit));
        } else {
            out.println(change);
        }
    }

    /** A row of the database file (commit 0), in the shape of a change with {@code "change":"present"}. */
    private String present(TableSnapshot s, Object key, Object[] values) {
        if (!input.json) {
            StringBuilder sb = new StringBuilder("commit 0 present ").append(s.table()).append(' ');
            sb.append(key instanceof Long l ? "rowid=" + l : "key=" + key);
            List<String> cells = java.util.Arrays.stream(values).map(DbDumpCommand::csvValue).toList();
            return sb.append(" new: ").append(String.join(",", cells)).toString();
        }
        Json j = new Json().beginObject().field("commit", 0).field("change", "present").field("table", s.table());
        if (key instanceof TableSnapshot.PrimaryKey pk) {
            j.name("key");
            DbDiffCommand.values(j, pk.values().toArray());
        } else {
            j.field("rowid", (Long) key);
        }
        j.name("old").nullValue().name("new");
        DbDiffCommand.values(j, values);
        return j.endObject().toString();
    }
}
