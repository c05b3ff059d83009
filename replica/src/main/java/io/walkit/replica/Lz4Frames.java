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
     * @param file the file
     * @param limit the limit
     * @return decompresses the LZ4 frame file {@code file}, refusing to produce more than {@code limit} bytes
     * @throws IOException when the input cannot be read or parsed
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
     * @param in the in
     * @return decompresses one or more concatenated LZ4 frames from {@code in}
     * @throws IOException when the input cannot be read or parsed
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

    /**
     * Opens the LZ4 frame file {@code file} as a stream of decompressed bytes that fails with a
     * {@link CorruptFileException} (naming the compressed offset reached) on malformed input,
     * checksum failure, truncation, or more than {@code limit} decompressed bytes. Memory stays
     * bounded by one block buffer (at most 4 MiB) whatever the file claims. The caller closes the
     * returned stream, which closes the file.
     * @param file the file
     * @param limit the limit
     * @return the LZ4 frame file {@code file} as a stream of decompressed bytes that fails with a {@link CorruptFileException} (naming the compressed offset reached) on malformed input, checksum failure, truncation, or more than {@code limit} decompressed bytes
     * @throws IOException when the input cannot be read or parsed
     */
    public static InputStream open(Path file, long limit) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            CountingInputStream counting = new CountingInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
            LZ4FrameInputStream lz4 = new LZ4FrameInputStream(counting,
                    LZ4Factory.safeInstance().safeDecompressor(), XXHashFactory.safeInstance().hash32());
            return new LimitedStream(lz4, counting, limit, file.toString());
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw new CorruptFileException(file.toString(), 0, "LZ4 frame", "stream",
                    "a valid LZ4 frame", String.valueOf(e.getMessage()));
        }
    }

    /** Maps the LZ4 library's failures to {@link CorruptFileException} and enforces the limit. */
    private static final class LimitedStream extends FilterInputStream {
        private final CountingInputStream counting;
        private final long limit;
        private final String name;
        private long produced;

        LimitedStream(InputStream lz4, CountingInputStream counting, long limit, String name) {
            super(lz4);
            this.counting = counting;
            this.limit = limit;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                // LZ4FrameInputStream reports bad magic, truncation and checksum failures as
                // IOException and malformed block data as LZ4Exception (a RuntimeException).
                throw new CorruptFileException(name, counting.count, "LZ4 frame", "stream",
                        "a valid LZ4 frame", String.valueOf(e.getMessage()));
            }
            if (n > 0) {
                produced += n;
                if (produced > limit) {
                    throw new CorruptFileException(name, counting.count, "LZ4 frame", "decompressed size",
                            "at most " + limit + " bytes", "more than " + limit + " bytes");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r <= 0) {
                    break;
                }
                done += r;
            }
            return done;
        }
    }

    /**
     * Decodes one LZ4 frame at {@code pos} of {@code b} (not past {@code end}) whose content must be
     * exactly {@code out.length} bytes (one LTX page), and returns the offset just past the frame.
     * Parses the frame itself, so the frame's length need not be known in advance: descriptor
     * (FLG version 01, BD block size 64 KiB..4 MiB, optional content size, dictionary id, header
     * checksum), blocks ({@code u32} size, top bit = stored; optional block checksum), end mark,
     * optional xxHash32 content checksum (verified). Blocks must be independent or the frame must
     * have one block; nothing is allocated beyond {@code out}.
     *
     * @throws CorruptFileException naming the offset of the first malformed field
     * @param b the b
     * @param pos the pos
     * @param end the end
     * @param out the out
     * @param lz4 the lz4
     * @param xxh the xxh
     * @param name the name
     * @return one LZ4 frame at {@code pos} of {@code b} (not past {@code end}) whose content must be exactly {@code out.length} bytes (one LTX page), and returns the offset just past the frame
     */
    public static int decodeFrame(byte[] b, int pos, int end, byte[] out, net.jpountz.lz4.LZ4SafeDecompressor lz4,
            net.jpountz.xxhash.XXHash32 xxh, String name) throws CorruptFileException {
        int start = pos;
        if (end - pos < 7) {
            throw new CorruptFileException(name, pos, "LZ4 frame", "descriptor", "at least 7 bytes", (end - pos) + " bytes");
        }
        int magic = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
        if (magic != FRAME_MAGIC) {
            throw new CorruptFileException(name, pos, "LZ4 frame", "magic", "0x184d2204", String.format("0x%08x", magic));
        }
        int flg = b[pos + 4] & 0xFF;
        int bd = b[pos + 5] & 0xFF;
        if ((flg >>> 6) != 1 || (flg & 0x02) != 0 || (bd & 0x8F) != 0 || ((bd >>> 4) & 7) < 4) {
            throw new CorruptFileException(name, pos + 4, "LZ4 frame", "FLG/BD", "version 01, reserved bits 0, block size 4..7",
                    String.format("0x%02x 0x%02x", flg, bd));
        }
        boolean independent = (flg & 0x20) != 0;
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentSize = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        boolean dictId = (flg & 0x01) != 0;
        int maxBlock = 1 << (8 + 2 * ((bd >>> 4) & 7));
        pos += 6 + (contentSize ? 8 : 0) + (dictId ? 4 : 0);
        if (pos + 1 > end) {
            throw new CorruptFileException(name, pos, "LZ4 frame", "header checksum", "1 byte", "end of data");
        }
        int hc = b[pos] & 0xFF;
        int expectHc = (xxh.hash(b, start + 4, pos - start - 4, 0) >>> 8) & 0xFF;
        if (hc != expectHc) {
            throw new CorruptFileException(name, pos, "LZ4 frame", "header checksum", String.format("0x%02x", expectHc),
                    String.format("0x%02x", hc));
        }
        pos++;
        int produced = 0;
        int blocks = 0;
        while (true) {
            if (pos + 4 > end) {
                throw new CorruptFileException(name, pos, "LZ4 frame", "block size", "4 bytes", "end of data");
            }
            int raw = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
            pos += 4;
            if (raw == 0) {
                break;
            }
            boolean stored = raw < 0;
            int n = raw & 0x7FFFFFFF;
            if (n > maxBlock || n > end - pos) {
                throw new CorruptFileException(name, pos - 4, "LZ4 frame", "block size",
                        "at most " + Math.min(maxBlock, end - pos), Integer.toString(n));
            }
            if (++blocks > 1 && !independent) {
                throw new CorruptFileException(name, pos - 4, "LZ4 frame", "block independence",
                        "independent blocks (or a single block)", "dependent blocks");
            }
            if (stored) {
                if (n > out.length - produced) {
                    throw new CorruptFileException(name, pos, "LZ4 frame", "content size", "at most " + out.length + " bytes",
                            "more");
                }
                System.arraycopy(b, pos, out, produced, n);
                produced += n;
            } else {
                try {
                    produced += lz4.decompress(b, pos, n, out, produced, out.length - produced);
                } catch (net.jpountz.lz4.LZ4Exception e) {
                    throw new CorruptFileException(name, pos, "LZ4 frame", "block", "a valid LZ4 block of at most "
                            + (out.length - produced) + " bytes", String.valueOf(e.getMessage()));
                }
            }
            pos += n;
            if (blockChecksum) {
                pos += 4;
                if (pos > end) {
                    throw new CorruptFileException(name, pos - 4, "LZ4 frame", "block checksum", "4 bytes", "end of data");
                }
            }
        }
        if (contentChecksum) {
            if (pos + 4 > end) {
                throw new CorruptFileException(name, pos, "LZ4 frame", "content checksum", "4 bytes", "end of data");
            }
            int stored = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
            int computed = xxh.hash(out, 0, produced, 0);
            if (stored != computed) {
                throw new CorruptFileException(name, pos, "LZ4 frame", "content checksum", String.format("0x%08x", computed),
                        String.format("0x%08x", stored));
            }
            pos += 4;
        }
        if (produced != out.length) {
            throw new CorruptFileException(name, start, "LZ4 frame", "content size", out.length + " bytes (one page)",
                    produced + " bytes");
        }
        return pos;
    }

    /** Receives decompressed bytes in order; see {@link #copy}. */
    @FunctionalInterface
    public interface ChunkSink {
        /**
         * The next decompressed bytes.
         *
         * @param bytes  the buffer (reused after the call returns)
         * @param offset start in {@code bytes}
         * @param length number of bytes
         * @throws IOException when the receiver cannot write them
         */
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /**
     * Decompresses the LZ4 frame file {@code file} (one or more concatenated frames) block by block
     * into {@code sink}: the restore hot path. Same checks and bounds as {@link #open}: every
     * descriptor field, block size (at most the declared maximum), block data (see {@link Lz4Block}),
     * the header checksum and the xxHash32 content checksum are verified, and more than {@code limit}
     * decompressed bytes is an error. Uses a hand-written block decoder with bulk copies (lz4-java's
     * safe decompressor copies literals in 8-byte steps, which dominated a 1 GiB restore's profile).
     * Memory: two buffers of the frame's block size (at most 4 MiB each). Bytes handed to the sink
     * before a failure are not yet checked by the content checksum: the caller must discard its
     * output on an exception.
     *
     * @param file  the LZ4 frame file
     * @param limit maximum number of decompressed bytes accepted
     * @param sink  receives the decompressed bytes in order
     * @return the number of decompressed bytes
     * @throws CorruptFileException naming the compressed offset of the first malformed field
     * @throws IOException          when the file cannot be read or the sink fails
     */
    public static long copy(Path file, long limit, ChunkSink sink) throws IOException {
        String name = file.toString();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            long produced = 0;
            byte[] hdr = new byte[19];
            byte[] in = null;
            byte[] out = null;
            boolean first = true;
            while (pos < size || first) {
                first = false;
                long start = pos;
                readFully(ch, hdr, 0, 7, pos, name, "descriptor");
                int magic = Lz4Block.intLE(hdr, 0);
                if (magic != FRAME_MAGIC) {
                    throw new CorruptFileException(name, pos, "LZ4 frame", "magic", "0x184d2204", String.format("0x%08x", magic));
                }
                int flg = hdr[4] & 0xFF;
                int bd = hdr[5] & 0xFF;
                if ((flg >>> 6) != 1 || (flg & 0x02) != 0 || (bd & 0x8F) != 0 || ((bd >>> 4) & 7) < 4) {
                    throw new CorruptFileException(name, pos + 4, "LZ4 frame", "FLG/BD",
                            "version 01, reserved bits 0, block size 4..7", String.format("0x%02x 0x%02x", flg, bd));
                }
                boolean independent = (flg & 0x20) != 0;
                boolean blockChecksum = (flg & 0x10) != 0;
                boolean contentChecksum = (flg & 0x04) != 0;
                int descLen = 2 + ((flg & 0x08) != 0 ? 8 : 0) + ((flg & 0x01) != 0 ? 4 : 0);
                readFully(ch, hdr, 6, descLen - 2 + 1, pos + 6, name, "descriptor");
                Lz4Block.XxHash32 hh = new Lz4Block.XxHash32(0);
                hh.update(hdr, 4, descLen);
                int expectHc = (hh.digest() >>> 8) & 0xFF;
                int hc = hdr[4 + descLen] & 0xFF;
                if (hc != expectHc) {
                    throw new CorruptFileException(name, pos + 4 + descLen, "LZ4 frame", "header checksum",
                            String.format("0x%02x", expectHc), String.format("0x%02x", hc));
                }
                pos += 4 + descLen + 1;
                int maxBlock = 1 << (8 + 2 * ((bd >>> 4) & 7));
                if (in == null || in.length < maxBlock) {
                    in = new byte[maxBlock];
                    out = new byte[maxBlock];
                }
                Lz4Block.XxHash32 content = new Lz4Block.XxHash32(0);
                int blocks = 0;
                byte[] four = new byte[4];
                while (true) {
                    readFully(ch, four, 0, 4, pos, name, "block size");
                    int raw = Lz4Block.intLE(four, 0);
                    pos += 4;
                    if (raw == 0) {
                        break;
                    }
                    int n = raw & 0x7FFFFFFF;
                    if (n > maxBlock) {
                        throw new CorruptFileException(name, pos - 4, "LZ4 frame", "block size", "at most " + maxBlock,
                                Integer.toString(n));
                    }
                    if (++blocks > 1 && !independent) {
                        // Litestream writes independent blocks; a linked stream goes through the library.
                        return copyLinked(file, limit, sink);
                    }
                    readFully(ch, in, 0, n, pos, name, "block data");
                    int m;
                    byte[] data;
                    if (raw < 0) {
                        data = in;
                        m = n;
                    } else {
                        data = out;
                        m = Lz4Block.decode(in, 0, n, out, 0, maxBlock, name, pos);
                    }
                    pos += n;
                    if (blockChecksum) {
                        pos += 4;
                    }
                    if (produced + m > limit) {
                        throw new CorruptFileException(name, pos, "LZ4 frame", "decompressed size",
                                "at most " + limit + " bytes", "more than " + limit + " bytes");
                    }
                    produced += m;
                    if (contentChecksum) {
                        // 64 KiB calls, so the JIT compiles update() as a method early instead of
                        // running one long loop per 4 MiB block until an on-stack replacement.
                        for (int o = 0; o < m; o += 1 << 16) {
                            content.update(data, o, Math.min(1 << 16, m - o));
                        }
                    }
                    sink.accept(data, 0, m);
                }
                if (contentChecksum) {
                    readFully(ch, four, 0, 4, pos, name, "content checksum");
                    int stored = Lz4Block.intLE(four, 0);
                    int computed = content.digest();
                    if (stored != computed) {
                        throw new CorruptFileException(name, pos, "LZ4 frame", "content checksum",
                                String.format("0x%08x", computed), String.format("0x%08x", stored));
                    }
                    pos += 4;
                }
                if (pos == start) {
                    break;
                }
            }
            return produced;
        }
    }

    /** A frame with dependent blocks (not what Litestream writes): decoded through lz4-java's stream. */
    private static long copyLinked(Path file, long limit, ChunkSink sink) throws IOException {
        try (InputStream in = open(file, limit)) {
            byte[] buf = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                sink.accept(buf, 0, n);
                total += n;
            }
            return total;
        }
    }

    private static void readFully(java.nio.channels.FileChannel ch, byte[] b, int off, int len, long pos, String name, String field)
            throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new CorruptFileException(name, p, "LZ4 frame", field, len + " bytes", "end of file after "
                        + (p - pos) + " bytes");
            }
            p += n;
        }
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
