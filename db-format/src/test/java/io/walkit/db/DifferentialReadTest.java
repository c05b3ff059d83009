package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** walkit's rows equal SQLite's rows, table by table and index by index, on seeded random databases. */
class DifferentialReadTest {

    static long[] seeds(int n) {
        String prop = System.getProperty("walkit.seeds");
        if (prop != null) {
            return java.util.Arrays.stream(prop.split(",")).mapToLong(Long::parseLong).toArray();
        }
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = 1000 + i;
        }
        return s;
    }

    @Test
    void rowsEqualSqliteOnRandomSchemas(@TempDir Path dir) throws Exception {
        for (long seed : seeds(Integer.getInteger("walkit.diff.count", 24))) {
            Path file = dir.resolve("gen-" + seed + ".db");
            DbGen gen = new DbGen(seed);
            gen.build(file, 150);
            try {
                compareAll(file);
            } catch (AssertionError | Exception e) {
                fail("seed " + seed + " failed: " + e + "\n" + gen.describe(), e);
            }
        }
    }

    /** Compares every table and every plain-column index of {@code file} with SQLite. */
    static void compareAll(Path file) throws Exception {
        try (Database db = Database.open(file, null, null); Connection c = Sqlite.open(file)) {
            Schema schema = db.schema();
            List<Object[]> master = Sqlite.query(c, "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema");
            assertEquals(master.size(), schema.entries().size(), "schema rows");
            for (int i = 0; i < master.size(); i++) {
                SchemaEntry e = schema.entries().get(i);
                Object[] w = {e.type(), e.name(), e.tableName(), e.rootPage(), e.sql()};
                if (!Sqlite.rowEquals(master.get(i), w)) {
                    fail("schema row " + i + ": sqlite " + Sqlite.show(master.get(i)) + " walkit " + Sqlite.show(w));
                }
            }
            for (SchemaEntry t : schema.tables()) {
                if (t.name().startsWith("sqlite_")) {
                    continue;
                }
                compareTable(db, c, t.name());
            }
            for (SchemaEntry ix : schema.indexes()) {
                compareIndex(db, c, ix);
            }
        }
    }

    static void compareTable(Database db, Connection c, String name) throws Exception {
        TableReader r = TableReader.open(db, name);
        assertNotNull(r, name);
        StringBuilder order = new StringBuilder();
        for (int k : r.info().primaryKey()) {
            order.append(order.isEmpty() ? "" : ", ").append('"').append(r.info().columns().get(k).name()).append('"');
        }
        String sql = r.info().withoutRowid() ? "SELECT * FROM \"" + name + "\" ORDER BY " + order
                : "SELECT rowid, * FROM \"" + name + "\" ORDER BY rowid";
        List<Object[]> expected = Sqlite.query(c, sql);
        List<Object[]> actual = new ArrayList<>();
        boolean rowid = !r.info().withoutRowid();
        r.scan((id, v) -> {
            Object[] row = new Object[v.length + (rowid ? 1 : 0)];
            if (rowid) {
                row[0] = id;
            }
            System.arraycopy(v, 0, row, rowid ? 1 : 0, v.length);
            actual.add(row);
            return true;
        });
        assertRows(name, expected, actual);
        if (rowid && !expected.isEmpty()) {
            Object[] mid = expected.get(expected.size() / 2);
            Object[] found = r.lookup((Long) mid[0]);
            assertNotNull(found, "lookup of rowid " + mid[0]);
            Object[] withId = new Object[found.length + 1];
            withId[0] = mid[0];
            System.arraycopy(found, 0, withId, 1, found.length);
            if (!Sqlite.rowEquals(mid, withId)) {
                fail("lookup " + mid[0] + ": " + Sqlite.show(withId));
            }
            assertEquals(null, r.lookup(Long.MIN_VALUE), "lookup of an absent rowid");
        }
    }

    static void compareIndex(Database db, Connection c, SchemaEntry ix) throws Exception {
        IndexInfo info = db.schema().index(ix);
        if (info == null || !info.plainColumns()) {
            return;
        }
        TableInfo table = db.schema().table(db.schema().find(info.tableName()));
        StringBuilder cols = new StringBuilder();
        for (int col : info.columns()) {
            cols.append(cols.isEmpty() ? "" : ", ").append('"').append(table.columns().get(col).name()).append('"');
        }
        if (!table.withoutRowid()) {
            cols.append(", rowid");
        }
        // A covering scan of the index in its order (INDEXED BY forces the index).
        String where = info.partial() ? " WHERE " + ix.sql().substring(ix.sql().toUpperCase().lastIndexOf("WHERE") + 5) : "";
        List<Object[]> expected;
        try {
            expected = Sqlite.query(c, "SELECT " + cols + " FROM \"" + info.tableName() + "\" INDEXED BY \"" + ix.name() + "\"" + where);
        } catch (java.sql.SQLException e) {
            return;
        }
        List<Object[]> actual = new ArrayList<>();
        int n = info.columns().length + (table.withoutRowid() ? 0 : 1);
        db.scanIndex(ix.rootPage(), rec -> {
            Object[] row = new Object[n];
            for (int i = 0; i < n; i++) {
                row[i] = rec.value(i);
                if (i < info.columns().length && row[i] instanceof Long l
                        && table.columns().get(info.columns()[i]).affinity() == Affinity.REAL) {
                    row[i] = l.doubleValue();
                }
            }
            actual.add(row);
            return true;
        });
        if (table.withoutRowid()) {
            // SQLite may answer a WITHOUT ROWID query from the PK; compare as multisets.
            expected.sort(java.util.Comparator.comparing(Sqlite::show));
            actual.sort(java.util.Comparator.comparing(Sqlite::show));
        }
        assertRows("index " + ix.name(), expected, actual);
    }

    static void assertRows(String what, List<Object[]> expected, List<Object[]> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!Sqlite.rowEquals(expected.get(i), actual.get(i))) {
                fail(what + " row " + i + ": sqlite " + Sqlite.show(expected.get(i)) + " walkit " + Sqlite.show(actual.get(i)));
            }
        }
        assertEquals(expected.size(), actual.size(), what + " row count");
    }
}
