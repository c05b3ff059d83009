package io.walkit.forensics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where an export came from: walkit's version and the SHA-256 and size of every input file, read
 * read-only when the provenance is taken. Immutable and thread-safe.
 *
 * @param walkitVersion walkit's version string (e.g. {@code "0.1.0-SNAPSHOT"})
 * @param inputs        the input files in the order given
 */
public record Provenance(String walkitVersion, List<Input> inputs) {

    /**
     * One input file.
     *
     * @param role   what the file was to the export ({@code "database"}, {@code "wal"}, {@code "journal"})
     * @param path   the path as given
     * @param size   its size in bytes when hashed
     * @param sha256 the SHA-256 of its bytes, lower-case hex
     */
    public record Input(String role, String path, long size, String sha256) {}

    /** Canonical constructor; copies the list. */
    public Provenance {
        inputs = List.copyOf(inputs);
    }

    /**
     * Hashes each file of {@code paths} (null entries are skipped), naming it with the role at the
     * same position of {@code roles}.
     *
     * @throws IOException when a file cannot be read
     * @param paths the files (null entries skipped)
     * @param roles each file's role
     * @param walkitVersion walkit's version
     * @return the result described above
     */
    public static Provenance of(String walkitVersion, List<String> roles, List<Path> paths) throws IOException {
        List<Input> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Path p = paths.get(i);
            if (p != null) {
                long[] size = new long[1];
                String sha = sha256(p, size);
                out.add(new Input(roles.get(i), p.toString(), size[0], sha));
            }
        }
        return new Provenance(walkitVersion, out);
    }

    /**
     * The SHA-256 of {@code file}'s bytes (lower-case hex); its size goes to {@code size[0]}.
     *
     * @param file the file
     * @param size receives the file's size in size[0]
     * @return the result described above
     * @throws java.io.IOException on an I/O error
     */
    public static String sha256(Path file, long[] size) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        long n = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            int r;
            while ((r = ch.read(buf)) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
                n += r;
            }
        }
        size[0] = n;
        return HexFormat.of().formatHex(md.digest());
    }
}
