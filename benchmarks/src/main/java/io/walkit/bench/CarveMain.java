package io.walkit.bench;

import io.walkit.db.Database;
import io.walkit.forensics.Carver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times {@link Carver#carve(Database, String)} on one database {@code N} times in one process and
 * prints, per run, wall time and this thread's CPU time (JIT and GC threads excluded), so the carver's
 * own single-core speed can be read on a loaded machine. Not JMH: a quick, load-robust figure.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.walkit.bench.CarveMain DB [RUNS]}.
 */
public final class CarveMain {

    private CarveMain() {}

    /**
     * Runs the timing loop.
     *
     * @param args the database, then the number of runs (default 5)
     * @throws IOException when the database cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long size = Files.size(path);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 1; i <= runs; i++) {
            long w0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            int n;
            try (Database db = Database.open(path, null, null)) {
                n = Carver.carve(db, path.toString()).size();
            }
            double wall = (System.nanoTime() - w0) / 1e9;
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf("run %d: %d records, %.1f MB, wall %.2f s (%.1f MB/s), thread cpu %.2f s (%.1f MB/s)%n",
                    i, n, size / 1e6, wall, size / 1e6 / wall, cpu, size / 1e6 / cpu);
        }
    }
}
