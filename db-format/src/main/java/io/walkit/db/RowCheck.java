package io.walkit.db;

import io.walkit.io.CorruptFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The row level of the integrity check, as SQLite's {@code PRAGMA integrity_check} code in
 * {@code pragma.c}: index entry counts against their tables, then one scan per table in schema-hash
 * order checking NOT NULL, STRICT types and type affinity, rows missing from indexes and UNIQUE
 * duplicates. The first structure a scan cannot read ends the row level, as SQLITE_CORRUPT ends
 * SQLite's statement. Problems have no prefix (SQLite prints none).
 *
 * <p>Memory: one exact byte key ({@link IndexKeys}) per index entry of the indexes of one table.
 * Not thread-safe; one per run.
 */
final class RowCheck {

    private final Database db;
    private final Schema schema;
    private final SchemaParser parser;
    private final int usable;
    private final CheckProblems problems;

    RowCheck(Database db, Schema schema, SchemaParser parser, CheckProblems problems) {
        this.db = db;
        this.schema = schema;
        this.parser = parser;
        this.usable = db.usableSize();
        this.problems = problems;
    }

    private boolean full() {
        return problems.full();
    }

    private void report(IntegrityCode code, long page, int offset, String field, String expected, String found) {
        problems.add(code, null, page, offset, field, expected, found, null);
    }

    /**
     * pragma.c's "wrong # of entries in index": each full (non-partial) index's entry count from
     * the b-tree walk must equal its table's (for WITHOUT ROWID, its primary-key index's).
     */
    void entryCounts(List<RootOrder.Tree> trees, long[] counts) {
        for (int i = 0; i < trees.size() && !full(); i++) {
            RootOrder.Tree tree = trees.get(i);
            if (tree.index() == null) {
                continue;
            }
            long want = -1;
            for (int k = 0; k < trees.size(); k++) {
                RootOrder.Tree other = trees.get(k);
                if (other.table() == tree.table() && other.index() == null) {
                    want = counts[k];
                }
            }
            IndexInfo ii = parser.index(schema, tree.index());
            if (ii != null && ii.partial()) {
                continue;
            }
            if (want >= 0 && counts[i] >= 0 && counts[i] != want) {
                report(IntegrityCode.INDEX_ENTRY_COUNT, tree.root(), -1, tree.index().name(), Long.toString(want),
                        Long.toString(counts[i]));
            }
        }
    }

    /**
     * pragma.c's per-table scan, tables in schema-hash order and indexes in {@code pTab->pIndex}
     * order. The first structure a scan cannot read ends the row level, as SQLITE_CORRUPT ends
     * SQLite's statement; it becomes a problem only when nothing else was found (so that the
     * verdict stays "not ok").
     */
    void rowLevel() {
        for (SchemaEntry t : RootOrder.tables(schema)) {
            if (full()) {
                return;
            }
            if (t == null || t.rootPage() <= 1) {
                continue;
            }
            // A parser exception here is a walkit bug: it propagates (never "ok" with a table unchecked).
            TableInfo info = parser.table(schema, t);
            if (!tableRows(t, info)) {
                return;
            }
        }
    }

    /** Reports a problem that stops SQLite's statement; false (stop) always. */
    private boolean abort(IntegrityCode code, long page, String field, String found) {
        if (problems.size() == 0) {
            report(code, page, -1, field, null, found);
        }
        return false;
    }

    /** The row checks of table {@code t}; false if the scan stopped SQLite's statement. */
    private boolean tableRows(SchemaEntry t, TableInfo info) {
        List<SchemaEntry> idxEntries = RootOrder.indexes(schema, t);
        List<IndexInfo> indexes = new ArrayList<>();
        List<IndexKeys.Set> keys = new ArrayList<>();
        IndexKeys.Builder kb = new IndexKeys.Builder();
        IndexKeys.Builder prev = new IndexKeys.Builder();
        for (SchemaEntry ix : idxEntries) {
            IndexInfo ii = parser.index(schema, ix);
            indexes.add(ii);
            IndexKeys.Set set = ii != null && ii.plainColumns() && (!ii.partial() || ii.whereNotNull() != null)
                    ? new IndexKeys.Set() : null;
            try {
                boolean[] hasPrev = {false};
                int nKey = ii == null ? 0 : ii.columns().length;
                boolean unique = ii != null && ii.unique();
                db.scanIndex(ix.rootPage(), r -> {
                    if (set != null) {
                        kb.reset();
                        for (int i = 0; i < r.columnCount(); i++) {
                            kb.column(r, i);
                        }
                        set.add(kb);
                    }
                    if (unique && nKey > 0) {
                        boolean anyNull = false;
                        for (int k = 0; k < nKey && k < r.columnCount(); k++) {
                            anyNull |= r.isNull(k);
                        }
                        if (anyNull) {
                            hasPrev[0] = false;
                        } else {
                            kb.reset();
                            for (int i = 0, n = Math.min(nKey, r.columnCount()); i < n; i++) {
                                kb.column(r, i);
                            }
                            if (hasPrev[0] && kb.sameAs(prev)) {
                                report(IntegrityCode.NON_UNIQUE, ix.rootPage(), -1, ix.name(), null, null);
                            }
                            prev.copyFrom(kb);
                            hasPrev[0] = true;
                        }
                    }
                    return !full();
                });
            } catch (CorruptFileException e) {
                return abort(IntegrityCode.SCAN_STOPPED, ix.rootPage(), "index " + ix.name(), e.getMessage());
            }
            keys.add(set);
        }
        long[] rows = {0};
        Database.PayloadBuffer buf = new Database.PayloadBuffer();
        boolean[] shortRead = {false};
        if (indexes.isEmpty() && !info.withoutRowid()) {
            return rowsWithoutIndexes(t, info, rows, buf, shortRead);
        }
        try {
            TableReader reader = new TableReader(db, t, info);
            reader.scanRecords((rowid, v, record) -> {
                rows[0]++;
                if (buf.chainLength > 0 && directReadFails(info, indexes, v, record, buf)) {
                    abort(IntegrityCode.SHORT_READ, t.rootPage(), t.name(), Long.toString(rowid));
                    shortRead[0] = true;
                    return false;
                }
                checkRow(t, info, rowid, v);
                for (int k = 0; k < indexes.size(); k++) {
                    IndexInfo ii = indexes.get(k);
                    Boolean in = ii == null ? null : ii.covers(v);
                    IndexKeys.Set set = keys.get(k);
                    if (set != null && Boolean.TRUE.equals(in) && !set.contains(tableKey(kb, info, ii, rowid, v))) {
                        // SQLite's N is the row's 1-based position in the table scan (pragma.c's register 7), not its rowid.
                        report(IntegrityCode.ROW_MISSING_FROM_INDEX, t.rootPage(), -1, ii.name(), null, Long.toString(rows[0]));
                    }
                }
                return !full();
            }, buf);
        } catch (CorruptFileException e) {
            return abort(IntegrityCode.SCAN_STOPPED, t.rootPage(), "table " + t.name(), e.getMessage());
        }
        return !shortRead[0];
    }

    /**
     * The rows of a rowid table without indexes: only the column checks apply, and they are decided
     * from each record's serial types without building the row's values (issue 13, target 5); only
     * text in a numeric column is decoded. A row whose payload overflows (the direct-read rule needs
     * the values) or whose record is shorter than the table (column defaults) takes the general path.
     */
    private boolean rowsWithoutIndexes(SchemaEntry t, TableInfo info, long[] rows, Database.PayloadBuffer buf,
                                       boolean[] shortRead) {
        TableReader reader = new TableReader(db, t, info);
        List<Column> cols = info.columns();
        int stored = 0;
        for (int c = 0; c < cols.size(); c++) {
            stored = Math.max(stored, info.storageIndex(c) + 1);
        }
        int needed = stored;
        List<IndexInfo> none = List.of();
        try {
            db.scanTable(t.rootPage(), (rowid, record) -> {
                rows[0]++;
                if (buf.chainLength > 0 || record.columnCount() < needed) {
                    Object[] v = reader.values(rowid, record);
                    if (buf.chainLength > 0 && directReadFails(info, none, v, record, buf)) {
                        abort(IntegrityCode.SHORT_READ, t.rootPage(), t.name(), Long.toString(rowid));
                        shortRead[0] = true;
                        return false;
                    }
                    checkRow(t, info, rowid, v);
                } else {
                    checkRowTypes(t, info, record);
                }
                return !full();
            }, buf);
        } catch (CorruptFileException e) {
            return abort(IntegrityCode.SCAN_STOPPED, t.rootPage(), "table " + t.name(), e.getMessage());
        }
        return !shortRead[0];
    }

    /** The storage class a value of serial type {@code t} reads as: what {@link Record#value(int)} would return. */
    private enum Kind { NULL, INTEGER, REAL, TEXT, BLOB }

    private static Kind kind(Record r, int s) {
        long t = r.serialType(s);
        if (t == 0 || t == 10 || t == 11) {
            return Kind.NULL;
        }
        if (t == 7) {
            return r.isReal(s) ? Kind.REAL : Kind.NULL;   // a stored NaN reads as NULL
        }
        if (t <= 9) {
            return Kind.INTEGER;
        }
        return (t & 1) == 1 ? Kind.TEXT : Kind.BLOB;
    }

    /** {@link #checkRow} decided from the record's serial types (every stored column present in the record). */
    private void checkRowTypes(SchemaEntry t, TableInfo info, Record record) {
        List<Column> cols = info.columns();
        for (int c = 0; c < cols.size(); c++) {
            if (c == info.rowidAlias() || cols.get(c).virtual()) {
                continue;
            }
            Column col = cols.get(c);
            int s = info.storageIndex(c);
            if (s < 0) {
                continue;
            }
            Kind k = kind(record, s);
            if (k == Kind.NULL) {
                if (col.notNull()) {
                    report(IntegrityCode.NULL_VALUE, t.rootPage(), -1, t.name() + "." + col.name(), "NOT NULL", "NULL");
                }
                continue;
            }
            if (info.strict()) {
                String type = col.declaredType().toUpperCase(java.util.Locale.ROOT);
                boolean ok = switch (type) {
                    case "INT", "INTEGER" -> k == Kind.INTEGER;
                    case "REAL" -> k == Kind.INTEGER || k == Kind.REAL;
                    case "TEXT" -> k == Kind.TEXT;
                    case "BLOB" -> k == Kind.BLOB;
                    default -> true;
                };
                if (!ok) {
                    report(IntegrityCode.STRICT_TYPE, t.rootPage(), -1, t.name() + "." + col.name(), type, k.name());
                }
            } else if (col.affinity() == Affinity.TEXT) {
                if (k == Kind.INTEGER || k == Kind.REAL) {
                    report(IntegrityCode.NUMERIC_IN_TEXT, t.rootPage(), -1, t.name() + "." + col.name(), "TEXT", k.name());
                }
            } else if (col.affinity().numeric() && k == Kind.TEXT && Affinity.parseNumber(record.getText(s)) != null) {
                report(IntegrityCode.TEXT_IN_NUMERIC, t.rootPage(), -1, t.name() + "." + col.name(), "a number", "TEXT");
            }
        }
    }

    /**
     * Whether SQLite's row checks would read a column whose content continues onto an overflow
     * page the file does not wholly hold. SQLite reads the content of indexed columns and of text in
     * numeric columns with {@code accessPayload}, which fetches every overflow page after the first
     * one it touches straight from the file ({@code SQLITE_DIRECT_OVERFLOW_READ}: the 4-byte link
     * plus the bytes needed); a short read there fails the whole pragma.
     */
    private boolean directReadFails(TableInfo info, List<IndexInfo> indexes, Object[] v, Record record,
                                    Database.PayloadBuffer buf) {
        List<Column> cols = info.columns();
        boolean[] read = new boolean[cols.size()];
        for (IndexInfo ii : indexes) {
            if (ii == null || Boolean.FALSE.equals(ii.covers(v))) {
                continue;
            }
            for (int c : ii.columns()) {
                if (c >= 0) {
                    read[c] = true;
                }
            }
        }
        if (!info.strict()) {
            for (int c = 0; c < cols.size(); c++) {
                if (cols.get(c).affinity().numeric() && v[c] instanceof String) {
                    read[c] = true;
                }
            }
        }
        int chunk = usable - 4;
        long local = buf.localSize;
        if (info.withoutRowid()) {
            // The primary-key order check (OP_IdxGT) compares whole index entries, loading the full payload.
            long total = record.length();
            for (int k = 0; k < buf.chainLength; k++) {
                long need = Math.min(chunk, total - local - (long) k * chunk);
                if (need > 0 && need + 4 > db.pages().directReadBytes(buf.chain[k])) {
                    return true;
                }
            }
        }
        for (int c = 0; c < cols.size(); c++) {
            int s = info.storageIndex(c);
            if (!read[c] || c == info.rowidAlias() || s < 0 || s >= record.columnCount()) {
                continue;
            }
            long start = record.bodyOffset(s);
            long end = s + 1 < record.columnCount() ? record.bodyOffset(s + 1) : start + Record.bodySize(record.serialType(s));
            if (end <= local || end <= start) {
                continue;
            }
            long firstIdx = start < local ? -1 : (start - local) / chunk;
            long lastIdx = (end - 1 - local) / chunk;
            for (long k = firstIdx + 1; k <= lastIdx && k < buf.chainLength; k++) {
                long pageStart = local + k * chunk;
                long need = Math.min(end, pageStart + chunk) - Math.max(start, pageStart);
                if (need + 4 > db.pages().directReadBytes(buf.chain[(int) k])) {
                    return true;
                }
            }
        }
        return false;
    }

    private void checkRow(SchemaEntry t, TableInfo info, long rowid, Object[] v) {
        List<Column> cols = info.columns();
        for (int c = 0; c < cols.size(); c++) {
            if (c == info.rowidAlias() || cols.get(c).virtual()) {
                continue;
            }
            Column col = cols.get(c);
            Object x = v[c];
            if (col.notNull() && x == null) {
                report(IntegrityCode.NULL_VALUE, t.rootPage(), -1, t.name() + "." + col.name(), "NOT NULL", "NULL");
                continue;
            }
            if (x == null) {
                continue;
            }
            if (info.strict()) {
                String type = col.declaredType().toUpperCase(java.util.Locale.ROOT);
                boolean ok = switch (type) {
                    case "INT", "INTEGER" -> x instanceof Long;
                    case "REAL" -> x instanceof Long || x instanceof Double;
                    case "TEXT" -> x instanceof String;
                    case "BLOB" -> x instanceof byte[];
                    default -> true;
                };
                if (!ok) {
                    report(IntegrityCode.STRICT_TYPE, t.rootPage(), -1, t.name() + "." + col.name(), type, typeName(x));
                }
            } else if (col.affinity() == Affinity.TEXT) {
                if (x instanceof Long || x instanceof Double) {
                    report(IntegrityCode.NUMERIC_IN_TEXT, t.rootPage(), -1, t.name() + "." + col.name(), "TEXT", typeName(x));
                }
            } else if (col.affinity().numeric() && x instanceof String s && Affinity.parseNumber(s) != null) {
                report(IntegrityCode.TEXT_IN_NUMERIC, t.rootPage(), -1, t.name() + "." + col.name(), "a number", "TEXT");
            }
        }
    }

    /** The index key a table row should have in {@code ii}, built in {@code kb}. */
    private static IndexKeys.Builder tableKey(IndexKeys.Builder kb, TableInfo info, IndexInfo ii, long rowid, Object[] v) {
        kb.reset();
        for (int c : ii.columns()) {
            kb.value(v[c]);
        }
        if (info.withoutRowid()) {
            for (int c : info.primaryKey()) {
                boolean present = false;
                for (int k : ii.columns()) {
                    present |= k == c;
                }
                if (!present) {
                    kb.value(v[c]);
                }
            }
        } else {
            kb.integer(rowid);
        }
        return kb;
    }

    private static String typeName(Object x) {
        return switch (x) {
            case Long l -> "INTEGER";
            case Double d -> "REAL";
            case String t -> "TEXT";
            case byte[] b -> "BLOB";
            default -> x.getClass().getSimpleName();
        };
    }
}
