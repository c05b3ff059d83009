package io.walkit.wal;

import io.walkit.io.ByteSource;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the valid prefix of a WAL exactly as SQLite's recovery ({@code walIndexRecover},
 * {@code walDecodeFrame}) decides it, verifying every frame's cumulative checksum.
 *
 * <p>Algorithm: apply the header gate (size &gt; 32, magic, page size, header checksum, version);
 * then for frames 1, 2, ...: stop at the first frame that breaks the chain rule of
 * {@link WalFrame#decode} (salts differ from the header's, page number is 0, or the checksum seeded
 * by the previous frame's differs from the stored one). This class is the bulk path of that rule;
 * {@link WalChain} is the per-frame path, and the stop reason is always {@link WalFrame#decode}'s. Every commit frame (commit size ≠ 0) inside that prefix
 * moves {@code mxFrame}. A damaged file is never an exception here: it is a shorter prefix and a
 * {@link StopReason}.
 *
 * <p>How it is fast without changing the answer: inside the valid prefix every frame's computed
 * checksum equals its stored one (that is what valid means). So frame {@code f} can be checked with
 * the <em>stored</em> checksum of frame {@code f-1} as its seed, and the valid prefix is exactly the
 * frames before the first frame that fails this local check: by induction, while all earlier frames
 * pass, the stored seed is the computed one. Local checks are independent, so the scanner verifies
 * two frames at a time on one core (two checksum chains in flight, see
 * {@link WalChecksum}) and splits large files into ranges verified on several threads; the commits
 * and the page index are then stitched together in frame order.
 *
 * <p>Bounds: time is linear in the file size (each byte is read once for the checksum, and each
 * committed frame header once more for the index); heap is proportional to the number of commits
 * plus distinct pages (one page map per thread), plus per thread at most 4 MiB of page → frame
 * array for page numbers below 2^20 and two frames of copy buffer.
 */
public final class WalScanner {

    /** System property overriding {@link #defaultParallelism}: the number of threads, 1 for none. */
    public static final String THREADS_PROPERTY = "walkit.scan.threads";

    /** Frames are checked in blocks of about this many bytes (see Range.run). */
    static final int BLOCK_BYTES = 256 << 10;
    /** Files smaller than this are scanned on the calling thread only. */
    static final long MIN_PARALLEL_BYTES = 32L << 20;
    /** Each extra thread gets at least this many bytes of frames. */
    static final long MIN_BYTES_PER_THREAD = 16L << 20;

    private WalScanner() {}

    /**
     * Scans {@code source}, on several threads when it is large (see {@link #defaultParallelism}).
     *
     * @param source the WAL bytes; must stay open while the result is used
     * @return the scan
     */
    public static WalScan scan(ByteSource source) {
        return scan(source, defaultParallelism(source.size()));
    }

    /**
     * Scans {@code source} using at most {@code threads} threads (the caller's included). The result
     * does not depend on {@code threads}.
     *
     * @param source the WAL bytes; must stay open while the result is used
     * @param threads the most threads to use, at least 1
     * @return the scan
     */
    public static WalScan scan(ByteSource source, int threads) {
        return scan(source, threads, MIN_BYTES_PER_THREAD, BLOCK_BYTES);
    }

    /**
     * As {@link #scan(ByteSource, int)}, with ranges of at least {@code minBytesPerRange} and kernel
     * blocks of about {@code blockBytes} (tests use tiny ones).
     */
    static WalScan scan(ByteSource source, int threads, long minBytesPerRange, int blockBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        long size = source.size();
        if (size == 0) {
            return headerStop(source, null, StopReason.EMPTY_FILE, 0, 0);
        }
        if (size < WalFormat.HEADER_SIZE) {
            return headerStop(source, null, StopReason.SHORT_HEADER, 0, 0);
        }
        MemorySegment s = source.segment();
        WalHeader header = WalHeader.read(s, 0);
        if (size == WalFormat.HEADER_SIZE) {
            return headerStop(source, header, StopReason.HEADER_ONLY, size, 0);
        }
        switch (header.status()) {
            case BAD_MAGIC -> { return headerStop(source, header, StopReason.BAD_MAGIC, WalFormat.OFF_MAGIC, 0); }
            case BAD_PAGE_SIZE -> { return headerStop(source, header, StopReason.BAD_PAGE_SIZE, WalFormat.OFF_PAGE_SIZE, 0); }
            case BAD_CHECKSUM -> {
                return headerStop(source, header, StopReason.BAD_HEADER_CHECKSUM, WalFormat.OFF_CHECKSUM1,
                        WalFormat.wholeFrames(size, header.pageSize()));
            }
            case UNSUPPORTED_VERSION -> {
                return headerStop(source, header, StopReason.UNSUPPORTED_VERSION, WalFormat.OFF_FORMAT_VERSION,
                        WalFormat.wholeFrames(size, header.pageSize()));
            }
            case OK -> { }
        }

        int pageSize = header.pageSize();
        long frameCount = WalFormat.wholeFrames(size, pageSize);
        // Frame numbers are u32 in SQLite; a WAL with more than 2^31-1 frames would be > 1 TiB.
        int scanLimit = (int) Math.min(frameCount, Integer.MAX_VALUE);
        Range[] ranges = verify(s, header, scanLimit, rangeCount(threads, scanLimit, pageSize, s, minBytesPerRange),
                blockBytes);

        // Stitch the ranges together in frame order: the valid prefix ends in the first range that
        // stopped early; a transaction may start in one range and commit in a later one.
        int[] commitFrames = new int[16];
        int[] commitSizes = new int[16];
        int commitCount = 0;
        Int2IntOpenHashMap index = null;
        int indexedThrough = 0;
        int lastValid = 0;
        for (Range r : ranges) {
            if (r.commitCount > 0) {
                if (index == null && indexedThrough + 1 == r.first) {
                    index = r.index;
                } else {
                    if (index == null) {
                        index = new Int2IntOpenHashMap(r.index.size());
                    }
                    // Frames after the previous commit, up to this range's start, belong to the
                    // transaction this range's first commit ends; they precede every frame in r.index.
                    for (int f = indexedThrough + 1; f < r.first; f++) {
                        index.put(pageNumber(s, f, pageSize), f);
                    }
                    index.putAll(r.index);
                }
                indexedThrough = r.commitFrames[r.commitCount - 1];
                if (commitCount + r.commitCount > commitFrames.length) {
                    int n = Math.max(commitFrames.length * 2, commitCount + r.commitCount);
                    commitFrames = Arrays.copyOf(commitFrames, n);
                    commitSizes = Arrays.copyOf(commitSizes, n);
                }
                System.arraycopy(r.commitFrames, 0, commitFrames, commitCount, r.commitCount);
                System.arraycopy(r.commitSizes, 0, commitSizes, commitCount, r.commitCount);
                commitCount += r.commitCount;
            }
            lastValid = r.end - 1;
            if (r.end <= r.last) {
                break;
            }
        }
        if (index == null) {
            index = new Int2IntOpenHashMap();
        }

        StopReason reason;
        int stopFrame = 0;
        long stopOffset;
        if (lastValid < scanLimit) {
            stopFrame = lastValid + 1;
            stopOffset = WalFormat.frameOffset(stopFrame, pageSize);
            reason = classify(s, header, stopFrame, stopOffset, storedChecksumBefore(s, header, stopFrame));
        } else {
            stopOffset = WalFormat.frameOffset(frameCount + 1, pageSize);
            reason = stopOffset < size ? StopReason.PARTIAL_FRAME : StopReason.END_OF_FILE;
            if (reason == StopReason.END_OF_FILE) {
                stopOffset = size;
            }
        }
        // Inside the valid prefix the stored checksums are the computed ones.
        long lastValidChecksum = storedChecksumBefore(s, header, lastValid + 1);
        long lastCommitChecksum = commitCount == 0 ? 0
                : storedChecksumBefore(s, header, commitFrames[commitCount - 1] + 1);
        return new WalScan(source, header, reason, stopOffset, stopFrame, frameCount, lastValid,
                commitFrames, commitSizes, commitCount, lastCommitChecksum, lastValidChecksum,
                new PageIndex(index, indexedThrough));
    }

    /**
     * The number of threads {@link #scan(ByteSource)} uses for a file of {@code size} bytes: 1 below
     * 32 MiB, else up to the available processors (at most 8), at least 16 MiB per thread. The system
     * property {@value #THREADS_PROPERTY} overrides the processor count.
     *
     * @param size the WAL's size in bytes
     * @return the thread count
     */
    public static int defaultParallelism(long size) {
        if (size < MIN_PARALLEL_BYTES) {
            return 1;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        String forced = System.getProperty(THREADS_PROPERTY);
        if (forced != null) {
            try {
                cpus = Math.max(1, Integer.parseInt(forced.trim()));
            } catch (NumberFormatException e) {
                // ignore a malformed override and keep the processor count
            }
        }
        return (int) Math.max(1, Math.min(Math.min(cpus, 8), size / MIN_BYTES_PER_THREAD));
    }

    private static int rangeCount(int threads, int scanLimit, int pageSize, MemorySegment s, long minBytesPerRange) {
        long bytes = (long) scanLimit * WalFormat.frameSize(pageSize);
        int n = (int) Math.max(1, Math.min(Math.min(threads, scanLimit), bytes / Math.max(1, minBytesPerRange)));
        // A segment confined to this thread (e.g. from a confined arena) cannot be shared.
        if (n > 1 && !s.isAccessibleBy(Thread.ofPlatform().unstarted(() -> { }))) {
            n = 1;
        }
        return n;
    }

    /** Verifies frames 1..scanLimit split into {@code n} ranges, the first on the calling thread. */
    private static Range[] verify(MemorySegment s, WalHeader header, int scanLimit, int n, int blockBytes) {
        Range[] ranges = new Range[n];
        long per = scanLimit / n;
        for (int i = 0; i < n; i++) {
            int first = (int) (1 + per * i);
            int last = i == n - 1 ? scanLimit : (int) (per * (i + 1));
            ranges[i] = new Range(first, last, blockBytes);
        }
        AtomicInteger firstFailure = new AtomicInteger(Integer.MAX_VALUE);
        if (n == 1) {
            ranges[0].run(s, header, firstFailure);
            return ranges;
        }
        Thread[] workers = new Thread[n - 1];
        Throwable[] failures = new Throwable[n];
        for (int i = 1; i < n; i++) {
            Range r = ranges[i];
            int slot = i;
            workers[i - 1] = Thread.ofPlatform().daemon().name("walkit-scan-" + i).start(() -> {
                try {
                    r.run(s, header, firstFailure);
                } catch (Throwable t) {
                    failures[slot] = t;
                    firstFailure.accumulateAndGet(0, Math::min);
                }
            });
        }
        try {
            ranges[0].run(s, header, firstFailure);
        } catch (RuntimeException | Error e) {
            firstFailure.accumulateAndGet(0, Math::min);
            joinAll(workers);
            throw e;
        }
        joinAll(workers);
        for (Throwable t : failures) {
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
        return ranges;
    }

    private static void joinAll(Thread[] workers) {
        boolean interrupted = false;
        for (Thread w : workers) {
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Frames {@code first..last} checked locally (each seeded with its predecessor's stored checksum),
     * with the commits and page index of the range's frames up to its last commit.
     */
    private static final class Range {
        final int first;
        final int last;
        final int blockBytes;
        /** The first frame that failed its local check, or {@code last + 1}. */
        int end;
        int[] commitFrames = new int[8];
        int[] commitSizes = new int[8];
        int commitCount;
        /**
         * Page → newest frame over frames first..(last commit of this range); complete once
         * {@link #run} has returned (pages below {@link #DENSE_PAGES} are collected in
         * {@link #dense} while scanning and moved here at the end).
         */
        Int2IntOpenHashMap index = new Int2IntOpenHashMap();
        /**
         * Page → newest frame for pages 1..{@code DENSE_PAGES - 1}, grown on demand: an array store
         * per frame instead of a hash-map update, which dominated the scan of small pages. At most
         * {@code 4 * DENSE_PAGES} bytes per range whatever the file holds.
         */
        private int[] dense = new int[0];
        private int denseCount;
        static final int DENSE_PAGES = 1 << 20;
        /** Checked bytes released from the resident set at a time (see {@link #run}). */
        static final long RELEASE_BYTES = 16L << 20;

        Range(int first, int last, int blockBytes) {
            this.blockBytes = blockBytes;
            this.first = first;
            this.last = last;
            this.end = last + 1;
        }

        // Scan state, advanced block by block.
        private MemorySegment s;
        private int pageSize;
        private int frameSize;
        private boolean bigEndian;
        private int salt1;
        private int salt2;
        private int[] w;
        /** Next frame to check, its offset, and its seed (the stored checksum of frame f-1). */
        private int f;
        private long offset;
        private long seed;
        private int indexedThrough;
        private boolean failed;

        void run(MemorySegment segment, WalHeader header, AtomicInteger firstFailure) {
            s = segment;
            pageSize = header.pageSize();
            frameSize = WalFormat.frameSize(pageSize);
            bigEndian = header.bigEndianChecksum();
            salt1 = header.salt1();
            salt2 = header.salt2();
            w = new int[2 * (frameSize >> 2)];
            indexedThrough = first - 1;
            seed = storedChecksumBefore(s, header, first);
            f = first;
            offset = WalFormat.frameOffset(f, pageSize);
            // Blocks of about 256 KiB (an even number of frames). Two kernels give the same answer:
            // DIRECT reads the mapping through MemorySegment (fastest once C2 has compiled it);
            // COPY bulk-copies two frames into an int[] first (some 35% slower under C2, but many
            // times faster in the interpreter and under C1, e.g. a short CLI run with
            // -XX:TieredStopAtLevel=1). Now and then one block runs on the other kernel and the
            // faster one per frame is kept; retries back off exponentially while the choice holds.
            int blockFrames = Math.max(2, (blockBytes / frameSize) & ~1);
            // The frames checked are released from this process's resident set every
            // RELEASE_BYTES (madvise(MADV_DONTNEED) through MemorySegment.unload; the kernel's
            // page cache keeps them): a mapped file's pages count as resident while mapped, so
            // without this the peak RSS of a 1 GiB scan was the file size. The bytes are unchanged.
            long released = offset;
            boolean mapped = s.isMapped();
            boolean direct = false;
            long blocks = 0;
            long nextTrial = 1;
            long backoff = 1;
            while (f <= last && !failed) {
                if (firstFailure.get() < first) {
                    end = f; // an earlier range ended the valid prefix: this range is moot
                    return;
                }
                if (blocks++ == nextTrial && f + 2L * blockFrames <= last) {
                    long t0 = System.nanoTime();
                    block(!direct, f + blockFrames - 1);
                    long t1 = System.nanoTime();
                    if (failed) {
                        break;
                    }
                    block(direct, f + blockFrames - 1);
                    long t2 = System.nanoTime();
                    long trial = t1 - t0;
                    long current = t2 - t1;
                    // Biased towards DIRECT: under C2 it wins by ~1.4x, and COPY only wins by a wide
                    // margin (~10x under C1), so a preempted trial block rarely flips the choice.
                    if (direct ? trial * 2 < current : trial < current) {
                        direct = !direct;
                        backoff = 1;
                    } else {
                        backoff = Math.min(backoff * 2, 1 << 16);
                    }
                    nextTrial = blocks + backoff;
                } else {
                    block(direct, (int) Math.min(last, (long) f + blockFrames - 1));
                }
                if (mapped && offset - released >= RELEASE_BYTES) {
                    s.asSlice(released, offset - released).unload();
                    released = offset;
                }
            }
            end = f;
            if (f <= last) {
                firstFailure.accumulateAndGet(f, Math::min);
            }
            moveDenseToIndex();
        }

        private void record(int page, int frame) {
            if (page > 0 && page < DENSE_PAGES) {
                if (page >= dense.length) {
                    dense = Arrays.copyOf(dense, Math.min(DENSE_PAGES, Math.max(1024, Integer.highestOneBit(page) << 1)));
                }
                if (dense[page] == 0) {
                    denseCount++;
                }
                dense[page] = frame;
            } else {
                index.put(page, frame);
            }
        }

        private void moveDenseToIndex() {
            if (denseCount == 0) {
                return;
            }
            // The two parts hold disjoint page numbers.
            Int2IntOpenHashMap all = new Int2IntOpenHashMap(denseCount + index.size());
            int[] d = dense;
            for (int page = 1; page < d.length; page++) {
                if (d[page] != 0) {
                    all.put(page, d[page]);
                }
            }
            all.putAll(index);
            index = all;
            dense = new int[0];
            denseCount = 0;
        }

        /** Checks frames f..blockLast (or until one fails), two at a time. */
        private void block(boolean direct, int blockLast) {
            if (direct) {
                blockDirect(blockLast);
            } else {
                blockCopy(blockLast);
            }
        }

        private void blockDirect(int blockLast) {
            MemorySegment s = this.s;
            int frameSize = this.frameSize;
            int f = this.f;
            long offset = this.offset;
            long seed = this.seed;
            while (f <= blockLast) {
                if (!headerPlausible(s, offset, salt1, salt2)) {
                    failed = true;
                    break;
                }
                long storedA = storedChecksum(s, offset);
                long next = offset + frameSize;
                int matched;
                long storedB = 0;
                if (f < blockLast && headerPlausible(s, next, salt1, salt2)) {
                    storedB = storedChecksum(s, next);
                    matched = WalChecksum.framesMatch(s, offset, next, pageSize, bigEndian, seed, storedA,
                            storedA, storedB);
                } else {
                    matched = WalChecksum.frame(s, offset, pageSize, bigEndian, seed) == storedA ? 1 : 0;
                }
                if ((matched & 1) == 0) {
                    failed = true;
                    break;
                }
                accept(s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_COMMIT_SIZE), f);
                f++;
                offset = next;
                seed = storedA;
                if ((matched & 2) == 0) {
                    continue; // f's header or checksum failed; the next iteration finds out which
                }
                accept(s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_COMMIT_SIZE), f);
                f++;
                offset += frameSize;
                seed = storedB;
            }
            this.f = f;
            this.offset = offset;
            this.seed = seed;
        }

        private void blockCopy(int blockLast) {
            MemorySegment s = this.s;
            int[] w = this.w;
            int frameSize = this.frameSize;
            int frameWords = frameSize >> 2;
            int pageWords = pageSize >> 2;
            int f = this.f;
            long offset = this.offset;
            long seed = this.seed;
            while (f <= blockLast) {
                boolean two = f < blockLast;
                MemorySegment.copy(s, WalChecksum.WORD_LE, offset, w, 0, two ? 2 * frameWords : frameWords);
                if (!headerPlausible(w, 0, salt1, salt2)) {
                    failed = true;
                    break;
                }
                long storedA = storedChecksum(w, 0);
                int matched;
                long storedB = 0;
                if (two && headerPlausible(w, frameWords, salt1, salt2)) {
                    storedB = storedChecksum(w, frameWords);
                    matched = WalChecksum.framesMatch(w, 0, frameWords, pageWords, bigEndian, seed, storedA,
                            storedA, storedB);
                } else {
                    long h = WalChecksum.updateWords(w, 0, 2, bigEndian, seed);
                    matched = WalChecksum.updateWords(w, 6, 6 + pageWords, bigEndian, h) == storedA ? 1 : 0;
                }
                if ((matched & 1) == 0) {
                    failed = true;
                    break;
                }
                accept(big(w[1]), f);
                f++;
                offset += frameSize;
                seed = storedA;
                if ((matched & 2) == 0) {
                    continue;
                }
                accept(big(w[frameWords + 1]), f);
                f++;
                offset += frameSize;
                seed = storedB;
            }
            this.f = f;
            this.offset = offset;
            this.seed = seed;
        }

        /** Records valid frame {@code frame}; at a commit, indexes the transaction it ends. */
        private void accept(int commitSize, int frame) {
            if (commitSize == 0) {
                return;
            }
            if (commitCount == commitFrames.length) {
                commitFrames = Arrays.copyOf(commitFrames, commitCount * 2);
                commitSizes = Arrays.copyOf(commitSizes, commitCount * 2);
            }
            commitFrames[commitCount] = frame;
            commitSizes[commitCount] = commitSize;
            commitCount++;
            // The transaction's frame headers were just read while verifying and are still cached;
            // re-reading them keeps no per-frame state while scanning.
            for (int g = indexedThrough + 1; g <= frame; g++) {
                record(pageNumber(s, g, pageSize), g);
            }
            indexedThrough = frame;
        }
    }

    /** A big-endian field from a word copied with {@link WalChecksum#WORD_LE}. */
    private static int big(int word) {
        return Integer.reverseBytes(word);
    }

    /**
     * The chain rule's checks before the checksum ({@link WalFrame#precheck}: salts equal the
     * header's, page number not 0) for the frame header copied at {@code w[at..at+5]}.
     */
    private static boolean headerPlausible(int[] w, int at, int salt1, int salt2) {
        return WalFrame.precheck(big(w[at]), big(w[at + 2]), big(w[at + 3]), salt1, salt2) == WalFrame.Verdict.VALID;
    }

    /** As {@link #headerPlausible(int[], int, int, int)}, read from the mapping. */
    private static boolean headerPlausible(MemorySegment s, long offset, int salt1, int salt2) {
        return WalFrame.precheck(s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_PAGE_NUMBER),
                s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT1),
                s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_SALT2), salt1, salt2) == WalFrame.Verdict.VALID;
    }

    private static long storedChecksum(int[] w, int at) {
        return WalChecksum.pack(big(w[at + 4]), big(w[at + 5]));
    }

    private static long storedChecksum(MemorySegment s, long frameOffset) {
        return WalFrame.storedChecksum(s, frameOffset);
    }

    /** The stored checksum of frame {@code frame - 1}, or the header's for frame 1. */
    private static long storedChecksumBefore(MemorySegment s, WalHeader header, int frame) {
        return frame <= 1 ? header.storedChecksum()
                : storedChecksum(s, WalFormat.frameOffset(frame - 1, header.pageSize()));
    }

    private static int pageNumber(MemorySegment s, int frame, int pageSize) {
        return s.get(ByteSource.INT_BE, WalFormat.frameOffset(frame, pageSize) + WalFormat.FRAME_OFF_PAGE_NUMBER);
    }

    /**
     * Why frame {@code frame} (the first invalid one) is invalid: the verdict of the chain rule
     * itself ({@link WalFrame#decode}), seeded as the bulk path seeded it.
     */
    private static StopReason classify(MemorySegment s, WalHeader header, int frame, long offset, long seed) {
        WalFrame.Decoded d = WalFrame.decode(s, offset, header.pageSize(), header.salt1(), header.salt2(),
                header.bigEndianChecksum(), seed);
        assert !d.valid() : "frame " + frame + " passed every check";
        return d.verdict().stopReason();
    }

    private static WalScan headerStop(ByteSource source, WalHeader header, StopReason reason, long offset,
                                      long frameCount) {
        long seed = header == null ? 0 : header.storedChecksum();
        return new WalScan(source, header, reason, offset, 0, frameCount, 0, new int[0], new int[0], 0, 0, seed,
                new PageIndex(new Int2IntOpenHashMap(), 0));
    }
}
