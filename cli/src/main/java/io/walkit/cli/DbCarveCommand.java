package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.forensics.Carver;
import io.walkit.forensics.RecordSource;
import io.walkit.forensics.RecoveredRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db carve FILE}: deleted records recovered from freeblocks, unallocated gaps, freelist
 * pages, unreferenced pages and surviving overflow chains. With {@code --json}, JSON Lines, one
 * record per line: {@code table}, {@code rowid}, {@code values} (declared column order),
 * {@code status}, {@code confidence}, {@code source} {file, kind, page, frame (WAL only), offset}.
 * With {@code --csv}, one CSV row per record. Live rows are never printed. Exit 0 whether or not
 * anything was recovered.
 */
@Command(name = "carve", mixinStandardHelpOptions = true,
        description = "Recovers deleted records (freeblocks, unallocated space, freelist and dropped pages, overflow chains).")
final class DbCarveCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DbCommand.Input input = new DbCommand.Input();

    @CommandLine.Option(names = "--csv", description = "print CSV: table, rowid, status, confidence, source fields, then the values")
    boolean csv;

    @CommandLine.Option(names = "--csv-neutralise-formulas",
            description = "with --csv, prefix a ' to text cells a spreadsheet would read as a formula (=, +, -, @, tab, CR)")
    boolean neutralise;

    @CommandLine.Option(names = "--sqlite", paramLabel = "OUT",
            description = "also write the records to a new SQLite database OUT: a table per source table with provenance columns, and walkit_provenance (SHA-256 of every input, walkit's version)")
    Path sqlite;

    @CommandLine.Option(names = "--force", description = "with --sqlite, replace OUT if it exists")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (csv && input.json) {
            throw new Errors.UsageException("--csv and --json exclude each other");
        }
        if (neutralise && !csv) {
            throw new Errors.UsageException("--csv-neutralise-formulas needs --csv");
        }
        Path wal = input.walPath();
        io.walkit.forensics.Provenance provenance = null;
        if (sqlite != null) {
            for (Path in : java.util.Arrays.asList(input.file, wal)) {
                if (in != null && java.nio.file.Files.exists(sqlite) && java.nio.file.Files.isSameFile(in, sqlite)) {
                    throw new Errors.UsageException("--sqlite " + sqlite + " is an input: refusing to overwrite evidence");
                }
            }
            if (!force && java.nio.file.Files.exists(sqlite)) {
                throw new Errors.UsageException(sqlite + " exists (use --force to replace it)");
            }
            provenance = io.walkit.forensics.Provenance.of(DbExportCommand.walkitVersion(), List.of("database", "wal"),
                    java.util.Arrays.asList(java.nio.file.Files.exists(input.file) ? input.file : null, wal));
        }
        List<RecoveredRecord> records;
        if (wal != null && input.atCommit == null) {
            // The database as of the WAL's last commit, then every row version the log still holds.
            try (io.walkit.forensics.LogHistory h = io.walkit.forensics.LogHistory.open(input.file, wal)) {
                Database db = h.at(h.commitCount());
                records = io.walkit.forensics.LogVersions.merge(Carver.carve(db, input.file.toString(), wal.toString()),
                        io.walkit.forensics.LogVersions.find(h, input.file.toString(), wal.toString()));
            }
        } else {
            try (Database db = input.open()) {
                records = Carver.carve(db, input.file.toString(), wal == null ? null : wal.toString());
            }
        }
        if (sqlite != null) {
            io.walkit.forensics.CarveExport.write(records, provenance, sqlite, force);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (csv) {
            out.println("table,rowid,status,confidence,kind,file,page,frame,offset,values...");
        }
        for (RecoveredRecord r : records) {
            if (input.json) {
                out.println(json(r));
            } else if (csv) {
                out.println(csvLine(r));
            } else {
                out.println(text(r));
            }
        }
        out.flush();
        return Walkit.EXIT_OK;
    }

    static String json(RecoveredRecord r) {
        Json j = new Json().beginObject();
        j.field("table", r.table());
        j.name("rowid");
        if (r.rowid() == null) {
            j.nullValue();
        } else {
            j.value(r.rowid());
        }
        j.name("values").beginArray();
        for (Object v : r.values()) {
            DbCommand.jsonValue(j, v);
        }
        j.endArray();
        j.field("status", r.status().jsonName());
        j.field("confidence", r.confidence().jsonName());
        RecordSource s = r.source();
        j.name("source").beginObject().field("file", s.file()).field("kind", s.kind().jsonName()).field("page", s.pageNumber());
        if (s.frame() != null) {
            j.field("frame", s.frame());
        }
        j.field("offset", s.offset());
        if (s.generation() != null) {
            j.field("generation", s.generation().longValue());
        }
        j.endObject();
        return j.endObject().toString();
    }

    private String csvLine(RecoveredRecord r) {
        RecordSource s = r.source();
        StringBuilder sb = new StringBuilder();
        sb.append(r.table() == null ? "" : cell(r.table())).append(',')
                .append(r.rowid() == null ? "" : r.rowid().toString()).append(',')
                .append(r.status().jsonName()).append(',').append(r.confidence().jsonName()).append(',')
                .append(s.kind().jsonName()).append(',').append(cell(s.file())).append(',').append(s.pageNumber()).append(',')
                .append(s.frame() == null ? "" : s.frame().toString()).append(',').append(s.offset());
        for (Object v : r.values()) {
            sb.append(',').append(v instanceof String t ? cell(t) : DbDumpCommand.csvValue(v));
        }
        return sb.toString();
    }

    private String cell(String t) {
        return DbDumpCommand.csvCell(t, neutralise);
    }

    private static String text(RecoveredRecord r) {
        RecordSource s = r.source();
        StringBuilder sb = new StringBuilder();
        sb.append(r.table() == null ? "(unknown table)" : r.table()).append(" rowid=").append(r.rowid() == null ? "?" : r.rowid())
                .append(' ').append(r.status().jsonName()).append(' ').append(r.confidence().jsonName()).append(" [")
                .append(s.kind().jsonName()).append(" page ").append(s.pageNumber());
        if (s.frame() != null) {
            sb.append(" frame ").append(s.frame());
        }
        sb.append(" offset 0x").append(Long.toHexString(s.offset())).append(" (").append(s.offset()).append(")]");
        for (Object v : r.values()) {
            sb.append(' ').append(DbDumpCommand.csvValue(v));
        }
        return sb.toString();
    }
}
