package io.walkit.bench;

import io.walkit.db.Database;
import io.walkit.forensics.Carver;
import io.walkit.forensics.RecoveredRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * {@code walkit db carve} in process, one shot per operation on one thread: map the database
 * read-only, {@link Carver#carve(Database, String)} (live-row filter included, JSON output not),
 * unmap. Secondary result {@code bytes}: database bytes carved per second (the MB/s).
 *
 * <p>Input: a {@link CarveDb} workload of {@code sizeMiB} MiB (made on first use with the
 * {@code sqlite3} CLI), or {@code file} (any database, e.g. a Nemetz corpus file; then pass
 * {@code -p sizeMiB=0}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class CarveBenchmark {

    /** Size of the synthetic workload in MiB (0 when {@link #file} is given). */
    @Param({"128", "1024"})
    public String sizeMiB;

    /** A database to carve instead of the synthetic one. */
    @Param({""})
    public String file;

    private Path path;
    private long size;

    /**
     * Resolves (and on first use makes) the input.
     *
     * @throws IOException when the workload cannot be made
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = file.isEmpty() ? CarveDb.cached(SyntheticWal.cacheDir(), Integer.parseInt(sizeMiB)) : Path.of(file);
        size = Files.size(path);
    }

    /**
     * One carve of the whole database.
     *
     * @param counter receives the bytes carved
     * @return the number of records recovered
     * @throws IOException when the database cannot be read
     */
    @Benchmark
    public int carve(ByteCounter counter) throws IOException {
        try (Database db = Database.open(path, null, null)) {
            List<RecoveredRecord> r = Carver.carve(db, path.toString());
            counter.bytes += size;
            return r.size();
        }
    }
}
