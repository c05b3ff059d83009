package io.walkit.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run for the JDK's AOT cache (JEP 483/514/515): runs the everyday verbs in process
 * on the small sample files of the source tree, output discarded, so that the classes they load and
 * link are stored in the cache that {@code bin/walkit} (and the distribution's launcher) then
 * start with.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=walkit.aot -cp walkit.jar io.walkit.cli.AotTraining
 * TESTDATA_DIR}. Files are opened read-only, as by every verb; missing files only make the cache
 * smaller. Each verb runs through picocli and, where {@link FastPath} takes it, through the fast
 * path too. Not thread-safe; one run per process.
 */
public final class AotTraining {

    private AotTraining() {
    }

    /**
     * Runs the training verbs on the sample files under {@code args[0]} (the repository's
     * {@code testdata}) and exits 0.
     *
     * @param args one directory
     */
    public static void main(String[] args) {
        Path data = Path.of(args.length > 0 ? args[0] : "testdata");
        String wal = data.resolve("wal/sample.db-wal").toString();
        String shm = data.resolve("wal/sample.db-shm").toString();
        String walDb = data.resolve("wal/sample.db").toString();
        String db = data.resolve("db/shapes.db").toString();
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"--help"});
        runs.add(new String[] {"wal", "info", "--json", wal});
        runs.add(new String[] {"wal", "info", wal});
        runs.add(new String[] {"wal", "frames", "--json", wal});
        runs.add(new String[] {"wal", "stale", "--json", wal});
        runs.add(new String[] {"shm", "info", "--json", shm});
        runs.add(new String[] {"db", "info", "--json", walDb});
        runs.add(new String[] {"db", "info", db});
        runs.add(new String[] {"db", "tables", "--json", db});
        runs.add(new String[] {"db", "check", "--json", db});
        runs.add(new String[] {"db", "dump", "--json", db});
        runs.add(new String[] {"scan", "--json", data.toString()});
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        for (String[] run : runs) {
            if (run.length > 1 && !Files.exists(Path.of(run[run.length - 1]))) {
                continue;
            }
            Walkit.execute(sink, sink, false, run);
            Walkit.execute(sink, sink, true, run);
        }
        System.exit(0);
    }
}
