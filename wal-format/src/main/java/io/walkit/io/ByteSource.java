package io.walkit.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A read-only, positional view of a file's bytes: a read-only memory mapping of a file (any size,
 * including files over 2 GiB) or a heap array.
 *
 * <p>All reads take an absolute {@code long offset} from the start of the file. Out-of-range reads
 * throw {@link IndexOutOfBoundsException}; format code checks bounds against {@link #size()} first
 * and reports a {@link CorruptFileException} instead, so that exception means a walkit bug.
 *
 * <p>Opening a file never creates, modifies or locks anything next to it: the channel is opened
 * with {@link StandardOpenOption#READ} only. A mapped file's channel stays open until {@link #close()}
 * so that {@link #read(long, ByteBuffer)} can read the same bytes with positional reads ({@code pread})
 * instead of through the mapping: one pass over a large file costs about half the CPU that way (no
 * page-table work, no mapped pages in the resident set; {@code benchmarks/RESULTS.md}, issue 13).
 *
 * <p>Thread safety: reads (through the segment or {@link #read}) may run on several threads at once;
 * {@link #close()} must not race with them. Whoever opens a source closes it. As with any
 * {@link FileChannel}, interrupting a thread blocked in {@link #read} closes the channel: later
 * {@code read} calls on the source then fail with {@link java.nio.channels.ClosedChannelException}
 * (the segment stays readable).
 */
public final class ByteSource implements AutoCloseable {

    /** Big-endian unaligned 32-bit int, the byte order of every SQLite on-disk integer. */
    public static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Little-endian unaligned 32-bit int. */
    public static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Big-endian unaligned 16-bit short. */
    public static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Little-endian unaligned 16-bit short. */
    public static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Big-endian unaligned 64-bit long. */
    public static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Little-endian unaligned 64-bit long. */
    public static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final Path path;
    private final MemorySegment segment;
    private final Arena arena;
    /** The mapped file's channel, open until {@link #close()}; {@code null} for other sources. */
    private final FileChannel channel;

    private ByteSource(String name, Path path, MemorySegment segment, Arena arena) {
        this(name, path, segment, arena, null);
    }

    private ByteSource(String name, Path path, MemorySegment segment, Arena arena, FileChannel channel) {
        this.name = name;
        this.path = path;
        this.segment = segment;
        this.arena = arena;
        this.channel = channel;
    }

    /**
     * Maps {@code file} read-only. The mapping stays valid until {@link #close()}.
     *
     * @throws IOException if the file cannot be opened or mapped
     * @param file the file to read; a pipe, FIFO or device is read fully into memory instead
     * @return a source that owns the mapping; close it when done
     */
    public static ByteSource map(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (java.nio.file.Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "is a directory");
        }
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isRegularFile(file)) {
            return readStream(file);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size == 0) {
                channel.close();
                return new ByteSource(file.toString(), file, MemorySegment.ofArray(new byte[0]), null);
            }
            Arena arena = Arena.ofShared();
            try {
                MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                return new ByteSource(file.toString(), file, segment, arena, channel);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The most bytes read from a pipe, FIFO or device ({@code /dev/stdin}, process substitution):
     * system property {@code walkit.maxStreamBytes}, default 1 GiB. Larger inputs are refused;
     * they must be copied to a regular file (which is mapped, whatever its size).
     *
     * @return the limit in bytes
     */
    public static long maxStreamBytes() {
        return Long.getLong("walkit.maxStreamBytes", 1L << 30);
    }

    /**
     * Reads a non-regular file (pipe, FIFO, character device) fully into memory: such a file has no
     * size to map, and mapping it would show an empty file that was not empty.
     *
     * @throws IOException if it holds more than {@link #maxStreamBytes()} bytes
     */
    private static ByteSource readStream(Path file) throws IOException {
        long cap = Math.min(maxStreamBytes(), Integer.MAX_VALUE - 16);
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file, StandardOpenOption.READ)) {
            byte[] bytes = in.readNBytes((int) cap);
            if (in.read() >= 0) {
                throw new java.nio.file.FileSystemException(file.toString(), null,
                        "a pipe or device with more than " + cap + " bytes (walkit reads such inputs into memory; "
                                + "copy it to a regular file, or raise -Dwalkit.maxStreamBytes)");
            }
            return new ByteSource(file.toString(), file, MemorySegment.ofArray(bytes).asReadOnly(), null);
        }
    }

    /**
     * Wraps {@code bytes} (not copied) under a display {@code name}.
     *
     * @param bytes the bytes; later changes to the array show through
     * @param name the name used in error messages
     * @return a heap source; closing it does nothing
     */
    public static ByteSource of(byte[] bytes, String name) {
        return new ByteSource(Objects.requireNonNull(name, "name"), null, MemorySegment.ofArray(bytes), null);
    }

    /**
     * Wraps an existing segment (not copied, not closed by this source) under a display {@code name}.
     *
     * @param segment the bytes; the caller keeps them alive and closes their arena
     * @param name the name used in error messages
     * @return a read-only view; closing it does not close {@code segment}
     */
    public static ByteSource of(MemorySegment segment, String name) {
        return new ByteSource(Objects.requireNonNull(name, "name"), null, segment.asReadOnly(), null);
    }

    /** {@return the name used in error messages: the path as given, or the name of a heap source} */
    public String name() {
        return name;
    }

    /** {@return the file this source maps or read, or {@code null} for a heap source} */
    public Path path() {
        return path;
    }

    /** {@return the number of bytes} */
    public long size() {
        return segment.byteSize();
    }

    /** {@return the underlying read-only segment, for bulk access by format code} */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * Unsigned byte at {@code offset}.
     *
     * @param offset the byte offset from the start of the source
     * @return the byte, 0..255
     */
    public int u8(long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /**
     * Unsigned big-endian 16-bit value at {@code offset}.
     *
     * @param offset the byte offset from the start of the source
     * @return the value, 0..65535
     */
    public int u16(long offset) {
        return segment.get(SHORT_BE, offset) & 0xFFFF;
    }

    /**
     * Big-endian 32-bit value at {@code offset}, as a Java int (unsigned values above 2^31 are negative).
     *
     * @param offset the byte offset from the start of the source
     * @return the value's 32 bits
     */
    public int i32(long offset) {
        return segment.get(INT_BE, offset);
    }

    /**
     * Unsigned big-endian 32-bit value at {@code offset}.
     *
     * @param offset the byte offset from the start of the source
     * @return the value, 0..2^32-1
     */
    public long u32(long offset) {
        return segment.get(INT_BE, offset) & 0xFFFF_FFFFL;
    }

    /**
     * 32-bit value at {@code offset} in the given byte order.
     *
     * @param offset the byte offset from the start of the source
     * @param order the byte order to read in
     * @return the value's 32 bits
     */
    public int i32(long offset, ByteOrder order) {
        return segment.get(order == ByteOrder.BIG_ENDIAN ? INT_BE : INT_LE, offset);
    }

    /**
     * Copies {@code length} bytes at {@code offset} into a new array.
     *
     * @param offset the byte offset from the start of the source
     * @param length the number of bytes
     * @return a new array holding a copy
     */
    public byte[] bytes(long offset, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, out, 0, length);
        return out;
    }

    /**
     * Copies {@code length} bytes at {@code offset} into {@code dst} at {@code dstOffset}.
     *
     * @param offset the byte offset from the start of the source
     * @param dst the array to fill
     * @param dstOffset the first index of {@code dst} written
     * @param length the number of bytes
     */
    public void copy(long offset, byte[] dst, int dstOffset, int length) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, length);
    }

    /**
     * Whether {@link #read(long, ByteBuffer)} reads from the file with positional reads (a mapped
     * regular file) rather than copying from {@link #segment()} (heap sources, pipes, empty files).
     *
     * @return true for a mapped file
     */
    public boolean readsFromFile() {
        return channel != null;
    }

    /**
     * Copies {@code dst.remaining()} bytes at {@code offset} into {@code dst} (advancing its position to
     * its limit): the same bytes as {@link #segment()} holds there. A mapped file is read with
     * positional reads ({@code pread}) into {@code dst} without touching the mapping, SQLite's own way
     * of reading a WAL; other sources are copied from the segment.
     *
     * @param offset byte offset in the file
     * @param dst the buffer to fill; a direct buffer avoids one copy inside the JDK
     * @throws IOException if reading fails, or the file is now shorter than when it was mapped
     * @throws IndexOutOfBoundsException if the range is outside {@code [0, size())}
     */
    public void read(long offset, ByteBuffer dst) throws IOException {
        long end = offset + dst.remaining();
        if (offset < 0 || end > segment.byteSize() || end < offset) {
            throw new IndexOutOfBoundsException("read of " + dst.remaining() + " bytes at " + offset + " in "
                    + segment.byteSize());
        }
        if (channel == null) {
            int n = dst.remaining();
            MemorySegment.copy(segment, offset, MemorySegment.ofBuffer(dst), 0, n);
            dst.position(dst.limit());
            return;
        }
        while (dst.hasRemaining()) {
            long at = end - dst.remaining();
            if (channel.read(dst, at) < 0) {
                throw new java.nio.file.FileSystemException(name, null, "file shrank while being read: end of file at "
                        + at + " (0x" + Long.toHexString(at) + "), mapped with " + segment.byteSize() + " bytes");
            }
        }
    }

    /**
     * {@return a read-only slice of {@code length} bytes at {@code offset}}
     *
     * @param offset the byte offset from the start of the source
     * @param length the number of bytes
     */
    public MemorySegment slice(long offset, long length) {
        return segment.asSlice(offset, length);
    }

    /** Unmaps a mapped file; a no-op for heap sources. Using the source afterwards throws. */
    @Override
    public void close() {
        try {
            if (arena != null) {
                arena.close();
            }
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // a read-only descriptor: nothing was written that closing could lose
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ByteSource[" + name + ", " + size() + " bytes]";
    }
}
