package io.walkit.bench;

import io.walkit.db.Database;
import io.walkit.db.IntegrityCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times walkit's table scan and integrity check in one process (no JMH), and prints what a script
 * needs to check them against SQLite.
 *
 * <pre>
 * usage: DbScanMain DB OP [ITERS] [WARMUP] [TABLE]
 *   OP = selectStar | decodeRecords | integrityCheck | verify
 *   ITERS  timed iterations (default 9); the first is reported on its own as the one-shot cost
 *          of a fresh JVM when WARMUP is 0
 *   WARMUP untimed iterations first (default 0)
 *   TABLE  default t
 * output (timed ops): one line per iteration, then
 *   RESULT op=OP rows=N pages=N iters=N first_ms=X median_ms=X min_ms=X rows_per_s=X pages_per_s=X
 * output (verify):
 *   ROWS count=N sum_int=N sum_len=N                (from decodeRecords)
 *   ROWS_SELECT_STAR count=N sum_int=N sum_len=N    (from selectStar; must equal ROWS)
 *   SHA3 HEX        (= sqlite3's sha3_query('SELECT * FROM TABLE'))
 *   INTEGRITY ok | INTEGRITY problems=N, then SQLite's text of each problem
 *   PAGES N
 * </pre>
 */
public final class DbScanMain {

    private DbScanMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DbScanMain DB selectStar|decodeRecords|integrityCheck|verify [ITERS] [WARMUP] [TABLE]");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        String op = args[1];
        int iters = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        String table = args.length > 4 ? args[4] : "t";
        if (op.equals("verify")) {
            verify(path, table);
            return;
        }
        if (!op.equals("selectStar") && !op.equals("decodeRecords") && !op.equals("integrityCheck")) {
            System.err.println("unknown OP " + op);
            System.exit(2);
        }
        double[] ms = new double[iters];
        long[] out = new long[4];
        long pages = 0;
        double first = 0;
        for (int it = -warmup; it < iters; it++) {
            long t0 = System.nanoTime();
            try (Database db = Database.open(path, null, null)) {
                switch (op) {
                    case "selectStar" -> DbFiles.selectStar(DbFiles.table(db, table), out);
                    case "decodeRecords" -> DbFiles.decodeRecords(db, DbFiles.table(db, table), out);
                    default -> {
                        IntegrityCheck.Report r = IntegrityCheck.check(db, 100);
                        out[0] = r.ok() ? 0 : r.problems().size();
                    }
                }
                pages = db.pageCount();
            }
            double dt = (System.nanoTime() - t0) / 1e6;
            if (it < 0) {
                continue;
            }
            if (it == 0) {
                first = dt;
            }
            ms[it] = dt;
            System.out.printf(Locale.ROOT, "iter %d: %.2f ms%n", it, dt);
        }
        Arrays.sort(ms);
        double median = ms[iters / 2];
        long rows = op.equals("integrityCheck") ? 0 : out[0];
        System.out.printf(Locale.ROOT,
                "RESULT op=%s rows=%d pages=%d iters=%d first_ms=%.2f median_ms=%.2f min_ms=%.2f rows_per_s=%.0f pages_per_s=%.0f%n",
                op, rows, pages, iters, first, median, ms[0], rows / (median / 1e3), pages / (median / 1e3));
    }

    private static void verify(Path path, String table) throws IOException {
        try (Database db = Database.open(path, null, null)) {
            var t = DbFiles.table(db, table);
            long[] a = new long[4];
            DbFiles.decodeRecords(db, t, a);
            System.out.printf(Locale.ROOT, "ROWS count=%d sum_int=%d sum_len=%d%n", a[0], a[1], a[2]);
            long[] b = new long[4];
            DbFiles.selectStar(t, b);
            System.out.printf(Locale.ROOT, "ROWS_SELECT_STAR count=%d sum_int=%d sum_len=%d%n", b[0], b[1], b[2]);
            System.out.println("SHA3 " + DbFiles.sha3SelectStar(t, "SELECT * FROM " + table));
            IntegrityCheck.Report r = IntegrityCheck.check(db, 100);
            if (r.ok()) {
                System.out.println("INTEGRITY ok");
            } else {
                System.out.println("INTEGRITY problems=" + r.problems().size());
                r.problems().forEach(p -> System.out.println(p.text()));
            }
            System.out.println("PAGES " + db.pageCount());
        }
    }
}
