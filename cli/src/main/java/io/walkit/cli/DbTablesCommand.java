package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.db.SchemaEntry;
import io.walkit.db.TableReader;
import io.walkit.io.CorruptFileException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db tables FILE}: the tables with their root pages and row counts. A table whose
 * b-tree is damaged is listed with its error instead of ending the listing (exit 1 then).
 */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "Lists the tables: name, type, root page, row count; a damaged table is listed with its error (exit 1).")
final class DbTablesCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DbCommand.Input input = new DbCommand.Input();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Database db = input.open()) {
            var out = spec.commandLine().getOut();
            Json j = new Json().beginObject().field("file", db.name()).name("tables").beginArray();
            StringBuilder text = new StringBuilder();
            int damaged = 0;
            for (SchemaEntry e : db.schema().entries()) {
                if (!e.isTable()) {
                    continue;
                }
                Long rows = null;
                CorruptFileException error = null;
                if (e.rootPage() != 0) {
                    try {
                        TableReader r = new TableReader(db, e, db.schema().table(e));
                        rows = r.count();
                    } catch (CorruptFileException c) {
                        error = c;
                        damaged++;
                    }
                }
                String type = e.rootPage() == 0 ? "virtual" : db.schema().table(e).withoutRowid() ? "without-rowid" : "table";
                if (input.json) {
                    j.beginObject().field("name", e.name()).field("type", type).field("rootPage", e.rootPage()).name("rowCount");
                    if (rows == null) {
                        j.nullValue();
                    } else {
                        j.value(rows);
                    }
                    if (error != null) {
                        j.name("error").beginObject().field("message", error.getMessage()).field("structure", error.structure())
                                .field("field", error.field()).field("expected", error.expected()).field("found", error.found())
                                .field("offset", error.offset()).endObject();
                    }
                    j.endObject();
                } else {
                    text.append(String.format("%-30s %-14s root %-8d rows %s%n", e.name(), type, e.rootPage(),
                            error != null ? "DAMAGED: " + error.getMessage() : rows == null ? "-" : rows.toString()));
                }
            }
            if (input.json) {
                j.endArray().field("damagedTables", (long) damaged);
                input.journalJson(j);
                out.println(j.endObject());
            } else {
                out.print(text);
            }
            return damaged == 0 ? Walkit.EXIT_OK : Walkit.EXIT_PROBLEMS;
        }
    }
}
