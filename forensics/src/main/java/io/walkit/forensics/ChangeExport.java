package io.walkit.forensics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes row histories and diffs ({@code walkit db history|diff --sqlite OUT}) as an SQLite database
 * made by walkit's own {@link SqliteWriter}: one table per source table holding one row per row
 * <em>version</em>, and the {@value CarveExport#PROVENANCE_TABLE} table naming every input with its
 * SHA-256 and walkit's version (as {@link CarveExport} does for carved records).
 *
 * <p>A version is one side of a change: an insert gives its {@code new} side, a delete its {@code old}
 * side, an update both (two rows), a row of the database file at commit 0 in a history its
 * {@code present} side. The columns are {@value #COMMIT}, {@value #CHANGE}, {@value #SIDE},
 * {@value #ROWID} (null for WITHOUT ROWID tables, whose key is among the source columns), then the
 * source table's columns in declared order, values stored exactly as decoded (no declared types, so
 * SQLite applies no affinity). Stateless; thread-safe.
 */
public final class ChangeExport {

    /** Column: the commit at which the version was observed (for a diff, the later commit). */
    public static final String COMMIT = "walkit_commit";
    /** Column: {@code present}, {@code insert}, {@code update} or {@code delete}. */
    public static final String CHANGE = "walkit_change";
    /** Column: {@code old} (the values before the change) or {@code new} (after). */
    public static final String SIDE = "walkit_side";
    /** Column: the row's rowid, null for a WITHOUT ROWID table. */
    public static final String ROWID = "walkit_rowid";

    /** The provenance columns of every version table, in order. */
    public static final List<String> COLUMNS = List.of(COMMIT, CHANGE, SIDE, ROWID);

    private ChangeExport() {}

    /**
     * One version of one row.
     *
     * @param commit the commit at which it was observed (for a diff, the later commit)
     * @param change {@code present}, {@code insert}, {@code update} or {@code delete}
     * @param side {@code old} or {@code new}
     * @param table the source table's name
     * @param rowid the rowid, null for a WITHOUT ROWID table
     * @param values the column values in declared order (not copied: treat as read-only)
     */
    public record Version(int commit, String change, String side, String table, Long rowid, Object[] values) {}

    /**
     * The versions one change contributes: the {@code old} side of an update or delete, then the
     * {@code new} side of an insert or update.
     *
     * @param change the change
     * @param commit the commit at which it was observed
     * @return one or two versions
     */
    public static List<Version> versions(RowChange change, int commit) {
        List<Version> out = new ArrayList<>(2);
        String kind = change.change().jsonName();
        if (change.oldValues() != null) {
            out.add(new Version(commit, kind, "old", change.table(), change.rowid(), change.oldValues()));
        }
        if (change.newValues() != null) {
            out.add(new Version(commit, kind, "new", change.table(), change.rowid(), change.newValues()));
        }
        return out;
    }

    /**
     * Writes versions to a new SQLite database (temp file, fsync, rename).
     *
     * @param versions the versions, in the order they should be stored
     * @param columns each source table's column names in declared order; a table missing here gets
     *                columns {@code c1..cN}
     * @param provenance the inputs and walkit's version
     * @param target the file to write
     * @param overwrite whether an existing {@code target} may be replaced
     * @throws IOException on an I/O error, or when {@code target} exists and {@code overwrite} is false
     */
    public static void write(List<Version> versions, Map<String, List<String>> columns, Provenance provenance,
            Path target, boolean overwrite) throws IOException {
        Map<String, List<Version>> byTable = new LinkedHashMap<>();
        for (Version v : versions) {
            byTable.computeIfAbsent(v.table(), k -> new ArrayList<>()).add(v);
        }
        SqliteWriter w = new SqliteWriter();
        CarveExport.writeProvenance(w, provenance);
        for (Map.Entry<String, List<Version>> e : byTable.entrySet()) {
            int width = 0;
            for (Version v : e.getValue()) {
                width = Math.max(width, v.values().length);
            }
            List<String> cols = CarveExport.columns(COLUMNS, columns.get(e.getKey()), width);
            String name = CarveExport.tableName(e.getKey());
            StringBuilder sql = new StringBuilder("CREATE TABLE ").append(SqliteWriter.quote(name)).append('(');
            for (int i = 0; i < cols.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(SqliteWriter.quote(cols.get(i)));
            }
            w.createTable(name, sql.append(')').toString());
            for (Version v : e.getValue()) {
                Object[] row = new Object[cols.size()];
                row[0] = (long) v.commit();
                row[1] = v.change();
                row[2] = v.side();
                row[3] = v.rowid();
                System.arraycopy(v.values(), 0, row, COLUMNS.size(), v.values().length);
                w.insert(name, row);
            }
        }
        w.writeTo(target, overwrite);
    }
}
