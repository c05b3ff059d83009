package io.walkit.cli;

import io.walkit.db.Column;
import io.walkit.db.Database;
import io.walkit.db.IndexReader;
import io.walkit.db.TableReader;
import io.walkit.io.CorruptFileException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db dump FILE TABLE}: the rows of one table in key order, as CSV the way
 * {@code sqlite3 -csv -header} writes it (a header line, blobs as {@code X'hex'}, NULL as an empty
 * field, ±Infinity as {@code Inf}/{@code -Inf}) or, with {@code --json}, JSON Lines: one object
 * per row keyed by column name, the rowid first (as {@code sqlite3 -json}), blobs as
 * {@code {"blob":"hex"}}, ±Infinity as {@code 1e999}/{@code -1e999}. VIRTUAL generated columns are
 * not stored in the file: they are shown as {@code <not stored>} (CSV) and
 * {@code {"notStored":true}} (JSON), never as NULL.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Prints a table's rows (or an index's entries) as CSV, or JSON Lines with --json.")
final class DbDumpCommand implements Callable<Integer> {

    /** The CSV cell of a VIRTUAL generated column (computed by SQLite on read, absent from the file). */
    static final String NOT_STORED = "<not stored>";

    @CommandLine.Mixin
    DbCommand.Input input = new DbCommand.Input();

    @CommandLine.Parameters(index = "1", paramLabel = "TABLE",
            description = "the table name (sqlite_schema for the schema), or an index name")
    String table;

    @CommandLine.Option(names = "--skip-damaged",
            description = "skip a damaged subtree or cell (reported on stderr, exit 1) instead of stopping at it (exit 3)")
    boolean skipDamaged;

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
            List<String> names = r.columnNames();
            List<Column> cols = r.info().columns();
            boolean[] virtual = new boolean[cols.size()];
            List<String> virtualNames = new ArrayList<>();
            for (int c = 0; c < virtual.length; c++) {
                virtual[c] = cols.get(c).virtual();
                if (virtual[c]) {
                    virtualNames.add(cols.get(c).name());
                }
            }
            if (!virtualNames.isEmpty()) {
                spec.commandLine().getErr().println("walkit: note: " + String.join(", ", virtualNames)
                        + (virtualNames.size() == 1 ? " is a VIRTUAL generated column" : " are VIRTUAL generated columns")
                        + " of " + table + ": not stored in the file; shown as " + (input.json ? "{\"notStored\":true}" : NOT_STORED));
            }
            String rowidName = rowidName(names);
            if (!input.json) {
                StringBuilder h = new StringBuilder();
                if (rowid) {
                    h.append(rowidName);
                }
                for (String c : names) {
                    if (!h.isEmpty()) {
                        h.append(',');
                    }
                    h.append(csv(c));
                }
                out.println(h);
            }
            StringBuilder line = new StringBuilder();
            TableReader.RowConsumer each = (id, values) -> {
                if (input.json) {
                    Json j = new Json().beginObject();
                    if (rowid) {
                        j.field(rowidName, id);
                    }
                    for (int i = 0; i < values.length; i++) {
                        j.name(names.get(i));
                        if (virtual[i]) {
                            j.beginObject().field("notStored", true).endObject();
                        } else {
                            DbCommand.jsonValue(j, values[i]);
                        }
                    }
                    out.println(j.endObject());
                } else {
                    line.setLength(0);
                    if (rowid) {
                        line.append(id);
                    }
                    for (int i = 0; i < values.length; i++) {
                        if (rowid || i > 0) {
                            line.append(',');
                        }
                        line.append(virtual[i] ? NOT_STORED : csvValue(values[i]));
                    }
                    out.println(line);
                }
                return true;
            };
            if (!skipDamaged) {
                r.scan(each);
                return Walkit.EXIT_OK;
            }
            List<CorruptFileException> skipped = new ArrayList<>();
            r.scan(each, skipped::add);
            return reportSkipped(skipped);
        }
    }

    private int reportSkipped(List<CorruptFileException> skipped) {
        var err = spec.commandLine().getErr();
        for (CorruptFileException e : skipped) {
            err.println("walkit: skipped damaged part of " + table + ": " + e.getMessage());
        }
        if (!skipped.isEmpty()) {
            err.println("walkit: " + skipped.size() + " damaged part(s) of " + table + " skipped; their rows are missing from the output");
        }
        return skipped.isEmpty() ? Walkit.EXIT_OK : Walkit.EXIT_PROBLEMS;
    }

    /** SQLite's names for the rowid, the first one no column uses: rowid, _rowid_, oid. */
    static String rowidName(List<String> columns) {
        for (String n : List.of("rowid", "_rowid_", "oid")) {
            if (columns.stream().noneMatch(c -> c.equalsIgnoreCase(n))) {
                return n;
            }
        }
        return "rowid";
    }

    /** Index entries: key columns then rowid / primary key, in key order. */
    private int dumpIndex(IndexReader ix, PrintWriter out) throws Exception {
        List<String> names = ix.fieldNames();
        if (!input.json) {
            out.println(String.join(",", names.stream().map(DbDumpCommand::csv).toList()));
        }
        StringBuilder line = new StringBuilder();
        ix.scan(values -> {
            if (input.json) {
                Json j = new Json().beginObject();
                for (int i = 0; i < values.length; i++) {
                    j.name(i < names.size() ? names.get(i) : "field" + i);
                    DbCommand.jsonValue(j, values[i]);
                }
                out.println(j.endObject());
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
            case Double d when d.isInfinite() -> d > 0 ? "Inf" : "-Inf";
            default -> v.toString();
        };
    }

    /**
     * A text cell, quoted as needed; with {@code neutralise}, a leading character a spreadsheet reads as
     * a formula ({@code = + - @}, tab, CR) gets a {@code '} in front.
     */
    static String csvCell(String t, boolean neutralise) {
        if (neutralise && !t.isEmpty() && "=+-@\t\r".indexOf(t.charAt(0)) >= 0) {
            t = "'" + t;
        }
        return csv(t);
    }

    static String csv(String s) {
        if (s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
