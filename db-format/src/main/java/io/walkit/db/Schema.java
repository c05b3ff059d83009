package io.walkit.db;

import io.walkit.io.CorruptFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The schema of a database: the rows of {@code sqlite_schema} (page 1) with tables and indexes
 * parsed from their SQL. Views, triggers and virtual tables (root page 0) are listed but have no
 * b-tree.
 */
public final class Schema {

    private final List<SchemaEntry> entries;

    private Schema(List<SchemaEntry> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    static Schema read(Database db) throws CorruptFileException {
        List<SchemaEntry> out = new ArrayList<>();
        if (db.pageCount() == 0) {
            return new Schema(out);
        }
        db.scanTable(1, (rowid, r) -> {
            Object type = r.value(0);
            Object name = r.value(1);
            Object tbl = r.value(2);
            Object root = r.value(3);
            Object sql = r.value(4);
            out.add(new SchemaEntry(rowid, str(type), str(name), str(tbl),
                    root instanceof Long l ? l : root instanceof Double d ? d.longValue() : 0, sql == null ? null : str(sql)));
            return out.size() < 1_000_000;
        });
        return new Schema(out);
    }

    private static String str(Object o) {
        return o == null ? null : o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : o.toString();
    }

    /** All rows of sqlite_schema in rowid order. */
    public List<SchemaEntry> entries() {
        return entries;
    }

    /** Tables with a b-tree (type 'table' and root page ≠ 0). */
    public List<SchemaEntry> tables() {
        return entries.stream().filter(e -> e.isTable() && e.rootPage() != 0).toList();
    }

    /** Indexes with a b-tree. */
    public List<SchemaEntry> indexes() {
        return entries.stream().filter(e -> e.isIndex() && e.rootPage() != 0).toList();
    }

    /** The entry named {@code name} (case-insensitive), or null. {@code sqlite_schema}/{@code sqlite_master} name page 1. */
    public SchemaEntry find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("sqlite_schema") || n.equals("sqlite_master")) {
            return new SchemaEntry(0, "table", "sqlite_schema", "sqlite_schema", 1, null);
        }
        for (SchemaEntry e : entries) {
            if (e.name() != null && e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        return null;
    }

    /** The parsed shape of table {@code entry}. */
    public TableInfo table(SchemaEntry entry) {
        if (entry.rootPage() == 1 && entry.sql() == null) {
            return TableInfo.schemaTable();
        }
        return TableParser.parse(entry.name(), entry.sql());
    }

    /** The parsed shape of index {@code entry}, or null if its table is unknown. */
    public IndexInfo index(SchemaEntry entry) {
        SchemaEntry t = find(entry.tableName() == null ? "" : entry.tableName());
        if (t == null || !t.isTable()) {
            return null;
        }
        TableInfo table = table(t);
        if (entry.sql() != null) {
            return IndexInfo.parse(entry.name(), table, entry.sql());
        }
        String prefix = "sqlite_autoindex_" + t.name() + "_";
        if (entry.name() != null && entry.name().startsWith(prefix)) {
            try {
                int n = Integer.parseInt(entry.name().substring(prefix.length()));
                if (n >= 1 && n <= table.autoIndexKeys().size()) {
                    return IndexInfo.automatic(entry.name(), table, table.autoIndexKeys().get(n - 1));
                }
            } catch (NumberFormatException ignored) {
                // not a standard automatic index name
            }
        }
        return null;
    }

    /** Indexes (with b-trees) of table {@code tableName}. */
    public List<SchemaEntry> indexesOf(String tableName) {
        return indexes().stream().filter(e -> e.tableName() != null && e.tableName().equalsIgnoreCase(tableName)).toList();
    }
}
