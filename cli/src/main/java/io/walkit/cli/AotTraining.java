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
 * [full|fast] TESTDATA_DIR}. Two sets, because the JVM loads every class of an AOT cache at start
 * whether the run needs it or not, so a cache costs start-up in proportion to its size:
 * <ul>
 * <li>{@code full} (the default): every everyday verb, through picocli and, where {@link FastPath}
 * takes it, through the fast path too; for the cache the launchers use with most verbs.
 * <li>{@code fast}: only the forms {@link FastPath} runs, called the way {@link Main} calls them,
 * so that no picocli class enters the cache; for the cache the launchers use with those verbs
 * (the {@code cache} column of {@code bin/lib/verbs.conf}).
 * </ul>
 * Files are opened read-only, as by every verb; missing files only make the cache smaller. Not
 * thread-safe; one run per process.
 */
public final class AotTraining {

    private AotTraining() {
    }

    /**
     * Runs the training verbs of one set on the sample files under the directory (the repository's
     * {@code testdata}) and exits 0.
     *
     * @param args {@code [full|fast] DIRECTORY}
     */
    public static void main(String[] args) {
        boolean fast = args.length > 0 && args[0].equals("fast");
        int first = args.length > 0 && (fast || args[0].equals("full")) ? 1 : 0;
        Path data = Path.of(args.length > first ? args[first] : "testdata");
        // The entry point the launchers start: loaded here so that it is in either cache.
        Class<?> entry = Main.class;
        assert entry != null;
        if (fast) {
            fastSet(data);
        } else {
            fullSet(data);
        }
        System.exit(0);
    }

    /** The forms {@link FastPath} runs, called as {@link Main} calls them: no picocli class is loaded. */
    private static void fastSet(Path data) {
        String wal = data.resolve("wal/sample.db-wal").toString();
        if (!Files.exists(Path.of(wal))) {
            return;
        }
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        FastPath.tryRun(sink, sink, new String[] {"wal", "info", "--json", wal});
        FastPath.tryRun(sink, sink, new String[] {"wal", "info", wal});
        sink.flush();
    }

    private static void fullSet(Path data) {
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
    }
}
