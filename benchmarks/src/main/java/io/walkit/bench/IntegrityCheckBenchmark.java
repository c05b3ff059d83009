package io.walkit.bench;

import io.walkit.db.Database;
import io.walkit.db.IntegrityCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * walkit's counterpart of {@code PRAGMA integrity_check}, one shot per operation: map the database
 * read-only, run {@link IntegrityCheck#check(Database, int)} (at most 100 problems, as SQLite),
 * unmap. Secondary result {@code pages}: database pages per second.
 *
 * <p>Inputs as {@link TableScanBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class IntegrityCheckBenchmark {

    @Param({"100000", "1000000"})
    public String rows;

    @Param({"1024", "4096", "65536"})
    public String pageSize;

    @Param({""})
    public String file;

    private Path path;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = DbFiles.resolve(file, rows, pageSize);
    }

    @Benchmark
    public int integrityCheck(PageCounter counter) throws IOException {
        try (Database db = Database.open(path, null, null)) {
            IntegrityCheck.Report r = IntegrityCheck.check(db, 100);
            counter.pages += db.pageCount();
            return r.problems().size() + (r.ok() ? 1 : 0);
        }
    }
}
