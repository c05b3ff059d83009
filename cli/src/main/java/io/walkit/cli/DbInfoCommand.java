package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.db.DatabaseHeader;
import io.walkit.db.PageUsage;
import io.walkit.db.SchemaEntry;
import io.walkit.db.WalPageSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit db info FILE}: header fields, page counts by type, freelist and schema. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarises a database: header fields, header problems, page counts by type, freelist, schema.")
final class DbInfoCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DbCommand.Input input = new DbCommand.Input();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Database db = input.open()) {
            DatabaseHeader h = db.header();
            List<Long> roots = new ArrayList<>();
            List<SchemaEntry> schema = List.of();
            String schemaProblem = null;
            if (h != null) {
                roots.add(1L);
                try {
                    schema = db.schema().entries();
                } catch (io.walkit.io.CorruptFileException e) {
                    // The header is still worth showing when sqlite_schema is damaged.
                    schemaProblem = e.getMessage();
                }
                for (SchemaEntry e : schema) {
                    if (e.rootPage() != 0) {
                        roots.add(e.rootPage());
                    }
                }
            }
            PageUsage usage = PageUsage.of(db, roots);
            String source = db.pages() instanceof WalPageSource w
                    ? (w.commit() == 0 ? "database file (WAL commit 0)" : "WAL commit " + w.commit() + " of " + w.wal().commitCount())
                    : db.pages() instanceof io.walkit.db.JournalPageSource ? "database file rolled back through its hot journal"
                    : "database file";
            var out = spec.commandLine().getOut();
            if (input.json) {
                Json j = new Json().beginObject();
                j.field("file", db.name()).field("source", source).field("pageSize", db.pageSize())
                        .field("usableSize", db.usableSize()).field("pageCount", db.pageCount());
                if (h != null) {
                    j.name("header").beginObject();
                    header(h).forEach((k, v) -> {
                        j.name(k);
                        DbCommand.jsonValue(j, v);
                    });
                    j.endObject();
                    j.name("headerProblems").beginArray();
                    for (DatabaseHeader.Problem p : h.validate()) {
                        j.beginObject().field("offset", p.offset()).field("field", p.field()).field("message", p.message())
                                .field("fatal", p.fatal()).endObject();
                    }
                    j.endArray();
                } else {
                    j.name("header").nullValue();
                }
                if (usage != null) {
                    j.name("pages").beginObject();
                    usage.counts().forEach((k, v) -> j.field(k.jsonName(), v));
                    j.endObject();
                }
                j.field("schemaProblem", schemaProblem);
                input.journalJson(j);
                j.name("schema").beginArray();
                for (SchemaEntry e : schema) {
                    j.beginObject().field("type", e.type()).field("name", e.name()).field("tableName", e.tableName())
                            .field("rootPage", e.rootPage()).field("sql", e.sql()).endObject();
                }
                out.println(j.endArray().endObject());
            } else {
                StringBuilder sb = new StringBuilder();
                sb.append(String.format("%-26s %s%n", "file:", db.name()));
                sb.append(String.format("%-26s %s%n", "source:", source));
                sb.append(String.format("%-26s %d pages of %d bytes (usable %d)%n", "database size:", db.pageCount(),
                        db.pageSize(), db.usableSize()));
                if (h != null) {
                    header(h).forEach((k, v) -> sb.append(String.format("%-26s %s%n", k + ":", v)));
                    for (DatabaseHeader.Problem p : h.validate()) {
                        sb.append("header problem at offset ").append(p.offset()).append(": ").append(p.message())
                                .append(p.fatal() ? " (SQLite refuses the file)" : "").append('\n');
                    }
                }
                if (usage != null) {
                    sb.append("pages by type:\n");
                    for (Map.Entry<PageUsage.Kind, Long> e : usage.counts().entrySet()) {
                        if (e.getValue() > 0) {
                            sb.append(String.format("  %-22s %d%n", e.getKey().jsonName(), e.getValue()));
                        }
                    }
                }
                String journal = input.journalSummary();
                if (journal != null) {
                    sb.append(String.format("%-26s %s%n", "journal:", journal));
                }
                sb.append("schema:").append(schemaProblem == null ? "" : " unreadable: " + schemaProblem).append('\n');
                for (SchemaEntry e : schema) {
                    sb.append(String.format("  %-8s %-30s root %-6d %s%n", e.type(), e.name(), e.rootPage(),
                            e.sql() == null ? "" : e.sql().replace('\n', ' ')));
                }
                out.print(sb);
            }
            return Walkit.EXIT_OK;
        }
    }

    static Map<String, Object> header(DatabaseHeader h) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("magicOk", h.hasMagic());
        m.put("pageSize", (long) h.pageSize());
        m.put("writeVersion", (long) h.writeVersion());
        m.put("readVersion", (long) h.readVersion());
        m.put("reservedBytes", (long) h.reservedBytes());
        m.put("maxPayloadFraction", (long) h.maxPayloadFraction());
        m.put("minPayloadFraction", (long) h.minPayloadFraction());
        m.put("leafPayloadFraction", (long) h.leafPayloadFraction());
        m.put("changeCounter", h.changeCounter());
        m.put("databaseSize", h.databaseSize());
        m.put("databaseSizeTrusted", h.databaseSizeTrusted());
        m.put("firstFreelistTrunk", h.firstFreelistTrunk());
        m.put("freelistCount", h.freelistCount());
        m.put("schemaCookie", h.schemaCookie());
        m.put("schemaFormat", h.schemaFormat());
        m.put("defaultCacheSize", h.defaultCacheSize());
        m.put("largestRootPage", h.largestRootPage());
        m.put("textEncoding", h.textEncoding() == 2 ? "UTF-16le" : h.textEncoding() == 3 ? "UTF-16be" : "UTF-8");
        m.put("userVersion", h.userVersion());
        m.put("incrementalVacuum", h.incrementalVacuum());
        m.put("applicationId", String.format("0x%08x", h.applicationId()));
        m.put("versionValidFor", h.versionValidFor());
        m.put("sqliteVersion", h.sqliteVersion());
        return m;
    }
}
