package io.walkit.db;

import io.walkit.io.CorruptFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one index's entries in key order, streaming. An entry's values are the key columns
 * followed by the rowid (rowid tables) or the primary-key columns not already in the key
 * (WITHOUT ROWID tables); expression key columns are named {@code expr<N>}.
 *
 * <p>Not thread-safe (it reads through one {@link Database}). It owns nothing: the caller closes
 * the database when done.
 */
public final class IndexReader {

    /** Receives one entry; return false to stop. */
    @FunctionalInterface
    public interface EntryConsumer {
        /**
         * Called once per entry, in key order.
         *
         * @param values the entry's fields (a fresh array), named by {@link #fieldNames()}
         * @return true to go on, false to stop
         * @throws CorruptFileException when the consumer finds the entry damaged
         */
        boolean entry(Object[] values) throws CorruptFileException;
    }

    private final Database db;
    private final SchemaEntry entry;
    private final IndexInfo info;
    private final TableInfo table;

    private IndexReader(Database db, SchemaEntry entry, IndexInfo info, TableInfo table) {
        this.db = db;
        this.entry = entry;
        this.info = info;
        this.table = table;
    }

    /**
     * The reader for index {@code name}, or null when no such index has a b-tree.
     *
     * @param db   the database to read (not closed by the reader)
     * @param name the index name, as {@link Schema#find(String)} matches it
     * @return the reader, or {@code null}
     * @throws CorruptFileException when the schema cannot be read
     */
    public static IndexReader open(Database db, String name) throws CorruptFileException {
        Schema s = db.schema();
        SchemaEntry e = s.find(name);
        if (e == null || !e.isIndex() || e.rootPage() == 0) {
            return null;
        }
        IndexInfo info = s.index(e);
        SchemaEntry t = e.tableName() == null ? null : s.find(e.tableName());
        return new IndexReader(db, e, info, t == null ? null : s.table(t));
    }

    /** {@return the index's schema entry} */
    public SchemaEntry entry() { return entry; }

    /** {@return the parsed index, or null when its table or automatic-index constraint is unknown} */
    public IndexInfo info() { return info; }

    /** {@return the names of the entry's fields (key columns, then rowid or primary-key columns); empty when the index is unknown} */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        if (info == null || table == null) {
            return names;
        }
        for (int i = 0; i < info.columns().length; i++) {
            int c = info.columns()[i];
            names.add(c >= 0 ? table.columns().get(c).name() : "expr" + i);
        }
        if (table.withoutRowid()) {
            for (int c : table.primaryKey()) {
                boolean present = false;
                for (int k : info.columns()) {
                    present |= k == c;
                }
                if (!present) {
                    names.add(table.columns().get(c).name());
                }
            }
        } else {
            names.add("rowid");
        }
        return names;
    }

    /**
     * Streams every entry in key order; values as in {@link Record#value(int)}.
     *
     * @param consumer receives each entry
     * @return false if the consumer stopped the scan
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public boolean scan(EntryConsumer consumer) throws CorruptFileException {
        return db.scanIndex(entry.rootPage(), r -> consumer.entry(r.values()));
    }
}
