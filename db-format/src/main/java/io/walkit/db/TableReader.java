package io.walkit.db;

import io.walkit.io.CorruptFileException;
import java.util.List;

/**
 * Reads one table's rows in key order (rowid order, or primary-key order for WITHOUT ROWID
 * tables), streaming: each row is decoded from its page when visited and handed to the consumer.
 * Values are {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}.
 */
public final class TableReader {

    /** Receives one row; return false to stop. {@code rowid} is 0 for WITHOUT ROWID tables. */
    @FunctionalInterface
    public interface RowConsumer {
        boolean row(long rowid, Object[] values) throws CorruptFileException;
    }

    private final Database db;
    private final SchemaEntry entry;
    private final TableInfo info;

    public TableReader(Database db, SchemaEntry entry, TableInfo info) {
        this.db = db;
        this.entry = entry;
        this.info = info;
    }

    /** The reader for table {@code name}, or null when no such table has a b-tree. */
    public static TableReader open(Database db, String name) throws CorruptFileException {
        Schema s = db.schema();
        SchemaEntry e = s.find(name);
        if (e == null || !e.isTable() || e.rootPage() == 0) {
            return null;
        }
        return new TableReader(db, e, s.table(e));
    }

    public SchemaEntry entry() { return entry; }

    public TableInfo info() { return info; }

    /** Column names in declaration order. */
    public List<String> columnNames() {
        return info.columns().stream().map(Column::name).toList();
    }

    /** Streams every row in key order. */
    public boolean scan(RowConsumer consumer) throws CorruptFileException {
        return scan(consumer, new Database.PayloadBuffer());
    }

    /** Streams every row, assembling payloads in {@code buf}. */
    public boolean scan(RowConsumer consumer, Database.PayloadBuffer buf) throws CorruptFileException {
        if (info.withoutRowid()) {
            return db.scanIndex(entry.rootPage(), r -> consumer.row(0, values(0, r)), buf);
        }
        return db.scanTable(entry.rootPage(), (rowid, r) -> consumer.row(rowid, values(rowid, r)), buf);
    }

    /**
     * Streams every row it can read: a damaged subtree or cell below the root is reported to
     * {@code onDamage} and skipped (its rows are absent from the stream).
     */
    public boolean scan(RowConsumer consumer, Database.DamageListener onDamage) throws CorruptFileException {
        Database.PayloadBuffer buf = new Database.PayloadBuffer();
        if (info.withoutRowid()) {
            return db.scanIndex(entry.rootPage(), r -> consumer.row(0, values(0, r)), buf, onDamage);
        }
        return db.scanTable(entry.rootPage(), (rowid, r) -> consumer.row(rowid, values(rowid, r)), buf, onDamage);
    }

    /** Like {@link #scan(RowConsumer, Database.PayloadBuffer)} but also handing over the raw record. */
    public boolean scanRecords(RecordConsumer consumer, Database.PayloadBuffer buf) throws CorruptFileException {
        if (info.withoutRowid()) {
            return db.scanIndex(entry.rootPage(), r -> consumer.row(0, values(0, r), r), buf);
        }
        return db.scanTable(entry.rootPage(), (rowid, r) -> consumer.row(rowid, values(rowid, r), r), buf);
    }

    /** Receives one row with its record (valid only during the call). */
    @FunctionalInterface
    public interface RecordConsumer {
        boolean row(long rowid, Object[] values, Record record) throws CorruptFileException;
    }

    /** The row with {@code rowid}, or null (rowid tables only). */
    public Object[] lookup(long rowid) throws CorruptFileException {
        Object[][] out = new Object[1][];
        db.findRowid(entry.rootPage(), rowid, (id, r) -> {
            out[0] = values(id, r);
            return false;
        });
        return out[0];
    }

    /** Counts rows without decoding values (records are still checked). */
    public long count() throws CorruptFileException {
        long[] n = {0};
        if (info.withoutRowid()) {
            db.scanIndex(entry.rootPage(), r -> ++n[0] > 0);
        } else {
            db.scanTable(entry.rootPage(), (id, r) -> ++n[0] > 0);
        }
        return n[0];
    }

    /** Column values of a record, as SQLite's SELECT * shows them. */
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
