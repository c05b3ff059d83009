package io.walkit.bench;

import io.walkit.io.ByteSource;
import io.walkit.wal.PageIndex;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * walkit's counterpart of the C reference {@code walscan}: times WAL scans in one process and prints
 * the same result line, so that a script can check that every scanner agrees and compare speeds.
 *
 * <pre>
 * usage: WalScanMain FILE [ITERS] [each|once|mapped] [THREADS] [WARMUP]
 *   each    (default) map + scan + verify + index + unmap in every iteration (one-shot cost; the
 *           scanner reads a mapped file with positional reads into a reused buffer, as the CLI does)
 *   once    map once, time scan + verify + index only (still positional reads, from the page cache)
 *   mapped  map and pre-fault once, and scan the mapping's memory itself (a plain native segment over
 *           it, so the scanner neither reads the file nor releases pages): the verify loop over
 *           mapped memory, the counterpart of the C kernels' "once" (issue 13, target 6)
 *   THREADS 0 (default) = WalScanner's default parallelism, 1 = the calling thread only
 *   WARMUP  untimed iterations first (default 0: the first timed iteration includes JIT warm-up)
 * output: one line per iteration, then
 *   frames_valid=N mxFrame=N nPage=N distinct_pages=N cksum=XXXXXXXXXXXXXXXX idxhash=XXXXXXXXXXXXXXXX
 *   RESULT kernel=walkit io=each size=N iters=N GB/s min= median= max=
 *   MEMORY VmHWM_kB=N RssAnon_kB=N RssFile_kB=N heap_used_kB=N
 * </pre>
 */
public final class WalScanMain {

    private WalScanMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: WalScanMain FILE [ITERS] [each|once] [THREADS] [WARMUP]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        String io = args.length > 2 ? args[2] : "each";
        int threadsArg = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        if (!io.equals("each") && !io.equals("once") && !io.equals("mapped")) {
            System.err.println("io must be each, once or mapped");
            System.exit(2);
        }
        long size = Files.size(file);
        int threads = threadsArg > 0 ? threadsArg : WalScanner.defaultParallelism(size);
        double[] gbs = new double[iters];
        WalScan last = null;
        ByteSource once = io.equals("each") ? null : ByteSource.map(file);
        ByteSource mapped = null;
        if (once != null) {
            once.segment().load();
        }
        if (io.equals("mapped")) {
            mapped = ByteSource.of(java.lang.foreign.MemorySegment.ofAddress(once.segment().address())
                    .reinterpret(size), file.toString());
        }
        try {
            for (int it = -warmup; it < iters; it++) {
                long t0 = System.nanoTime();
                if (mapped != null) {
                    last = WalScanner.scan(mapped, threads);
                } else if (once != null) {
                    last = WalScanner.scan(once, threads);
                } else {
                    try (ByteSource src = ByteSource.map(file)) {
                        last = WalScanner.scan(src, threads);
                    }
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                if (it < 0) {
                    continue;
                }
                gbs[it] = size / dt / 1e9;
                System.out.printf(Locale.ROOT, "iter %d: %.4f s  %.3f GB/s%n", it, dt, gbs[it]);
            }
            if (last != null) {
                System.out.println(resultLine(last));
            }
        } finally {
            if (once != null) {
                once.close();
            }
        }
        Arrays.sort(gbs);
        System.out.printf(Locale.ROOT, "RESULT kernel=walkit-t%d io=%s size=%d iters=%d GB/s min=%.3f median=%.3f max=%.3f%n",
                threads, io, size, iters, gbs[0], gbs[iters / 2], gbs[iters - 1]);
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "MEMORY VmHWM_kB=%d RssAnon_kB=%d RssFile_kB=%d heap_used_kB=%d%n",
                procStatus("VmHWM"), procStatus("RssAnon"), procStatus("RssFile"),
                (rt.totalMemory() - rt.freeMemory()) >> 10);
    }

    /**
     * The result line of the C reference {@code walscan}: {@code frames_valid} is the last valid
     * frame (committed or not), {@code cksum} the checksum after it, and {@code idxhash} the sum over
     * indexed pages of {@code (page * 2654435761) ^ frame} in unsigned 64-bit arithmetic.
     */
    public static String resultLine(WalScan scan) {
        PageIndex index = scan.pageIndex();
        long hash = 0;
        for (int page : index.pages()) {
            hash += (Integer.toUnsignedLong(page) * 2654435761L) ^ Integer.toUnsignedLong(index.newestFrame(page));
        }
        long ck = scan.lastValidChecksum();
        return String.format(Locale.ROOT, "frames_valid=%d mxFrame=%d nPage=%d distinct_pages=%d cksum=%08x%08x idxhash=%016x",
                scan.lastValidFrame(), scan.mxFrame(), Integer.toUnsignedLong(scan.databaseSize()),
                index.pageCount(), (int) (ck >>> 32), (int) ck, hash);
    }

    private static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: report -1
        }
        return -1;
    }
}
