package io.walkit.cli;

import io.walkit.forensics.ChangeExport;
import io.walkit.forensics.Provenance;
import io.walkit.forensics.RowChange;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The output options of {@code db history} and {@code db diff} besides {@code --json}: {@code --csv}
 * (one line per row version: commit, change, table, rowid, side, then the values), the formula guard
 * for spreadsheets, and {@code --sqlite OUT} (a database written by walkit, {@link ChangeExport}).
 * One instance per run; not thread-safe.
 */
final class ChangeOutput {

    @CommandLine.Option(names = "--csv", description = "print CSV: commit, change, table, rowid, side (old|new), then the values")
    boolean csv;

    @CommandLine.Option(names = "--csv-neutralise-formulas",
            description = "with --csv, prefix a ' to text cells a spreadsheet would read as a formula (=, +, -, @, tab, CR)")
    boolean neutralise;

    @CommandLine.Option(names = "--sqlite", paramLabel = "OUT",
            description = "also write the versions to a new SQLite database OUT (a table per source table, provenance columns, inputs' SHA-256)")
    Path sqlite;

    @CommandLine.Option(names = "--force", description = "with --sqlite, replace OUT if it exists")
    boolean force;

    private final List<ChangeExport.Version> versions = new ArrayList<>();
    private final Map<String, List<String>> columns = new LinkedHashMap<>();
    private Provenance provenance;

    /**
     * Checks the options against each other and the inputs, and records the inputs' provenance when
     * {@code --sqlite} is given (before anything is read, so a refused run writes nothing).
     */
    void start(LogInput input, PrintWriter out) throws IOException {
        if (csv && input.json) {
            throw new Errors.UsageException("--csv and --json exclude each other");
        }
        if (neutralise && !csv) {
            throw new Errors.UsageException("--csv-neutralise-formulas needs --csv");
        }
        if (force && sqlite == null) {
            throw new Errors.UsageException("--force needs --sqlite");
        }
        Path wal = input.walPath();
        if (sqlite != null) {
            for (Path in : Arrays.asList(input.file, wal)) {
                if (in != null && Files.exists(in) && Files.exists(sqlite) && Files.isSameFile(in, sqlite)) {
                    throw new Errors.UsageException("--sqlite " + sqlite + " is an input: refusing to overwrite evidence");
                }
            }
            if (!force && Files.exists(sqlite)) {
                throw new Errors.UsageException(sqlite + " exists (use --force to replace it)");
            }
            provenance = Provenance.of(DbExportCommand.walkitVersion(), List.of("database", "wal"),
                    Arrays.asList(Files.exists(input.file) ? input.file : null, wal));
        }
        if (csv) {
            out.println("commit,change,table,rowid,side,values...");
        }
    }

    /** Remembers a table's column names (declared order) for the {@code --sqlite} output. */
    void columns(String table, List<String> names) {
        if (names != null && !names.isEmpty()) {
            columns.putIfAbsent(table, names);
        }
    }

    /** Whether this run prints CSV instead of text or JSON. */
    boolean csv() {
        return csv;
    }

    /** Prints a change as CSV lines and keeps its versions for {@code --sqlite}. */
    void change(PrintWriter out, RowChange c, int commit) {
        for (ChangeExport.Version v : ChangeExport.versions(c, commit)) {
            add(out, v);
        }
    }

    /** A row of the database file at commit 0 in a history ({@code present}). */
    void present(PrintWriter out, String table, Long rowid, Object[] values) {
        add(out, new ChangeExport.Version(0, "present", "new", table, rowid, values));
    }

    private void add(PrintWriter out, ChangeExport.Version v) {
        if (sqlite != null) {
            versions.add(v);
        }
        if (csv) {
            StringBuilder sb = new StringBuilder();
            sb.append(v.commit()).append(',').append(v.change()).append(',').append(cell(v.table())).append(',')
                    .append(v.rowid() == null ? "" : v.rowid().toString()).append(',').append(v.side());
            for (Object x : v.values()) {
                sb.append(',').append(x instanceof String t ? cell(t) : DbDumpCommand.csvValue(x));
            }
            out.println(sb);
        }
    }

    private String cell(String t) {
        return DbDumpCommand.csvCell(t, neutralise);
    }

    /** Writes {@code --sqlite OUT} when asked (temp file, fsync, rename). */
    void finish() throws IOException {
        if (sqlite != null) {
            ChangeExport.write(versions, columns, provenance, sqlite, force);
        }
    }
}
