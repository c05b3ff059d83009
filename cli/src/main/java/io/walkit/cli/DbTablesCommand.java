package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.db.SchemaEntry;
import io.walkit.db.TableReader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit db tables FILE}: the tables with their root pages and row counts. */
@Command(name = "tables", mixinStandardHelpOptions = true, description = "Lists the tables: name, type, root page, row count.")
final class DbTablesCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DbCommand.Input input = new DbCommand.Input();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Database db = input.open()) {
            var out = spec.commandLine().getOut();
            Json j = new Json().beginArray();
            StringBuilder text = new StringBuilder();
            for (SchemaEntry e : db.schema().entries()) {
                if (!e.isTable()) {
                    continue;
                }
                Long rows = null;
                if (e.rootPage() != 0) {
                    TableReader r = new TableReader(db, e, db.schema().table(e));
                    rows = r.count();
                }
                String type = e.rootPage() == 0 ? "virtual" : db.schema().table(e).withoutRowid() ? "without-rowid" : "table";
                if (input.json) {
                    j.beginObject().field("name", e.name()).field("type", type).field("rootPage", e.rootPage()).name("rowCount");
                    if (rows == null) {
                        j.nullValue();
                    } else {
                        j.value(rows);
                    }
                    j.endObject();
                } else {
                    text.append(String.format("%-30s %-14s root %-8d rows %s%n", e.name(), type, e.rootPage(),
                            rows == null ? "-" : rows.toString()));
                }
            }
            if (input.json) {
                out.println(j.endArray());
            } else {
                out.print(text);
            }
            return Walkit.EXIT_OK;
        }
    }
}
