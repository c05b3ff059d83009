package io.walkit.forensics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes recovered records as an SQLite database (with {@link SqliteWriter}): one table per source
 * table, named as the source table ({@code carved_} in front of names SQLite reserves,
 * {@code walkit_unknown_table} for records no schema fits, fields {@code c1..cN}), whose columns are
 * the provenance columns {@code walkit_status, walkit_confidence, walkit_kind, walkit_file,
 * walkit_page, walkit_frame, walkit_offset, walkit_rowid} followed by the source columns in declared
 * order, without declared types (so every value is stored exactly as recovered); and a table
 * {@code walkit_provenance(role, file, size, sha256, walkit_version)} naming every input. Stateless.
 */
public final class CarveExport {

    /** The names of the provenance columns, in order. */
    public static final List<String> PROVENANCE_COLUMNS = List.of("walkit_status", "walkit_confidence", "walkit_kind",
            "walkit_file", "walkit_page", "walkit_frame", "walkit_offset", "walkit_rowid");

    /** The table naming the inputs. */
    public static final String PROVENANCE_TABLE = "walkit_provenance";

    /** The table of records no schema fits. */
    public static final String UNKNOWN_TABLE = "walkit_unknown_table";

    private CarveExport() {}

    /**
     * The output table name for source table {@code table} (null: unknown).
     *
     * @param table the table's name
     * @return the result described above
     */
    public static String tableName(String table) {
        if (table == null) {
            return UNKNOWN_TABLE;
        }
        String l = table.toLowerCase(Locale.ROOT);
        return l.startsWith("sqlite_") || l.equals(PROVENANCE_TABLE) || l.equals(UNKNOWN_TABLE) ? "carved_" + table : table;
    }

    /**
     * Writes {@code records} and {@code provenance} to {@code target} (temp+fsync+rename).
     *
     * @throws IOException on an I/O error or when {@code target} exists and {@code overwrite} is false
     * @param overwrite whether an existing file may be replaced
     * @param provenance the inputs and walkit's version
     * @param records the records
     * @param target the file to write
     */
    public static void write(List<RecoveredRecord> records, Provenance provenance, Path target, boolean overwrite) throws IOException {
        Map<String, List<RecoveredRecord>> byTable = new LinkedHashMap<>();
        for (RecoveredRecord r : records) {
            byTable.computeIfAbsent(tableName(r.table()), k -> new ArrayList<>()).add(r);
        }
        SqliteWriter w = new SqliteWriter();
        writeProvenance(w, provenance);
        for (Map.Entry<String, List<RecoveredRecord>> e : byTable.entrySet()) {
            List<RecoveredRecord> rs = e.getValue();
            List<String> source = rs.getFirst().columns();
            int width = 0;
            for (RecoveredRecord r : rs) {
                width = Math.max(width, r.values().length);
            }
            List<String> cols = columns(PROVENANCE_COLUMNS, source, width);
            StringBuilder sql = new StringBuilder("CREATE TABLE ").append(SqliteWriter.quote(e.getKey())).append('(');
            for (int i = 0; i < cols.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(SqliteWriter.quote(cols.get(i)));
            }
            w.createTable(e.getKey(), sql.append(')').toString());
            for (RecoveredRecord r : rs) {
                Object[] row = new Object[cols.size()];
                RecordSource s = r.source();
                row[0] = r.status().jsonName();
                row[1] = r.confidence().jsonName();
                row[2] = s.kind().jsonName();
                row[3] = s.file();
                row[4] = s.pageNumber();
                row[5] = s.frame();
                row[6] = s.offset();
                row[7] = r.rowid();
                System.arraycopy(r.values(), 0, row, PROVENANCE_COLUMNS.size(), r.values().length);
                w.insert(e.getKey(), row);
            }
        }
        w.writeTo(target, overwrite);
    }

    /**
     * Adds the {@value #PROVENANCE_TABLE} table: a row per input (role, path, size, SHA-256) with
     * walkit's version, or one row with only the version when there is no input.
     *
     * @param w the database being written
     * @param provenance the inputs and walkit's version
     */
    static void writeProvenance(SqliteWriter w, Provenance provenance) {
        w.createTable(PROVENANCE_TABLE, "CREATE TABLE " + PROVENANCE_TABLE + "(role, file, size, sha256, walkit_version)");
        for (Provenance.Input in : provenance.inputs()) {
            w.insert(PROVENANCE_TABLE, new Object[] {in.role(), in.path(), in.size(), in.sha256(), provenance.walkitVersion()});
        }
        if (provenance.inputs().isEmpty()) {
            w.insert(PROVENANCE_TABLE, new Object[] {null, null, null, null, provenance.walkitVersion()});
        }
    }

    /**
     * The columns of an output table: walkit's own columns, then {@code width} source columns named as
     * in {@code source} ({@code c1..cN} past its end or when it is null), each made unique without
     * regard to case by a {@code _2}, {@code _3}... suffix (SQLite's column names are case-insensitive).
     *
     * @param own walkit's columns, first
     * @param source the source table's column names in declared order, or null when unknown
     * @param width the number of source columns the rows need
     * @return the column names, in order
     */
    static List<String> columns(List<String> own, List<String> source, int width) {
        List<String> cols = new ArrayList<>(own);
        Set<String> seen = new HashSet<>();
        cols.forEach(c -> seen.add(c.toLowerCase(Locale.ROOT)));
        for (int i = 0; i < width; i++) {
            String c = source != null && i < source.size() ? source.get(i) : "c" + (i + 1);
            String u = c;
            for (int n = 2; !seen.add(u.toLowerCase(Locale.ROOT)); n++) {
                u = c + "_" + n;
            }
            cols.add(u);
        }
        return cols;
    }
}
