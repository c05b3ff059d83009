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
 *
 * <p>Immutable once read; thread-safe. Obtained from {@link Database#schema()}; holds no resources.
 */
public final class Schema {

    private final List<SchemaEntry> entries;

    private Schema(List<SchemaEntry> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    /** The most {@code sqlite_schema} rows walkit reads; a schema with more is refused, never cut short. */
    static final int MAX_ENTRIES = 1_000_000;

    static Schema read(Database db) throws CorruptFileException {
        return read(db, MAX_ENTRIES);
    }

    static Schema read(Database db, int maxEntries) throws CorruptFileException {
        List<SchemaEntry> out = new ArrayList<>();
        if (db.pageCount() == 0) {
            return new Schema(out);
        }
        db.scanTable(1, (rowid, r) -> {
            if (out.size() == maxEntries) {
                throw db.corrupt(1, 0, "sqlite_schema", "row count", "at most " + maxEntries + " rows (walkit's limit)",
                        "more (row " + rowid + ")");
            }
            Object type = r.value(0);
            Object name = r.value(1);
            Object tbl = r.value(2);
            Object root = r.value(3);
            Object sql = r.value(4);
            out.add(new SchemaEntry(rowid, str(type), str(name), str(tbl),
                    root instanceof Long l ? l : root instanceof Double d ? d.longValue() : 0, sql == null ? null : str(sql)));
            return true;
        });
        return new Schema(out);
    }

    private static String str(Object o) {
        return o == null ? null : o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : o.toString();
    }

    /** {@return all rows of sqlite_schema in rowid order (unmodifiable)} */
    public List<SchemaEntry> entries() {
        return entries;
    }

    /** {@return the tables with a b-tree (type 'table' and root page ≠ 0), in rowid order} */
    public List<SchemaEntry> tables() {
        return entries.stream().filter(e -> e.isTable() && e.rootPage() != 0).toList();
    }

    /** {@return the indexes with a b-tree (type 'index' and root page ≠ 0), in rowid order} */
    public List<SchemaEntry> indexes() {
        return entries.stream().filter(e -> e.isIndex() && e.rootPage() != 0).toList();
    }

    /**
     * The entry named {@code name} (case-insensitive), or null. {@code sqlite_schema}/{@code sqlite_master} name page 1.
     *
     * @param name the object's name
     * @return the first entry with that name, a synthetic entry for the schema table, or {@code null}
     */
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

    /**
     * The parsed shape of table {@code entry} (parsed on every call; never throws: SQL walkit
     * cannot read gives fewer columns).
     *
     * @param entry a table's entry from this schema
     * @return the table's shape
     */
    public TableInfo table(SchemaEntry entry) {
        if (entry.rootPage() == 1 && entry.sql() == null) {
            return TableInfo.schemaTable();
        }
        return TableParser.parse(entry.name(), entry.sql());
    }

    /**
     * The parsed shape of index {@code entry}, or null if its table is unknown.
     *
     * @param entry an index's entry from this schema
     * @return the index's shape, or {@code null} when its table is missing or an automatic index's
     *         name does not match one of the table's UNIQUE / PRIMARY KEY constraints
     */
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

    /**
     * Indexes (with b-trees) of table {@code tableName}.
     *
     * @param tableName the table's name (case-insensitive)
     * @return its indexes' entries in rowid order
     */
    public List<SchemaEntry> indexesOf(String tableName) {
        return indexes().stream().filter(e -> e.tableName() != null && e.tableName().equalsIgnoreCase(tableName)).toList();
    }
}
