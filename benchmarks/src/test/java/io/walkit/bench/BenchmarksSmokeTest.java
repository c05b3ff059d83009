package io.walkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Runs every {@code @Benchmark} method once on a tiny input (no timing), checks that the synthetic
 * WALs are valid, and, where gcc and the C reference {@code walscan.c} are at hand, that
 * {@link WalScanMain} prints exactly the C scanner's result line.
 */
class BenchmarksSmokeTest {

    @TempDir
    Path dir;

    private Path tinyWal(int pageSize, boolean bigEndian) throws IOException {
        return SyntheticWal.cached(dir, 1L << 20, pageSize, bigEndian);
    }

    /** Calls setup, each @Benchmark method once, teardown; returns the number of methods run. */
    private static int runEachBenchmarkOnce(Object bench) throws Exception {
        Class<?> c = bench.getClass();
        for (Method m : c.getMethods()) {
            if (m.isAnnotationPresent(Setup.class)) {
                m.invoke(bench);
            }
        }
        int n = 0;
        try {
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) {
                    ByteCounter counter = new ByteCounter();
                    Object r = m.getParameterCount() == 1 ? m.invoke(bench, counter) : m.invoke(bench);
                    assertTrue(counter.bytes > 0, m.getName() + " counted no bytes");
                    assertTrue(r != null, m.getName());
                    n++;
                }
            }
        } finally {
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(TearDown.class)) {
                    m.invoke(bench);
                }
            }
        }
        return n;
    }

    @Test
    void walScanBenchmarkRunsOnTinyInputs() throws Exception {
        for (String threads : new String[] {"1", "0", "2"}) {
            WalScanBenchmark b = new WalScanBenchmark();
            b.file = tinyWal(1024, false).toString();
            b.sizeMiB = "1";
            b.pageSize = "1024";
            b.threads = threads;
            assertEquals(1, runEachBenchmarkOnce(b));
        }
    }

    @Test
    void walChecksumBenchmarkRunsOnTinyInputs() throws Exception {
        for (boolean be : new boolean[] {false, true}) {
            WalChecksumBenchmark b = new WalChecksumBenchmark();
            b.file = tinyWal(4096, be).toString();
            b.sizeMiB = "1";
            b.pageSize = "4096";
            assertEquals(4, runEachBenchmarkOnce(b));
        }
    }

    @Test
    void syntheticWalsAreValidThroughTheLastFrame() throws IOException {
        for (int pageSize : new int[] {512, 1024, 4096, 65536}) {
            for (boolean be : new boolean[] {false, true}) {
                Path wal = tinyWal(pageSize, be);
                try (ByteSource src = ByteSource.map(wal)) {
                    WalScan scan = WalScanner.scan(src, 1);
                    assertEquals(scan.frameCount(), scan.mxFrame(), wal.toString());
                    assertEquals(scan.frameCount(), scan.lastValidFrame(), wal.toString());
                    assertEquals(WalFormat.frameOffset(scan.frameCount() + 1, pageSize), src.size());
                    assertTrue(scan.pageIndex().pageCount() > 0);
                }
                assertEquals(wal, tinyWal(pageSize, be), "cached file is reused");
            }
        }
    }

    @Test
    void resultLineOfBundledSqliteSample() throws IOException {
        Path sample = Path.of("..", "testdata", "wal", "sample.db-wal");
        assumeTrue(Files.isRegularFile(sample), "bundled sample not found at " + sample.toAbsolutePath());
        try (ByteSource src = ByteSource.map(sample)) {
            String line = WalScanMain.resultLine(WalScanner.scan(src));
            assertTrue(line.startsWith("frames_valid=12 mxFrame=12 nPage=3 distinct_pages=3 cksum="), line);
        }
    }

    @Test
    void walScanMainPrintsTheSameResultLineAsTheCReference() throws Exception {
        Path source = findAnchor("walscan.c");
        assumeTrue(source != null, "../shared/bench-anchors/walscan.c not found; skipping the C differential");
        Path exe = dir.resolve("walscan");
        assumeTrue(run(List.of("gcc", "-O2", "-o", exe.toString(), source.toString())) != null,
                "gcc not available; skipping the C differential");
        List<Path> wals = new ArrayList<>();
        wals.add(tinyWal(1024, false));
        wals.add(tinyWal(4096, true));
        // damaged: a flipped byte in the middle frame ends the valid prefix there
        Path damaged = dir.resolve("damaged.db-wal");
        byte[] bytes = Files.readAllBytes(tinyWal(512, false));
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(damaged, bytes);
        wals.add(damaged);
        Path sample = Path.of("..", "testdata", "wal", "sample.db-wal");
        if (Files.isRegularFile(sample)) {
            wals.add(sample);
        }
        for (Path wal : wals) {
            String out = run(List.of(exe.toString(), "ref", wal.toString(), "1", "once"));
            assertTrue(out != null, "walscan failed on " + wal);
            String cLine = out.lines().filter(l -> l.startsWith("frames_valid=")).findFirst().orElseThrow();
            try (ByteSource src = ByteSource.map(wal)) {
                assertEquals(cLine, WalScanMain.resultLine(WalScanner.scan(src, 1)), wal.toString());
                assertEquals(cLine, WalScanMain.resultLine(WalScanner.scan(src, 3)), wal.toString());
            }
        }
    }

    /** Walks up from the working directory to a {@code shared/bench-anchors/NAME}. */
    static Path findAnchor(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("bench-anchors").resolve(name);
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        return null;
    }

    /** Runs a command; its stdout, or null when it cannot run or exits non-zero. */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
