package io.walkit.replica;

import io.walkit.io.CorruptFileException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Size-limited decompression of LZ4 <em>frame</em>-format files, as Litestream writes its
 * snapshots ({@code *.snapshot.lz4}) and WAL segments ({@code *.wal.lz4}).
 *
 * <p>LZ4 frame layout (little-endian): magic {@code 0x184D2204}, a frame descriptor (flags, block
 * maximum size 64 KiB..4 MiB, optional content size, header checksum), then blocks of
 * {@code u32 size} (top bit set = stored uncompressed) + data (+ optional block checksum), an
 * end mark {@code 0x00000000} and an optional xxHash32 content checksum. Litestream uses 4 MiB
 * blocks, content checksum on, no content size.
 *
 * <p>Hostile input is bounded: the decoder only ever allocates one block buffer of at most 4 MiB
 * (the largest size the descriptor can declare), output beyond {@code limit} bytes stops
 * decompression with a {@link CorruptFileException}, and malformed blocks, bad checksums and
 * truncation are reported as {@link CorruptFileException} naming the compressed offset reached.
 * Only the pure-Java "safe" decompressor is used (no native code, no {@code Unsafe}).
 */
public final class Lz4Frames {

    /** The LZ4 frame magic number (little-endian on disk). */
    public static final int FRAME_MAGIC = 0x184D2204;

    private Lz4Frames() {}

    /**
     * Decompresses the LZ4 frame file {@code file}, refusing to produce more than {@code limit}
     * bytes.
     */
    public static byte[] decompress(Path file, long limit) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return decompress(in, limit, file.toString());
        }
    }

    /**
     * Decompresses one or more concatenated LZ4 frames from {@code in}.
     *
     * @param limit maximum number of decompressed bytes accepted (at most {@code Integer.MAX_VALUE - 8})
     * @param name  the file name used in error messages
     */
    public static byte[] decompress(InputStream in, long limit, String name) throws IOException {
        if (limit < 0 || limit > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("limit out of range: " + limit);
        }
        CountingInputStream counting = new CountingInputStream(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try (LZ4FrameInputStream lz4 = new LZ4FrameInputStream(counting,
                LZ4Factory.safeInstance().safeDecompressor(), XXHashFactory.safeInstance().hash32())) {
            int n;
            while ((n = lz4.read(buffer, 0, buffer.length)) > 0) {
                if (out.size() + (long) n > limit) {
                    throw new CorruptFileException(name, counting.count, "LZ4 frame", "decompressed size",
                            "at most " + limit + " bytes", "more than " + limit + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (CorruptFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // LZ4FrameInputStream reports bad magic, truncation and checksum failures as IOException,
            // and malformed block data as LZ4Exception (a RuntimeException).
            throw new CorruptFileException(name, counting.count, "LZ4 frame", "stream",
                    "a valid LZ4 frame", String.valueOf(e.getMessage()));
        }
        return out.toByteArray();
    }

    /** Counts the compressed bytes consumed, for error offsets. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
