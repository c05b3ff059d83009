package io.walkit.bench;

import io.walkit.db.Database;
import io.walkit.db.TableReader;
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
 * Full table scan with record decoding, one shot per operation: map the database read-only, read
 * the schema, stream every row of table {@code table} in rowid order, unmap. Secondary result
 * {@code rows}: rows per second (compare with SQLite's {@code SELECT * FROM t}).
 *
 * <ul>
 *   <li>{@code selectStar}: every row as Java values ({@link TableReader#scan}), every blob copied
 *       into a fresh {@code byte[]}: what {@code SELECT *} hands a caller.</li>
 *   <li>{@code decodeRecords}: the raw records, every integer decoded and every text/blob length
 *       taken from the record header, nothing allocated: what
 *       {@code SELECT count(*), sum(id), sum(k), sum(length(v))} reads.</li>
 * </ul>
 *
 * <p>Inputs: {@code file} (a database, e.g. a checkpointed one made by SQLite) or a
 * {@link SyntheticDb} of {@code rows} rows and page size {@code pageSize}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TableScanBenchmark {

    @Param({"100000", "1000000"})
    public String rows;

    @Param({"1024", "4096", "65536"})
    public String pageSize;

    @Param({""})
    public String file;

    @Param({"t"})
    public String table;

    private Path path;
    private final long[] out = new long[4];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = DbFiles.resolve(file, rows, pageSize);
    }

    @Benchmark
    public long selectStar(RowCounter counter) throws IOException {
        try (Database db = Database.open(path, null, null)) {
            DbFiles.selectStar(DbFiles.table(db, table), out);
        }
        counter.rows += out[0];
        return out[0] + out[1] + out[2];
    }

    @Benchmark
    public long decodeRecords(RowCounter counter) throws IOException {
        try (Database db = Database.open(path, null, null)) {
            DbFiles.decodeRecords(db, DbFiles.table(db, table), out);
        }
        counter.rows += out[0];
        return out[0] + out[1] + out[2];
    }
}
