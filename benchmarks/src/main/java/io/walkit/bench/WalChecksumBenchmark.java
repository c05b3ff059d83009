package io.walkit.bench;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The verify loop alone on a file mapped (and faulted in) once, against a plain 64-bit sum over the
 * same mapping (one core's memory-read bandwidth, the physical limit for any single-threaded scan).
 * Secondary result {@code bytes}: bytes per second.
 *
 * <ul>
 *   <li>{@code verify}: {@link WalScanner} on the calling thread: salts, page numbers, every frame's
 *       cumulative checksum, commits and page index (the C reference {@code walscan ... once}).</li>
 *   <li>{@code verifyAllThreads}: the same with {@link WalScanner#defaultParallelism}.</li>
 *   <li>{@code checksumChain}: {@link WalChecksum#update} over all frames as one byte run (one
 *       dependency chain, no frame logic).</li>
 *   <li>{@code sum64}: sum of all 64-bit words.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class WalChecksumBenchmark {

    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Param({"16", "256", "1024", "4096"})
    public String sizeMiB;

    @Param({"1024", "4096", "65536"})
    public String pageSize;

    @Param({""})
    public String file;

    private ByteSource source;
    private MemorySegment segment;
    private long size;
    private long runLength;
    private boolean bigEndian;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        source = ByteSource.map(BenchFiles.resolve(file, sizeMiB, pageSize));
        segment = source.segment();
        segment.load();
        size = source.size();
        runLength = (size - WalFormat.HEADER_SIZE) & ~7L;
        bigEndian = (segment.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0) & 1) != 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        source.close();
    }

    @Benchmark
    public int verify(ByteCounter counter) {
        WalScan scan = WalScanner.scan(source, 1);
        counter.bytes += size;
        return scan.mxFrame() + scan.pageIndex().pageCount();
    }

    @Benchmark
    public int verifyAllThreads(ByteCounter counter) {
        WalScan scan = WalScanner.scan(source, WalScanner.defaultParallelism(size));
        counter.bytes += size;
        return scan.mxFrame() + scan.pageIndex().pageCount();
    }

    @Benchmark
    public long checksumChain(ByteCounter counter) {
        long sum = WalChecksum.update(segment, WalFormat.HEADER_SIZE, runLength, bigEndian, 0L);
        counter.bytes += runLength;
        return sum;
    }

    @Benchmark
    public long sum64(ByteCounter counter) {
        long s = 0;
        long n = size & ~7L;
        MemorySegment seg = segment;
        for (long p = 0; p < n; p += 8) {
            s += seg.get(LONG_LE, p);
        }
        counter.bytes += n;
        return s;
    }
}
