package io.walkit.bench;

import io.walkit.db.Database;
import io.walkit.db.IntegrityCheck;
import io.walkit.db.Record;
import io.walkit.db.Schema;
import io.walkit.db.SchemaEntry;
import io.walkit.db.TableReader;
import io.walkit.io.CorruptFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Experiment behind the recommendation in RESULTS.md: how much of {@link IntegrityCheck}'s time is
 * the table ↔ index cross-check, and what a primitive cross-check would cost. Works on a table
 * {@code t} with one single-column integer index (the benchmark databases' {@code t_k}).
 *
 * <pre>
 * usage: CrossCheckExperiment DB [ITERS] [WARMUP] [TABLE] [INDEX]
 *   integrity       IntegrityCheck.check(db, 100)
 *   indexStrings    index entries → String keys in a HashSet (as IntegrityCheck does)
 *   stringCrossCheck indexStrings + every table row materialised (TableReader) and its String key looked up
 *   primitiveCrossCheck both b-trees walked with reused Records; (k, rowid) → 64-bit hash; both
 *                   hash arrays sorted and compared (same multiset test, no per-row allocation)
 * </pre>
 */
public final class CrossCheckExperiment {

    private CrossCheckExperiment() {}

    public static void main(String[] args) throws IOException {
        Path p = Path.of(args[0]);
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        String table = args.length > 3 ? args[3] : "t";
        String index = args.length > 4 ? args[4] : "t_k";
        for (String op : new String[] {"integrity", "indexStrings", "stringCrossCheck", "primitiveCrossCheck"}) {
            double[] ms = new double[iters];
            long res = 0;
            for (int it = -warmup; it < iters; it++) {
                long t0 = System.nanoTime();
                try (Database db = Database.open(p, null, null)) {
                    res = run(db, op, table, index);
                }
                double dt = (System.nanoTime() - t0) / 1e6;
                if (it >= 0) {
                    ms[it] = dt;
                }
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "%s result=%d median_ms=%.1f min_ms=%.1f%n", op, res, ms[iters / 2], ms[0]);
        }
    }

    /** Runs one variant; the result is a count (problems, keys or mismatches) to keep the work alive. */
    static long run(Database db, String op, String table, String index) throws CorruptFileException {
        Schema s = db.schema();
        SchemaEntry t = s.find(table);
        SchemaEntry ix = s.find(index);
        switch (op) {
            case "integrity":
                return IntegrityCheck.check(db, 100).problems().size();
            case "indexStrings":
                return indexStrings(db, ix).size();
            case "stringCrossCheck": {
                Set<String> set = indexStrings(db, ix);
                int col = s.index(ix).columns()[0];
                long[] miss = {0};
                new TableReader(db, t, s.table(t)).scanRecords((rowid, v, rec) -> {
                    if (!set.contains("I" + v[col] + "|I" + rowid + "|")) {
                        miss[0]++;
                    }
                    return true;
                }, new Database.PayloadBuffer());
                return miss[0];
            }
            default: {
                int col = s.index(ix).columns()[0];
                long[][] h = {new long[1 << 12]};
                int[] n = {0};
                db.scanIndex(ix.rootPage(), r -> {
                    if (n[0] == h[0].length) {
                        h[0] = Arrays.copyOf(h[0], n[0] * 2);
                    }
                    h[0][n[0]++] = mix(r.getLong(0), r.getLong(1));
                    return true;
                });
                long[][] g = {new long[Math.max(16, n[0])]};
                int[] m = {0};
                db.scanTable(t.rootPage(), (rowid, r) -> {
                    if (m[0] == g[0].length) {
                        g[0] = Arrays.copyOf(g[0], m[0] * 2);
                    }
                    g[0][m[0]++] = mix(r.getLong(col), rowid);
                    return true;
                });
                long[] x = Arrays.copyOf(h[0], n[0]);
                long[] y = Arrays.copyOf(g[0], m[0]);
                Arrays.sort(x);
                Arrays.sort(y);
                return Arrays.equals(x, y) ? 0 : 1;
            }
        }
    }

    private static Set<String> indexStrings(Database db, SchemaEntry ix) throws CorruptFileException {
        Set<String> set = new HashSet<>();
        db.scanIndex(ix.rootPage(), r -> set.add(key(r)));
        return set;
    }

    private static String key(Record r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.columnCount(); i++) {
            sb.append('I').append(r.value(i)).append('|');
        }
        return sb.toString();
    }

    private static long mix(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L ^ b;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }
}
