package io.walkit.replica;

import io.walkit.io.CorruptFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * A decoded LTX file (superfly/ltx): header, page frames in any {@link LtxEncoding}, page index,
 * trailer, and the checks ltx's decoder makes, kept apart from decoding: {@link #problems()} lists
 * every rule the file breaks (header rules, page order, page index agreement, file checksum,
 * snapshot database checksum) while {@link #decode} throws {@link CorruptFileException} only when
 * the bytes cannot be parsed at all.
 *
 * <p>File layout: 100-byte {@link LtxHeader}; page frames; a zero page header; (V2/V3) the page
 * index: per page three unsigned LEB128 varints (pgno, absolute frame offset, frame size), a varint
 * 0, then a u64 big-endian byte count of the index; the 16-byte trailer: post-apply database
 * checksum (u64) and file checksum (u64). The file checksum is CRC-64/ISO ({@link Crc64}) over the
 * header, each page header (and size field), each page's <em>uncompressed</em> bytes, the zero
 * header, the index and its size, and the post-apply checksum; stored with bit 63 set. The database
 * checksum is the XOR of {@code CRC-64(pgno u32 BE ‖ page)|bit63} over every page but the lock-byte
 * page, with bit 63 set ({@link LtxChecksum}).
 *
 * <p>Input is held in memory (at most {@link #MAX_FILE_SIZE} bytes); LZ4 output is bounded by the
 * page size. Immutable; thread-safe.
 */
public final class LtxFile {

    /** Trailer size in bytes. */
    public static final int TRAILER_SIZE = 16;
    /** Largest LTX file walkit decodes. */
    public static final long MAX_FILE_SIZE = Integer.MAX_VALUE - 64;

    /** Receives each page as it is decoded. */
    public interface PageVisitor {
        /**
         * One page.
         *
         * @param pageNumber the page number (1-based)
         * @param data       the uncompressed page (reused between calls: copy to keep)
         * @throws IOException when the input cannot be read or parsed
         */
        void page(int pageNumber, byte[] data) throws IOException;
    }

    /**
     * One page frame.
     *
     * @param pageNumber  the page number
     * @param offset      the frame's byte offset in the file (its page header), or in the decompressed
     *                    page block for {@link LtxEncoding#V1_LZ4}
     * @param size        the frame's encoded size in bytes (header included)
     * @param compression how the page bytes are stored: "raw", "lz4-frame" or "lz4-block"
     */
    public record Frame(int pageNumber, long offset, long size, String compression) {}

    /**
     * One page index entry.
     *
     * @param pageNumber the page number
     * @param offset     the frame offset it claims
     * @param size       the frame size it claims
     */
    public record IndexEntry(long pageNumber, long offset, long size) {}

    private final String name;
    private final LtxHeader header;
    private final LtxEncoding encoding;
    private final List<Frame> frames;
    private final List<IndexEntry> index;
    private final long postApplyChecksum;
    private final long fileChecksum;
    private final long computedFileChecksum;
    private final long computedDatabaseChecksum;
    private final List<io.walkit.io.Problem> problems;
    private final long size;

    private LtxFile(String name, LtxHeader header, LtxEncoding encoding, List<Frame> frames, List<IndexEntry> index,
            long postApplyChecksum, long fileChecksum, long computedFileChecksum, long computedDatabaseChecksum,
            List<io.walkit.io.Problem> problems, long size) {
        this.name = name;
        this.header = header;
        this.encoding = encoding;
        this.frames = List.copyOf(frames);
        this.index = index == null ? null : List.copyOf(index);
        this.postApplyChecksum = postApplyChecksum;
        this.fileChecksum = fileChecksum;
        this.computedFileChecksum = computedFileChecksum;
        this.computedDatabaseChecksum = computedDatabaseChecksum;
        this.problems = List.copyOf(problems);
        this.size = size;
    }

    /**
     * The file's display name.
     *
     * @return the file's display name
     */
    public String name() { return name; }

    /**
     * The header.
     *
     * @return the header
     */
    public LtxHeader header() { return header; }

    /**
     * The detected encoding.
     *
     * @return the detected encoding
     */
    public LtxEncoding encoding() { return encoding; }

    /**
     * The page frames in file order.
     *
     * @return the page frames in file order
     */
    public List<Frame> frames() { return frames; }

    /**
     * The page index, or {@code null} for V1 encodings (no index).
     *
     * @return the page index, or {@code null} for V1 encodings (no index)
     */
    public List<IndexEntry> index() { return index; }

    /**
     * The trailer's post-apply database checksum.
     *
     * @return the trailer's post-apply database checksum
     */
    public long postApplyChecksum() { return postApplyChecksum; }

    /**
     * The trailer's file checksum.
     *
     * @return the trailer's file checksum
     */
    public long fileChecksum() { return fileChecksum; }

    /**
     * The file checksum computed from the contents (bit 63 set).
     *
     * @return the file checksum computed from the contents (bit 63 set)
     */
    public long computedFileChecksum() { return computedFileChecksum; }

    /**
     * For a snapshot: the database checksum of its pages (bit 63 set); 0 otherwise.
     *
     * @return for a snapshot: the database checksum of its pages (bit 63 set); 0 otherwise
     */
    public long computedDatabaseChecksum() { return computedDatabaseChecksum; }

    /**
     * Every rule broken (empty when the file is valid).
     *
     * @return every rule broken (empty when the file is valid)
     */
    public List<io.walkit.io.Problem> problems() { return problems; }

    /**
     * The file size in bytes.
     *
     * @return the file size in bytes
     */
    public long size() { return size; }

    /**
     * True when no rule is broken.
     *
     * @return true when no rule is broken
     */
    public boolean ok() { return problems.isEmpty(); }

    /**
     * Reads and decodes {@code file}.
     *
     * @param file the file
     * @param visitor the visitor
     * @return and decodes {@code file}
     * @throws IOException when the input cannot be read or parsed
     */
    public static LtxFile read(Path file, PageVisitor visitor) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new CorruptFileException(file.toString(), 0, "LTX file", "size", "at most " + MAX_FILE_SIZE + " bytes",
                    size + " bytes");
        }
        return decode(Files.readAllBytes(file), file.toString(), visitor);
    }

    /**
     * Decodes an LTX file held in {@code b}.
     *
     * @param visitor receives each page, or {@code null}
     * @throws CorruptFileException when the bytes cannot be parsed (too short, bad magic or page
     *                              size, a frame running past the end, undecodable LZ4)
     * @param b the b
     * @param name the name
     * @return an LTX file held in {@code b}
     */
    public static LtxFile decode(byte[] b, String name, PageVisitor visitor) throws IOException {
        if (b.length < LtxHeader.SIZE + TRAILER_SIZE) {
            throw new CorruptFileException(name, b.length, "LTX file", "size",
                    "at least " + (LtxHeader.SIZE + TRAILER_SIZE) + " bytes", b.length + " bytes");
        }
        LtxHeader h = LtxHeader.read(b);
        h.requireReadable(name);
        List<io.walkit.io.Problem> problems = new ArrayList<>();
        for (String p : h.problems()) {
            problems.add(problem(name, 0, "LTX header", null, null, null, p));
        }
        int pageSize = h.pageSize();
        int trailerAt = b.length - TRAILER_SIZE;
        List<IndexEntry> index = null;
        int indexAt = trailerAt;
        LtxEncoding enc;
        if ((h.flags() & LtxHeader.FLAG_COMPRESS_LZ4) != 0) {
            enc = LtxEncoding.V1_LZ4;
        } else {
            index = parseIndex(b, trailerAt);
            if (index == null) {
                enc = LtxEncoding.V1;
            } else {
                indexAt = trailerAt - 8 - (int) getLong(b, trailerAt - 8);
                if (b.length >= 108 && getIntLE(b, 104) == Lz4Frames.FRAME_MAGIC) {
                    enc = LtxEncoding.V2;
                } else if (indexAt >= 106 && (b[104] == 0 && (b[105] == 0 || b[105] == 1))) {
                    enc = LtxEncoding.V3;
                } else if (indexAt == 104) {
                    enc = LtxEncoding.V2; // an empty page block: a 4-byte terminator before the index
                } else {
                    throw new CorruptFileException(name, 104, "LTX page block", "first page frame",
                            "an LZ4 frame (v2) or page flags 0/1 (v3)", String.format("0x%02x%02x", b[104], b[105]));
                }
            }
        }
        long crc = Crc64.update(0, b, 0, LtxHeader.SIZE);
        long dbChecksum = LtxHeader.CHECKSUM_FLAG;
        boolean trackDb = h.isSnapshot() && !h.noChecksum();
        long lockPage = h.lockPageNumber();
        List<Frame> frames = new ArrayList<>();
        byte[] page = new byte[pageSize];
        byte[] block = b;
        int pos = LtxHeader.SIZE;
        int blockEnd = indexAt;
        if (enc == LtxEncoding.V1_LZ4) {
            block = inflateBlock(b, LtxHeader.SIZE, trailerAt, name, h);
            pos = 0;
            blockEnd = block.length;
        }
        int hs = enc.pageHeaderSize();
        long prev = 0;
        LZ4SafeDecompressor lz4 = LZ4Factory.safeInstance().safeDecompressor();
        XXHash32 xxh = XXHashFactory.safeInstance().hash32();
        while (true) {
            if (pos + hs > blockEnd) {
                throw new CorruptFileException(name, pos, "LTX page block", "page header", hs + " bytes before the page index/trailer",
                        (blockEnd - pos) + " bytes");
            }
            int pgno = getInt(block, pos);
            int flags = hs == 6 ? (block[pos + 4] & 0xFF) << 8 | (block[pos + 5] & 0xFF) : 0;
            crc = Crc64.update(crc, block, pos, hs);
            if (pgno == 0 && flags == 0) {
                pos += hs;
                break;
            }
            int frameStart = pos;
            pos += hs;
            String compression;
            if (pgno == 0) {
                problems.add(problem(name, frameStart, "LTX page header", "page number", "1 or more", "0", "flags " + flags));
            }
            if ((flags & ~1) != 0) {
                throw new CorruptFileException(name, frameStart + 4, "LTX page header", "flags", "0 or 1", Integer.toString(flags));
            }
            if (enc == LtxEncoding.V1 || enc == LtxEncoding.V1_LZ4) {
                if (pos + pageSize > blockEnd) {
                    throw new CorruptFileException(name, pos, "LTX page frame", "page data", pageSize + " bytes",
                            (blockEnd - pos) + " bytes");
                }
                System.arraycopy(block, pos, page, 0, pageSize);
                pos += pageSize;
                compression = "raw";
            } else if ((flags & 1) != 0) {
                if (pos + 4 > blockEnd) {
                    throw new CorruptFileException(name, pos, "LTX page frame", "size", "4 bytes", (blockEnd - pos) + " bytes");
                }
                crc = Crc64.update(crc, block, pos, 4);
                long n = Integer.toUnsignedLong(getInt(block, pos));
                pos += 4;
                if (n > blockEnd - pos) {
                    throw new CorruptFileException(name, pos - 4, "LTX page frame", "compressed size",
                            "at most " + (blockEnd - pos) + " (the bytes left)", Long.toString(n));
                }
                int got;
                try {
                    got = lz4.decompress(block, pos, (int) n, page, 0, pageSize);
                } catch (LZ4Exception e) {
                    throw new CorruptFileException(name, pos, "LTX page frame", "LZ4 block", "a valid LZ4 block of one page",
                            String.valueOf(e.getMessage()));
                }
                if (got != pageSize) {
                    throw new CorruptFileException(name, pos, "LTX page frame", "decompressed size", Integer.toString(pageSize),
                            Integer.toString(got));
                }
                pos += (int) n;
                compression = "lz4-block";
            } else {
                pos = Lz4Frames.decodeFrame(block, pos, blockEnd, page, lz4, xxh, name);
                compression = "lz4-frame";
            }
            crc = Crc64.update(crc, page, 0, pageSize);
            frames.add(new Frame(pgno, frameStart, pos - frameStart, compression));
            long p = Integer.toUnsignedLong(pgno);
            if (h.isSnapshot()) {
                long expected = prev + 1 == lockPage ? prev + 2 : prev + 1;
                if (p != expected) {
                    problems.add(problem(name, frameStart, "LTX page header", "page number", Long.toString(expected), Long.toString(p),
                            "a snapshot holds pages 1..commit in order"));
                }
            } else if (p <= prev) {
                problems.add(problem(name, frameStart, "LTX page header", "page number", "more than " + prev + " (the previous page)",
                        Long.toString(p), "page numbers must increase"));
            }
            if (p > Integer.toUnsignedLong(h.commit())) {
                problems.add(problem(name, frameStart, "LTX page header", "page number",
                        "at most " + Integer.toUnsignedLong(h.commit()) + " (the commit size)", Long.toString(p), null));
            }
            if (p == lockPage) {
                problems.add(problem(name, frameStart, "LTX page header", "page number", "not " + p + " (the lock-byte page)",
                        Long.toString(p), "the lock-byte page is never stored"));
            }
            prev = p;
            if (trackDb && p != lockPage) {
                dbChecksum = LtxHeader.CHECKSUM_FLAG | (dbChecksum ^ LtxChecksum.page(pgno, page));
            }
            if (visitor != null) {
                visitor.page(pgno, page);
            }
        }
        if (enc == LtxEncoding.V1_LZ4) {
            if (pos != blockEnd) {
                problems.add(problem(name, LtxHeader.SIZE, "LTX page block", "trailing bytes inside the LZ4 frame", "0",
                        Integer.toString(blockEnd - pos), null));
            }
        } else if (pos != indexAt) {
            problems.add(problem(name, pos, "LTX page block", "bytes before " + (index == null ? "the trailer" : "the page index"),
                    "0", Long.toString(indexAt - pos), "unexplained bytes"));
        }
        if (h.isSnapshot() && prev + 0 < Integer.toUnsignedLong(h.commit())
                && !(prev + 1 == lockPage && prev + 1 == Integer.toUnsignedLong(h.commit()))) {
            problems.add(problem(name, pos, "LTX page block", "last snapshot page",
                    Long.toString(Integer.toUnsignedLong(h.commit())) + " (the commit size)", Long.toString(prev), null));
        }
        // Everything after the page block up to the file checksum: index, index size, post-apply checksum.
        if (enc != LtxEncoding.V1_LZ4) {
            crc = Crc64.update(crc, b, pos, Math.max(0, trailerAt - pos));
        }
        crc = Crc64.update(crc, b, trailerAt, 8);
        long computed = LtxHeader.CHECKSUM_FLAG | crc;
        long post = getLong(b, trailerAt);
        long stored = getLong(b, trailerAt + 8);
        if (stored != computed) {
            problems.add(problem(name, trailerAt + 8, "LTX trailer", "file checksum", String.format("0x%016x", computed),
                    String.format("0x%016x", stored), null));
        }
        if (h.noChecksum()) {
            if (post != 0) {
                problems.add(problem(name, trailerAt, "LTX trailer", "post-apply checksum", "0 (the NoChecksum flag is set)",
                        String.format("0x%016x", post), null));
            }
        } else if (post == 0 || (post & LtxHeader.CHECKSUM_FLAG) == 0) {
            problems.add(problem(name, trailerAt, "LTX trailer", "post-apply checksum", "a checksum with bit 63 set",
                    String.format("0x%016x", post), null));
        } else if (trackDb && post != dbChecksum) {
            problems.add(problem(name, trailerAt, "LTX trailer", "post-apply checksum",
                    String.format("0x%016x (the snapshot's pages)", dbChecksum), String.format("0x%016x", post), null));
        }
        if (index != null) {
            if (index.size() != frames.size()) {
                problems.add(problem(name, indexAt, "LTX page index", "entries", Integer.toString(frames.size()) + " (one per page)",
                        Integer.toString(index.size()), null));
            } else {
                List<Frame> sorted = new ArrayList<>(frames);
                sorted.sort(java.util.Comparator.comparingLong(f -> Integer.toUnsignedLong(f.pageNumber())));
                for (int i = 0; i < index.size(); i++) {
                    IndexEntry e = index.get(i);
                    Frame f = sorted.get(i);
                    if (e.pageNumber() != Integer.toUnsignedLong(f.pageNumber()) || e.offset() != f.offset() || e.size() != f.size()) {
                        problems.add(problem(name, indexAt, "LTX page index", "entry " + i + " (page, offset, size)",
                                Integer.toUnsignedLong(f.pageNumber()) + ", " + f.offset() + ", " + f.size() + " (the page frame)",
                                e.pageNumber() + ", " + e.offset() + ", " + e.size(), null));
                        break;
                    }
                }
            }
        }
        return new LtxFile(name, h, enc, frames, index, post, stored, computed, trackDb ? dbChecksum : 0, problems, b.length);
    }

    /** The page index ending at {@code trailerAt}, or {@code null} when the bytes are not one. */
    static List<IndexEntry> parseIndex(byte[] b, int trailerAt) {
        if (trailerAt - 8 < LtxHeader.SIZE) {
            return null;
        }
        long n = getLong(b, trailerAt - 8);
        int end = trailerAt - 8;
        if (n < 1 || n > end - LtxHeader.SIZE) {
            return null;
        }
        int p = end - (int) n;
        List<IndexEntry> out = new ArrayList<>();
        long[] v = new long[1];
        while (true) {
            p = uvarint(b, p, end, v);
            if (p < 0) {
                return null;
            }
            if (v[0] == 0) {
                return p == end ? out : null;
            }
            long pgno = v[0];
            p = uvarint(b, p, end, v);
            if (p < 0) {
                return null;
            }
            long off = v[0];
            p = uvarint(b, p, end, v);
            if (p < 0) {
                return null;
            }
            out.add(new IndexEntry(pgno, off, v[0]));
        }
    }

    /** Reads an unsigned LEB128 varint (Go's {@code binary.Uvarint}) at {@code p}; -1 when malformed. */
    static int uvarint(byte[] b, int p, int end, long[] out) {
        long x = 0;
        for (int shift = 0, i = 0; i < 10; i++, shift += 7) {
            if (p >= end) {
                return -1;
            }
            int c = b[p++] & 0xFF;
            if (i == 9 && c > 1) {
                return -1;
            }
            x |= (long) (c & 0x7F) << shift;
            if (c < 0x80) {
                out[0] = x;
                return p;
            }
        }
        return -1;
    }

    private static byte[] inflateBlock(byte[] b, int from, int to, String name, LtxHeader h) throws IOException {
        // Bound: every page of the commit plus headers and terminator; never more than LZ4 allows.
        long bound = Math.min((long) (to - from) * ReplicaFiles.MAX_RATIO + 65536,
                (Integer.toUnsignedLong(h.commit()) + 1) * (Integer.toUnsignedLong(h.pageSize()) + 4) + 4);
        bound = Math.min(bound, Integer.MAX_VALUE - 64);
        try (InputStream in = new ByteArrayInputStream(b, from, to - from)) {
            return Lz4Frames.decompress(in, bound, name);
        }
    }

    static int getInt(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    static int getIntLE(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    static long getLong(byte[] b, int p) {
        return (long) getInt(b, p) << 32 | Integer.toUnsignedLong(getInt(b, p + 4));
    }

    /** A rule this file breaks, in walkit's one problem type (code {@link ReplicaProblem.Code#BAD_LTX}). */
    private static io.walkit.io.Problem problem(String name, long offset, String structure, String field, String expected,
            String found, String detail) {
        return ReplicaProblem.of(ReplicaProblem.Code.BAD_LTX, ReplicaProblem.Severity.ERROR, name,
                new io.walkit.io.Problem.Position.FileOffset(offset), structure, field, expected, found, detail);
    }
}
