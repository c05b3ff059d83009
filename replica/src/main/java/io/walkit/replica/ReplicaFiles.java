package io.walkit.replica;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opens replica files for reading: tells an LZ4 frame, an age-encrypted file and raw bytes apart
 * by their first bytes, and bounds decompression by the file's real size.
 *
 * <p>age (the encryption Litestream v0.3 offers with {@code age-recipients}) starts with
 * {@code age-encryption.org/v1} (binary) or {@code -----BEGIN AGE ENCRYPTED FILE-----} (armored);
 * such files are reported as encrypted, never as corrupt. Stateless; thread-safe.
 */
public final class ReplicaFiles {

    /** How a replica file's bytes begin. */
    public enum Kind {
        /** An LZ4 frame (magic {@code 04 22 4d 18}). */
        LZ4,
        /** An age-encrypted file. */
        AGE,
        /** Anything else (a raw WAL, a database image, or garbage). */
        RAW,
        /** A zero-length file. */
        EMPTY
    }

    /** LZ4's worst case is about 255 output bytes per input byte; anything beyond is a bomb. */
    static final long MAX_RATIO = 256;

    private static final byte[] AGE_BINARY = "age-encryption.org/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AGE_ARMOR = "-----BEGIN AGE ENCRYPTED FILE-----".getBytes(StandardCharsets.US_ASCII);

    private ReplicaFiles() {}

    /**
     * Classifies the first bytes of {@code file}.
     *
     * @param file the file
     * @return classifies the first bytes of {@code file}
     * @throws IOException when the input cannot be read or parsed
     */
    public static Kind sniff(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(AGE_ARMOR.length);
        }
        return sniff(head);
    }

    /**
     * Classifies a file by its first bytes (at least 34 bytes when the file has them).
     *
     * @param head the head
     * @return classifies a file by its first bytes (at least 34 bytes when the file has them)
     */
    public static Kind sniff(byte[] head) {
        if (head.length == 0) {
            return Kind.EMPTY;
        }
        if (head.length >= 4 && (head[0] & 0xFF) == 0x04 && (head[1] & 0xFF) == 0x22 && (head[2] & 0xFF) == 0x4d
                && (head[3] & 0xFF) == 0x18) {
            return Kind.LZ4;
        }
        if (startsWith(head, AGE_BINARY) || startsWith(head, AGE_ARMOR)) {
            return Kind.AGE;
        }
        return Kind.RAW;
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        return head.length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * The most decompressed bytes accepted from a compressed file of {@code size} bytes.
     *
     * @param size the size
     * @return the most decompressed bytes accepted from a compressed file of {@code size} bytes
     */
    public static long decompressionLimit(long size) {
        return Math.min(Long.MAX_VALUE / 2, Math.max(size, 1) * MAX_RATIO + (1 << 16));
    }

    /**
     * Opens {@code file} for reading its logical bytes: decompressed when {@code compressed}
     * (bounded by {@link #decompressionLimit}), raw otherwise. The caller closes the stream.
     * @param file the file
     * @param size the size
     * @param compressed the compressed
     * @return {@code file} for reading its logical bytes: decompressed when {@code compressed} (bounded by {@link #decompressionLimit}), raw otherwise
     * @throws IOException when the input cannot be read or parsed
     */
    public static InputStream open(Path file, long size, boolean compressed) throws IOException {
        if (compressed) {
            return Lz4Frames.open(file, decompressionLimit(size));
        }
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }
}
