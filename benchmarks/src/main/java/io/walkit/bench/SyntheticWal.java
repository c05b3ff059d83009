package io.walkit.bench;

import io.walkit.wal.WalFrame;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalHeader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * Writes valid WAL files of a given size and page size for benchmarks, quickly (about a second per
 * GiB): random page images, random page numbers from a pool of a quarter as many distinct pages as
 * frames (at most 2^20), a commit every 16 frames, checksums chained with {@link WalFrame#encodeHeader}.
 * Files are cached by name in {@link #cacheDir()} and never committed.
 */
public final class SyntheticWal {

    /** System property naming the cache directory (default {@code target/walkit-bench-data}). */
    public static final String DIR_PROPERTY = "walkit.bench.dir";
    /** Frames per transaction. */
    public static final int FRAMES_PER_COMMIT = 16;
    private static final int FORMAT_REVISION = 1;

    private SyntheticWal() {}

    /** The cache directory. */
    public static Path cacheDir() {
        return Path.of(System.getProperty(DIR_PROPERTY, "target/walkit-bench-data"));
    }

    /** A cached little-endian WAL of about {@code bytes} bytes (whole frames), made if missing. */
    public static Path cached(long bytes, int pageSize) throws IOException {
        return cached(cacheDir(), bytes, pageSize, false);
    }

    /** A cached WAL in {@code dir} of about {@code bytes} bytes (whole frames), made if missing. */
    public static Path cached(Path dir, long bytes, int pageSize, boolean bigEndian) throws IOException {
        long frames = Math.max(1, (bytes - WalFormat.HEADER_SIZE) / WalFormat.frameSize(pageSize));
        Path file = dir.resolve("synthetic-r" + FORMAT_REVISION + "-p" + pageSize + (bigEndian ? "-be-" : "-le-")
                + frames + "f.db-wal");
        long expectedSize = WalFormat.frameOffset(frames + 1, pageSize);
        if (Files.isRegularFile(file) && Files.size(file) == expectedSize) {
            return file;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "synthetic", ".tmp");
        try {
            write(tmp, frames, pageSize, bigEndian, 0x5EED_0000L + pageSize + frames);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /** Writes a valid WAL of {@code frames} frames to {@code file}. */
    public static void write(Path file, long frames, int pageSize, boolean bigEndian, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        int frameSize = WalFormat.frameSize(pageSize);
        long size = WalFormat.frameOffset(frames + 1, pageSize);
        int distinct = (int) Math.max(1, Math.min(1 << 20, frames / 4));
        WalHeader header = WalHeader.create(bigEndian, pageSize, 0, rnd.nextInt(), rnd.nextInt());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             Arena arena = Arena.ofConfined()) {
            ch.truncate(0);
            MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            header.encodeTo(m, 0);
            long sum = header.storedChecksum();
            long off = WalFormat.HEADER_SIZE;
            for (long f = 1; f <= frames; f++, off += frameSize) {
                for (long p = off + WalFormat.FRAME_HEADER_SIZE, end = off + frameSize; p < end; p += 8) {
                    m.set(ValueLayout.JAVA_LONG_UNALIGNED, p, rnd.nextLong());
                }
                int pageNumber = 1 + rnd.nextInt(distinct);
                boolean commit = f % FRAMES_PER_COMMIT == 0 || f == frames;
                sum = WalFrame.encodeHeader(m, off, pageSize, pageNumber, commit ? distinct : 0, header.salt1(),
                        header.salt2(), bigEndian, sum);
            }
        }
    }

    /** {@code SyntheticWal OUT SIZE_MIB PAGE_SIZE [le|be]}: writes one file (for scripts). */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: SyntheticWal OUT SIZE_MIB PAGE_SIZE [le|be]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int pageSize = Integer.parseInt(args[2]);
        long frames = Math.max(1, ((Long.parseLong(args[1]) << 20) - WalFormat.HEADER_SIZE) / WalFormat.frameSize(pageSize));
        write(out, frames, pageSize, args.length > 3 && args[3].equals("be"), 0x5EED_0000L + pageSize + frames);
        System.out.println(out + ": frames=" + frames + " bytes=" + Files.size(out));
    }
}
