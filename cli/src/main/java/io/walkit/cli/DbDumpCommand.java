package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.db.IndexReader;
import io.walkit.db.TableReader;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db dump FILE TABLE}: the rows of one table in key order, as CSV (a header line,
 * blobs as {@code X'hex'}, NULL as an empty field) or, with {@code --json}, one JSON array per
 * row: the rowid first (rowid tables), then the columns; blobs as {@code {"blob":"hex"}}.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Prints a table's rows (or an index's entries) as CSV, or JSON lines with --json.")
final class DbDumpCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DbCommand.Input input = new DbCommand.Input();

    @CommandLine.Parameters(index = "1", paramLabel = "TABLE",
            description = "the table name (sqlite_schema for the schema), or an index name")
    String table;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Database db = input.open()) {
            TableReader r = TableReader.open(db, table);
            PrintWriter out = spec.commandLine().getOut();
            if (r == null) {
                IndexReader ix = IndexReader.open(db, table);
                if (ix == null) {
                    throw new Errors.UsageException("no table or index named '" + table + "' with a b-tree in " + input.file);
                }
                return dumpIndex(ix, out);
            }
            boolean rowid = !r.info().withoutRowid();
            if (!input.json) {
                StringBuilder h = new StringBuilder();
                if (rowid) {
                    h.append("rowid");
                }
                for (String c : r.columnNames()) {
                    if (!h.isEmpty()) {
                        h.append(',');
                    }
                    h.append(csv(c));
                }
                out.println(h);
            }
            StringBuilder line = new StringBuilder();
            r.scan((id, values) -> {
                if (input.json) {
                    Json j = new Json().beginArray();
                    if (rowid) {
                        j.value(id);
                    }
                    for (Object v : values) {
                        DbCommand.jsonValue(j, v);
                    }
                    out.println(j.endArray());
                } else {
                    line.setLength(0);
                    if (rowid) {
                        line.append(id);
                    }
                    for (int i = 0; i < values.length; i++) {
                        if (rowid || i > 0) {
                            line.append(',');
                        }
                        line.append(csvValue(values[i]));
                    }
                    out.println(line);
                }
                return true;
            });
            return Walkit.EXIT_OK;
        }
    }

    /** Index entries: key columns then rowid / primary key, in key order. */
    private int dumpIndex(IndexReader ix, PrintWriter out) throws Exception {
        if (!input.json) {
            out.println(String.join(",", ix.fieldNames().stream().map(DbDumpCommand::csv).toList()));
        }
        StringBuilder line = new StringBuilder();
        ix.scan(values -> {
            if (input.json) {
                Json j = new Json().beginArray();
                for (Object v : values) {
                    DbCommand.jsonValue(j, v);
                }
                out.println(j.endArray());
            } else {
                line.setLength(0);
                for (int i = 0; i < values.length; i++) {
                    line.append(i == 0 ? "" : ",").append(csvValue(values[i]));
                }
                out.println(line);
            }
            return true;
        });
        return Walkit.EXIT_OK;
    }

    static String csvValue(Object v) {
        return switch (v) {
            case null -> "";
            case byte[] b -> "X'" + HexFormat.of().formatHex(b) + "'";
            case String s -> csv(s);
            default -> v.toString();
        };
    }

    static String csv(String s) {
        if (s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
