package io.walkit.db;

import io.walkit.io.CorruptFileException;
import java.util.List;

/**
 * Reads one table's rows in key order (rowid order, or primary-key order for WITHOUT ROWID
 * tables), streaming: each row is decoded from its page when visited and handed to the consumer.
 * Values are {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}.
 *
 * <p>Not thread-safe (it reads through one {@link Database}). It owns nothing: the caller closes
 * the database when done.
 */
public final class TableReader {

    /** Receives one row; return false to stop. {@code rowid} is 0 for WITHOUT ROWID tables. */
    @FunctionalInterface
    public interface RowConsumer {
        /**
         * Called once per row, in key order.
         *
         * @param rowid  the rowid, 0 for WITHOUT ROWID tables
         * @param values the column values in declaration order (a fresh array the consumer may keep)
         * @return true to go on, false to stop
         * @throws CorruptFileException when the consumer finds the row damaged
         */
        boolean row(long rowid, Object[] values) throws CorruptFileException;
    }

    private final Database db;
    private final SchemaEntry entry;
    private final TableInfo info;

    /**
     * A reader for the table {@code entry} describes; see {@link #open(Database, String)}.
     *
     * @param db    the database to read (not closed by the reader)
     * @param entry the table's schema entry (its root page is read)
     * @param info  the table's parsed definition (columns, rowid alias, WITHOUT ROWID)
     */
    public TableReader(Database db, SchemaEntry entry, TableInfo info) {
        this.db = db;
        this.entry = entry;
        this.info = info;
    }

    /**
     * The reader for table {@code name}, or null when no such table has a b-tree.
     *
     * @param db   the database to read (not closed by the reader)
     * @param name the table name, as {@link Schema#find(String)} matches it
     * @return the reader, or {@code null} for no such table, a view, or a virtual table (root page 0)
     * @throws CorruptFileException when the schema cannot be read
     */
    public static TableReader open(Database db, String name) throws CorruptFileException {
        Schema s = db.schema();
        SchemaEntry e = s.find(name);
        if (e == null || !e.isTable() || e.rootPage() == 0) {
            return null;
        }
        return new TableReader(db, e, s.table(e));
    }

    /** {@return the table's schema entry} */
    public SchemaEntry entry() { return entry; }

    /** {@return the table's parsed definition} */
    public TableInfo info() { return info; }

    /** {@return the column names in declaration order} */
    public List<String> columnNames() {
        return info.columns().stream().map(Column::name).toList();
    }

    /**
     * Streams every row in key order.
     *
     * @param consumer receives each row
     * @return false if the consumer stopped the scan
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public boolean scan(RowConsumer consumer) throws CorruptFileException {
        return scan(consumer, new Database.PayloadBuffer());
    }

    /**
     * Streams every row, assembling payloads in {@code buf}.
     *
     * @param consumer receives each row
     * @param buf      the buffer overflowing payloads are assembled in
     * @return false if the consumer stopped the scan
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public boolean scan(RowConsumer consumer, Database.PayloadBuffer buf) throws CorruptFileException {
        if (info.withoutRowid()) {
            return db.scanIndex(entry.rootPage(), r -> consumer.row(0, values(0, r)), buf);
        }
        return db.scanTable(entry.rootPage(), (rowid, r) -> consumer.row(rowid, values(rowid, r)), buf);
    }

    /**
     * Streams every row it can read: a damaged subtree or cell below the root is reported to
     * {@code onDamage} and skipped (its rows are absent from the stream).
     *
     * @param consumer receives each row that could be read
     * @param onDamage receives each skipped subtree or cell
     * @return false if the consumer stopped the scan
     * @throws CorruptFileException when the root page itself is damaged
     */
    public boolean scan(RowConsumer consumer, Database.DamageListener onDamage) throws CorruptFileException {
        Database.PayloadBuffer buf = new Database.PayloadBuffer();
        if (info.withoutRowid()) {
            return db.scanIndex(entry.rootPage(), r -> consumer.row(0, values(0, r)), buf, onDamage);
        }
        return db.scanTable(entry.rootPage(), (rowid, r) -> consumer.row(rowid, values(rowid, r)), buf, onDamage);
    }

    /**
     * Like {@link #scan(RowConsumer, Database.PayloadBuffer)} but also handing over the raw record.
     *
     * @param consumer receives each row with its record
     * @param buf      the buffer overflowing payloads are assembled in (its chain describes the row)
     * @return false if the consumer stopped the scan
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public boolean scanRecords(RecordConsumer consumer, Database.PayloadBuffer buf) throws CorruptFileException {
        if (info.withoutRowid()) {
            return db.scanIndex(entry.rootPage(), r -> consumer.row(0, values(0, r), r), buf);
        }
        return db.scanTable(entry.rootPage(), (rowid, r) -> consumer.row(rowid, values(rowid, r), r), buf);
    }

    /** Receives one row with its record (valid only during the call). */
    @FunctionalInterface
    public interface RecordConsumer {
        /**
         * Called once per row, in key order.
         *
         * @param rowid  the rowid, 0 for WITHOUT ROWID tables
         * @param values the column values in declaration order (a fresh array)
         * @param record the row's record, reused after the call returns
         * @return true to go on, false to stop
         * @throws CorruptFileException when the consumer finds the row damaged
         */
        boolean row(long rowid, Object[] values, Record record) throws CorruptFileException;
    }

    /**
     * The row with {@code rowid}, or null (rowid tables only).
     *
     * @param rowid the rowid to find
     * @return the column values, or {@code null} when no row has that rowid
     * @throws CorruptFileException when a page on the path or the row's record is damaged
     * @throws IllegalStateException for a WITHOUT ROWID table (it has no rowids: a caller's mistake,
     *                               not damage)
     */
    public Object[] lookup(long rowid) throws CorruptFileException {
        if (info.withoutRowid()) {
            throw new IllegalStateException("table " + info.name() + " is WITHOUT ROWID: it has no rowid to look up");
        }
        Object[][] out = new Object[1][];
        db.findRowid(entry.rootPage(), rowid, (id, r) -> {
            out[0] = values(id, r);
            return false;
        });
        return out[0];
    }

    /**
     * Counts rows without decoding values (records are still checked).
     *
     * @return the number of rows
     * @throws CorruptFileException at the first damaged page, cell, record or overflow chain
     */
    public long count() throws CorruptFileException {
        long[] n = {0};
        if (info.withoutRowid()) {
            db.scanIndex(entry.rootPage(), r -> ++n[0] > 0);
        } else {
            db.scanTable(entry.rootPage(), (id, r) -> ++n[0] > 0);
        }
        return n[0];
    }

    /**
     * Column values of a record, as SQLite's SELECT * shows them: the rowid alias column takes
     * {@code rowid}, missing trailing columns take their defaults, integers stored in a REAL column read as Double.
     *
     * @param rowid the row's rowid (ignored for WITHOUT ROWID tables)
     * @param r     the row's record
     * @return a fresh array of the values in declaration order
     */
    public Object[] values(long rowid, Record r) {
        Object[] v = info.row(rowid, r);
        List<Column> cols = info.columns();
        for (int c = 0; c < v.length; c++) {
            // REAL affinity stores integral reals as integers on disk and reads them back as REAL.
            if (v[c] instanceof Long l && cols.get(c).affinity() == Affinity.REAL && c != info.rowidAlias()) {
                v[c] = l.doubleValue();
            }
        }
        return v;
    }
}
