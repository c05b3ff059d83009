package io.walkit.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.db.Database;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential proof against real SQLite (sqlite-jdbc): seeded random tables, inserts, deletes, updates
 * and drops, with and without auto_vacuum, at several page sizes. Of the rows that are no longer live but
 * whose record body (values, in SQLite's encoding) still exists in the file, at least 92% are recovered
 * (the goal is all of them; the figure is printed); no live row is ever reported; with secure_delete on,
 * (almost) nothing freed survives or is recovered. Each failure prints its seed and the workload script.
 */
class CarveDifferentialTest {

    @TempDir
    Path dir;

    record Outcome(int gone, int surviving, int recovered, List<String> problems) {}

    @Test
    void recoversEveryDeletedRowWhoseBytesSurviveAndNoLiveRow() throws Exception {
        int surviving = 0;
        int recovered = 0;
        List<String> problems = new ArrayList<>();
        for (long seed = 1; seed <= 24; seed++) {
            Outcome o = run(seed, false);
            surviving += o.surviving();
            recovered += o.recovered();
            problems.addAll(o.problems());
        }
        System.out.println("differential: recovered " + recovered + " of " + surviving + " deleted rows whose bytes survive");
        List<String> liveReported = problems.stream().filter(p -> p.contains("live row")).toList();
        assertTrue(liveReported.isEmpty(), String.join("\n", liveReported));
        // Not yet every surviving row (see docs/forensics.md, "Known gaps"): the floor pins today's figure.
        assertTrue(recovered >= 0.92 * surviving, "recovered " + recovered + " of " + surviving + "; first misses:\n"
                + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
        assertTrue(surviving > 500, "the workloads leave deleted rows on disk: " + surviving);
    }

    @Test
    void secureDeleteLeavesNothingToRecover() throws Exception {
        for (long seed = 101; seed <= 104; seed++) {
            Outcome o = run(seed, true);
            // secure_delete zeroes freed cells: almost nothing deleted survives, and nothing else is claimed.
            assertTrue(o.surviving() <= o.gone() / 50, "seed " + seed + ": secure_delete left " + o.surviving() + " of " + o.gone());
            assertTrue(o.recovered() <= o.surviving(), "seed " + seed + ": recovered more than survives");
            assertTrue(o.problems().isEmpty(), o.problems().toString());
        }
    }

    private Outcome run(long seed, boolean secureDelete) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path db = dir.resolve("d" + seed + (secureDelete ? "s" : "") + ".db");
        int pageSize = new int[] {1024, 4096, 4096, 8192}[rnd.nextInt(4)];
        boolean autoVacuum = rnd.nextInt(4) == 0;
        StringBuilder script = new StringBuilder("seed " + seed + ": page_size " + pageSize + (autoVacuum ? ", auto_vacuum full" : "")
                + (secureDelete ? ", secure_delete on" : "") + "; ");
        // All rows ever written (marker -> values); live ones are read back from SQLite at the end.
        Map<String, Object[]> written = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + pageSize);
            s.execute("PRAGMA auto_vacuum=" + (autoVacuum ? "FULL" : "NONE"));
            s.execute("PRAGMA journal_mode=DELETE");
            s.execute("PRAGMA secure_delete=" + (secureDelete ? "ON" : "OFF"));
            int tables = 1 + rnd.nextInt(3);
            for (int t = 0; t < tables; t++) {
                s.execute("CREATE TABLE t" + t + "(a INTEGER, b TEXT, c INTEGER)");
            }
            int rows = 100 + rnd.nextInt(400);
            c.setAutoCommit(false);
            for (int i = 0; i < rows; i++) {
                int t = rnd.nextInt(tables);
                insert(c, "t" + t, seed, i, rnd, written);
            }
            c.commit();
            script.append(tables).append(" tables, ").append(rows).append(" inserts; ");
            int deletes = rows / 4 + rnd.nextInt(rows / 4);
            for (int i = 0; i < deletes; i++) {
                int t = rnd.nextInt(tables);
                s.execute("DELETE FROM t" + t + " WHERE rowid = (SELECT rowid FROM t" + t + " WHERE rowid >= " + rnd.nextInt(rows)
                        + " ORDER BY rowid LIMIT 1)");
                if (rnd.nextInt(10) == 0) {
                    c.commit();
                }
            }
            int updates = rnd.nextInt(rows / 8 + 1);
            for (int i = 0; i < updates; i++) {
                String marker = "u" + seed + "x" + i + "y" + letters(rnd, 5 + rnd.nextInt(40));
                int t = rnd.nextInt(tables);
                try (PreparedStatement p = c.prepareStatement("UPDATE t" + t + " SET b = ? WHERE rowid = (SELECT rowid FROM t" + t
                        + " WHERE rowid >= " + rnd.nextInt(rows) + " ORDER BY rowid LIMIT 1)")) {
                    p.setString(1, marker);
                    p.executeUpdate();
                }
            }
            c.commit();
            script.append(deletes).append(" deletes, ").append(updates).append(" updates");
            if (tables > 1 && rnd.nextBoolean()) {
                s.execute("DROP TABLE t" + (tables - 1));
                script.append(", drop t").append(tables - 1);
            }
            c.commit();
            c.setAutoCommit(true);
        }
        // Live rows as SQLite sees them (on a copy: opening evidence in place is never done).
        Path copy = dir.resolve("copy" + seed + ".db");
        Files.copy(db, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.util.Set<String> live = new java.util.HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT name FROM sqlite_schema WHERE type='table'")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            for (String n : names) {
                try (var r = s.executeQuery("SELECT b FROM " + n)) {
                    while (r.next()) {
                        live.add(r.getString(1));
                    }
                }
            }
        }
        byte[] file = Files.readAllBytes(db);
        List<RecoveredRecord> carved;
        try (Database d = Database.open(db, null, null)) {
            carved = Carver.carve(d, db.toString());
        }
        Map<String, Integer> found = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (RecoveredRecord r : carved) {
            if (r.values().length == 3 && r.values()[1] instanceof String m) {
                if (live.contains(m) && r.rowid() == null) {
                    problems.add(script + ": live row reported as deleted: " + r);
                }
                Object[] w = written.get(m);
                if (w != null && java.util.Arrays.equals(w, r.values())) {
                    found.merge(m, 1, Integer::sum);
                }
            }
        }
        int gone = 0;
        int surviving = 0;
        int recovered = 0;
        for (var e : written.entrySet()) {
            if (live.contains(e.getKey())) {
                continue;
            }
            gone++;
            if (indexOf(file, body(e.getValue())) >= 0) {
                surviving++;
                if (found.containsKey(e.getKey())) {
                    recovered++;
                } else {
                    problems.add(script + ": not recovered although its bytes survive: " + java.util.Arrays.toString(e.getValue()));
                }
            }
        }
        return new Outcome(gone, surviving, recovered, problems);
    }

    private static void insert(Connection c, String table, long seed, int i, SplittableRandom rnd, Map<String, Object[]> written)
            throws Exception {
        long a = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(100);
            case 1 -> rnd.nextInt();
            case 2 -> rnd.nextLong();
            default -> -rnd.nextInt(100_000);
        };
        String b = "m" + seed + "x" + i + "y" + letters(rnd, 5 + rnd.nextInt(rnd.nextInt(8) == 0 ? 3000 : 80));
        long cc = rnd.nextInt(1 << 20);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + "(a, b, c) VALUES (?, ?, ?)")) {
            p.setLong(1, a);
            p.setString(2, b);
            p.setLong(3, cc);
            p.executeUpdate();
        }
        written.put(b, new Object[] {a, b, cc});
    }

    private static String letters(SplittableRandom rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }

    /** The record body SQLite writes for (integer, text, integer): minimal big-endian integers, then the UTF-8 text. */
    static byte[] body(Object[] v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o : v) {
            if (o instanceof Long l) {
                if (l == 0 || l == 1) {
                    continue;
                }
                int size = l >= -128 && l <= 127 ? 1 : l >= -32768 && l <= 32767 ? 2 : l >= -8388608 && l <= 8388607 ? 3
                        : l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? 4 : l >= -(1L << 47) && l < (1L << 47) ? 6 : 8;
                for (int i = size - 1; i >= 0; i--) {
                    out.write((int) (l >>> (8 * i)));
                }
            } else {
                out.writeBytes(((String) o).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] h, byte[] n) {
        outer:
        for (int i = 0; i + n.length <= h.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (h[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
