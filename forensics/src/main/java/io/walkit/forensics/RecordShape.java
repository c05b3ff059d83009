package io.walkit.forensics;

import io.walkit.db.Affinity;
import io.walkit.db.Column;
import io.walkit.db.Record;
import io.walkit.db.TableInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The record shape of one table: how many fields a complete record has and the affinity of each,
 * used to recognise a table's records in freed bytes and to rebuild record-header bytes SQLite
 * overwrote. Immutable and thread-safe.
 *
 * <p>The only place the forensics module reads a {@link TableInfo}.
 */
public final class RecordShape {

    private final String table;
    private final TableInfo info;
    private final Affinity[] fieldAffinity;
    private final List<String> columnNames;

    private RecordShape(String table, TableInfo info) {
        this.table = table;
        this.info = info;
        int n = info.storedColumnCount();
        this.fieldAffinity = new Affinity[n];
        java.util.Arrays.fill(fieldAffinity, Affinity.BLOB);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < info.columns().size(); c++) {
            Column col = info.columns().get(c);
            names.add(col.name());
            int s = info.storageIndex(c);
            if (s >= 0 && s < n) {
                fieldAffinity[s] = col.affinity();
            }
        }
        this.columnNames = List.copyOf(names);
    }

    /**
     * The shape of a table's records, from its {@code CREATE TABLE} statement.
     *
     * @param name the table's name
     * @param createSql the table's SQL in {@code sqlite_schema}
     * @return the shape, or {@code null} when the statement declares no columns
     */
    public static RecordShape of(String name, String createSql) {
        TableInfo info = TableInfo.parse(name, createSql);
        if (info.columns().isEmpty() || info.storedColumnCount() == 0) {
            return null;
        }
        return new RecordShape(name, info);
    }

    /** {@return the shape of {@code sqlite_schema}'s records} */
    public static RecordShape schemaTable() {
        return of("sqlite_schema", "CREATE TABLE sqlite_schema(type text, name text, tbl_name text, rootpage integer, sql text)");
    }

    /** {@return the table's name} */
    public String table() { return table; }

    /** {@return the column names in declared order} */
    public List<String> columnNames() { return columnNames; }

    /** {@return the number of fields of a complete record} */
    public int fieldCount() { return fieldAffinity.length; }

    /**
     * The affinity of one record field.
     *
     * @param i the field's index in the record, 0-based
     * @return its affinity
     */
    public Affinity fieldAffinity(int i) { return fieldAffinity[i]; }

    /** {@return whether the table is WITHOUT ROWID (its records live on index-format pages)} */
    public boolean withoutRowid() { return info.withoutRowid(); }

    /**
     * Whether serial type {@code t} is what SQLite can store in a field of affinity {@code a}
     * (TEXT affinity turns numbers into text; INTEGER/REAL/NUMERIC keep numeric-looking text as numbers
     * but may hold other text).
     */
    static boolean compatible(Affinity a, long t) {
        boolean number = t >= 1 && t <= 9;
        boolean text = t >= 13 && (t & 1) == 1;
        return switch (a) {
            case TEXT -> !number;
            case INTEGER, REAL, NUMERIC -> t == 0 || number || text;
            default -> true;
        };
    }

    /** How many of the {@code n} serial types in {@code types} fit this shape's affinities (−1 if the count differs). */
    int fit(long[] types, int n) {
        if (n != fieldAffinity.length) {
            return -1;
        }
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (compatible(fieldAffinity[i], types[i])) {
                ok++;
            }
        }
        return ok;
    }

    /** Column values in declared order from a decoded record; the rowid alias holds {@code rowid} (null if lost). */
    Object[] row(Long rowid, Record record) {
        Object[] out = info.row(rowid == null ? 0 : rowid, record);
        int alias = info.rowidAlias();
        if (alias >= 0 && rowid == null) {
            out[alias] = null;
        }
        return out;
    }
}
