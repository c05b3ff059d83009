package io.walkit.wal;

import io.walkit.io.ByteSource;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import java.lang.foreign.Arena;
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
 * <p>Where the bytes come from: a mapped file of 8 MiB or more
 * ({@link ByteSource#readsFromFile}) is read as SQLite reads it, with positional reads of about
 * 4 MiB of whole frames into one reused off-heap buffer per thread ({@link ByteSource#read}), and
 * verified there: about half the CPU of verifying through the mapping, and nothing of the file
 * resident through the mapping. Other sources (heap, wrapped segments, small files) are verified in
 * place. The answer does not depend on the path.
 *
 * <p>Bounds: time is linear in the file size (each byte is read once); heap is proportional to the
 * number of commits plus distinct pages (one page map per thread), plus per thread at most 4 MiB of
 * page → frame array for page numbers below 2^20, at most 4 MiB of page numbers of the open
 * transaction, two frames of copy buffer, and off heap the read buffer.
 *
 * <p>Thread safety: stateless; concurrent scans of one source are safe. A scan may use extra
 * platform threads of its own, joined before it returns.
 */
public final class WalScanner {

    /** System property overriding {@link #defaultParallelism}: the number of threads, 1 for none. */
    public static final String THREADS_PROPERTY = "walkit.scan.threads";

    /** Frames are checked in blocks of about this many bytes (see Range.run). */
    static final int BLOCK_BYTES = 256 << 10;
    /**
     * A mapped file is read into one reused buffer of about this many bytes per thread (see
     * Range.run): 4 MiB was the fastest of 1, 4 and 16 MiB on a 1 GiB WAL.
     */
    static final int READ_BYTES = 4 << 20;
    /**
     * Mapped files smaller than this are verified through the mapping: a few page faults cost less
     * than the read path's buffer and classes in a short process (issue 13, target 1).
     */
    static final long MIN_READ_BYTES = 8L << 20;
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
        return scan(source, threads, MIN_BYTES_PER_THREAD, BLOCK_BYTES,
                source.size() >= MIN_READ_BYTES ? READ_BYTES : 0, Range.PENDING_CAP);
    }

    /**
     * As {@link #scan(ByteSource, int)}, with ranges of at least {@code minBytesPerRange} and kernel
     * blocks of about {@code blockBytes} (tests use tiny ones).
     */
    static WalScan scan(ByteSource source, int threads, long minBytesPerRange, int blockBytes) {
        return scan(source, threads, minBytesPerRange, blockBytes, READ_BYTES, Range.PENDING_CAP);
    }

    /**
     * As {@link #scan(ByteSource, int, long, int)}, reading a mapped file in buffers of about
     * {@code readBytes}, or through the mapping when {@code readBytes} is 0, and keeping at most
     * {@code pendingCap} page numbers of a transaction while verifying (tests use tiny ones).
     */
    static WalScan scan(ByteSource source, int threads, long minBytesPerRange, int blockBytes, int readBytes,
                        int pendingCap) {
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
        Range[] ranges = verify(source, header, scanLimit,
                rangeCount(threads, scanLimit, pageSize, s, minBytesPerRange), blockBytes,
                source.readsFromFile() ? readBytes : 0, Math.max(1, pendingCap));

        // Stitch the ranges together in frame order: the valid prefix ends in the first range that
        // stopped early; a transaction may start in one range and commit in a later one.
        int[] commitFrames = new int[16];
        int[] commitSizes = new int[16];
        int commitCount = 0;
        Int2IntOpenHashMap index = null;
        int indexedThrough = 0;
        int lastValid = 0;
        for (int ri = 0; ri < ranges.length; ri++) {
            Range r = ranges[ri];
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
                        index.put(tailPageNumber(ranges, ri, f, s, pageSize), f);
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
     * The page number of frame {@code f}, which lies in a range before {@code ranges[upTo]}, after
     * that range's last commit: from the page numbers the range kept while verifying, else (a
     * transaction longer than the range keeps) read from the mapping.
     */
    private static int tailPageNumber(Range[] ranges, int upTo, int f, MemorySegment s, int pageSize) {
        for (int i = upTo - 1; i >= 0; i--) {
            Range r = ranges[i];
            if (f >= r.first) {
                int k = f - r.indexedThrough - 1;
                return k >= 0 && k < r.pendingCount ? r.pending[k] : pageNumber(s, f, pageSize);
            }
        }
        return pageNumber(s, f, pageSize);
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

    /**
     * Verifies frames 1..scanLimit split into {@code n} ranges, the first on the calling thread; a
     * {@code readBytes} above 0 reads the file into per-thread buffers instead of the mapping.
     */
    private static Range[] verify(ByteSource source, WalHeader header, int scanLimit, int n, int blockBytes,
                                  int readBytes, int pendingCap) {
        MemorySegment s = source.segment();
        Range[] ranges = new Range[n];
        long per = scanLimit / n;
        for (int i = 0; i < n; i++) {
            int first = (int) (1 + per * i);
            int last = i == n - 1 ? scanLimit : (int) (per * (i + 1));
            ranges[i] = new Range(first, last, blockBytes, readBytes > 0 ? source : null, readBytes, pendingCap);
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
        /** The file read with positional reads into {@link #buffer}, or null to read the mapping. */
        private final ByteSource file;
        private final int readBytes;
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
        /**
         * The page numbers of the valid frames after the last commit ({@link #indexedThrough}), read
         * while verifying, so that a commit indexes its transaction without reading the frame headers
         * again; at most {@link #pendingCap} (default {@link #PENDING_CAP}, 4 MiB), frames past that
         * are read again at the commit.
         * After {@link #run}: the page numbers of the range's uncommitted tail, for the stitching.
         */
        int[] pending = new int[64];
        int pendingCount;
        static final int PENDING_CAP = 1 << 20;
        private final int pendingCap;
        /** Checked bytes released from the resident set at a time (see {@link #run}). */
        static final long RELEASE_BYTES = 16L << 20;

        Range(int first, int last, int blockBytes, ByteSource file, int readBytes, int pendingCap) {
            this.pendingCap = pendingCap;
            this.blockBytes = blockBytes;
            this.first = first;
            this.last = last;
            this.end = last + 1;
            this.file = file;
            this.readBytes = readBytes;
        }

        // Scan state, advanced block by block.
        /** The whole file's mapping. */
        private MemorySegment s;
        /** What the kernels read: the mapping, or the buffer holding frames from file offset {@link #base}. */
        private MemorySegment src;
        private long base;
        private int pageSize;
        private int frameSize;
        private boolean bigEndian;
        private int salt1;
        private int salt2;
        private int[] w;
        /** Next frame to check, its file offset, and its seed (the stored checksum of frame f-1). */
        private int f;
        private long offset;
        private long seed;
        /** The last frame of this range whose commit has been indexed (first - 1 before any). */
        int indexedThrough;
        private boolean failed;

        void run(MemorySegment segment, WalHeader header, AtomicInteger firstFailure) {
            s = segment;
            src = segment;
            base = 0;
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
            if (file == null) {
                if (!verifyFrames(firstFailure, last)) {
                    return;
                }
            } else {
                // A mapped file is read like SQLite reads it: positional reads of a few MiB into one
                // reused buffer, verified there. Against reading the mapping this halves the CPU of
                // a one-shot scan (no page faults, no page-table work, nothing mapped stays resident),
                // and the buffer stays in the cache while both kernels read it.
                // No larger than the range: a small range must not pay for (zeroing) a 4 MiB buffer.
                int bufferFrames = Math.min(Math.max(2, (readBytes / frameSize) & ~1), last - first + 1);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate((long) bufferFrames * frameSize, 8);
                    java.nio.ByteBuffer view = buffer.asByteBuffer();
                    while (f <= last && !failed) {
                        int chunkLast = (int) Math.min(last, (long) f + bufferFrames - 1);
                        view.clear().limit((chunkLast - f + 1) * frameSize);
                        try {
                            file.read(offset, view);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        src = buffer;
                        base = offset;
                        if (!verifyFrames(firstFailure, chunkLast)) {
                            return;
                        }
                    }
                    src = s;
                    base = 0;
                }
            }
            end = f;
            if (f <= last) {
                firstFailure.accumulateAndGet(f, Math::min);
            }
            moveDenseToIndex();
        }

        // Trial scheduling of the two kernels, kept across buffers.
        private boolean direct;
        private long blocks;
        private long nextTrial = 1;
        private long backoff = 1;

        /**
         * Verifies frames f..limit (or until one fails) from {@link #src}, in blocks of about
         * {@link #blockBytes} (an even number of frames). Two kernels give the same answer: DIRECT
         * reads the segment through MemorySegment (fastest once C2 has compiled it); COPY bulk-copies
         * two frames into an int[] first (some 35% slower under C2, but many times faster in the
         * interpreter and under C1, e.g. a short CLI run with -XX:TieredStopAtLevel=1). Now and then
         * one block runs on the other kernel and the faster one per frame is kept; retries back off
         * exponentially while the choice holds.
         *
         * @return false when an earlier range ended the valid prefix (this range is moot; {@link #end} set)
         */
        private boolean verifyFrames(AtomicInteger firstFailure, int limit) {
            int blockFrames = Math.max(2, (blockBytes / frameSize) & ~1);
            // Reading the mapping: the frames checked are released from this process's resident set
            // every RELEASE_BYTES (madvise(MADV_DONTNEED) through MemorySegment.unload; the kernel's
            // page cache keeps them): a mapped file's pages count as resident while mapped, so
            // without this the peak RSS of a 1 GiB scan was the file size. The bytes are unchanged.
            long released = offset;
            boolean release = src == s && s.isMapped();
            while (f <= limit && !failed) {
                if (firstFailure.get() < first) {
                    end = f; // an earlier range ended the valid prefix: this range is moot
                    return false;
                }
                if (++blocks >= nextTrial && f + 2L * blockFrames - 1 <= limit) {
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
                    block(direct, (int) Math.min(limit, (long) f + blockFrames - 1));
                }
                if (release && offset - released >= RELEASE_BYTES) {
                    s.asSlice(released, offset - released).unload();
                    released = offset;
                }
            }
            return true;
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
            MemorySegment s = this.src;
            int frameSize = this.frameSize;
            int f = this.f;
            long offset = this.offset - base;
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
                accept(s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_PAGE_NUMBER),
                        s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_COMMIT_SIZE), f);
                f++;
                offset = next;
                seed = storedA;
                if ((matched & 2) == 0) {
                    continue; // f's header or checksum failed; the next iteration finds out which
                }
                accept(s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_PAGE_NUMBER),
                        s.get(ByteSource.INT_BE, offset + WalFormat.FRAME_OFF_COMMIT_SIZE), f);
                f++;
                offset += frameSize;
                seed = storedB;
            }
            this.f = f;
            this.offset = offset + base;
            this.seed = seed;
        }

        private void blockCopy(int blockLast) {
            MemorySegment s = this.src;
            int[] w = this.w;
            int frameSize = this.frameSize;
            int frameWords = frameSize >> 2;
            int pageWords = pageSize >> 2;
            int f = this.f;
            long offset = this.offset - base;
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
                accept(big(w[0]), big(w[1]), f);
                f++;
                offset += frameSize;
                seed = storedA;
                if ((matched & 2) == 0) {
                    continue;
                }
                accept(big(w[frameWords]), big(w[frameWords + 1]), f);
                f++;
                offset += frameSize;
                seed = storedB;
            }
            this.f = f;
            this.offset = offset + base;
            this.seed = seed;
        }

        /**
         * Records valid frame {@code frame} (holding {@code pageNumber}); at a commit
         * ({@code commitSize} ≠ 0), indexes the transaction it ends.
         */
        private void accept(int pageNumber, int commitSize, int frame) {
            if (pendingCount < pendingCap) {
                if (pendingCount == pending.length) {
                    pending = Arrays.copyOf(pending, Math.min(pendingCap, pendingCount * 2));
                }
                pending[pendingCount++] = pageNumber;
            }
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
            int g = indexedThrough + 1;
            for (int k = 0; k < pendingCount; k++, g++) {
                record(pending[k], g);
            }
            if (g <= frame) {
                recordFromMapping(g, frame);
            }
            pendingCount = 0;
            indexedThrough = frame;
        }

        /**
         * Indexes frames {@code from..to} of a transaction longer than {@link #pendingCap} frames,
         * reading their headers from the mapping (released as it goes when the file is mapped).
         */
        private void recordFromMapping(int from, int to) {
            long released = WalFormat.frameOffset(from, pageSize);
            boolean release = s.isMapped();
            for (int g = from; g <= to; g++) {
                record(pageNumber(s, g, pageSize), g);
                long at = WalFormat.frameOffset(g, pageSize);
                if (release && at - released >= RELEASE_BYTES) {
                    s.asSlice(released, at - released).unload();
                    released = at;
                }
            }
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
