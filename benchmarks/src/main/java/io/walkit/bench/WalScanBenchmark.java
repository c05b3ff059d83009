package io.walkit.bench;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.IOException;
import java.nio.file.Files;
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
 * One-shot WAL recovery in process: map the file read-only, verify every frame's salts and
 * cumulative checksum, find the valid prefix and commits, build the page → newest-frame index,
 * unmap. What SQLite's {@code walIndexRecover} does when a connection opens a WAL without its
 * {@code -shm}. Secondary result {@code bytes}: WAL bytes per second.
 *
 * <p>{@code threads}: 1 = the calling thread only; 0 = {@link WalScanner#defaultParallelism}.
 * {@code file}: scan this WAL instead of a synthetic one (e.g. one made by SQLite).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class WalScanBenchmark {

    @Param({"16", "256", "1024", "4096"})
    public String sizeMiB;

    @Param({"1024", "4096", "65536"})
    public String pageSize;

    @Param({"1", "0"})
    public String threads;

    @Param({""})
    public String file;

    private Path path;
    private long size;
    private int threadCount;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = BenchFiles.resolve(file, sizeMiB, pageSize);
        size = Files.size(path);
        int t = Integer.parseInt(threads);
        threadCount = t > 0 ? t : WalScanner.defaultParallelism(size);
    }

    @Benchmark
    public int openScanVerifyIndex(ByteCounter counter) throws IOException {
        try (ByteSource source = ByteSource.map(path)) {
            WalScan scan = WalScanner.scan(source, threadCount);
            counter.bytes += size;
            return scan.mxFrame() + scan.pageIndex().pageCount();
        }
    }
}
