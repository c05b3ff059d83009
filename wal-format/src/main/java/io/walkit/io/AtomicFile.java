package io.walkit.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either nothing (or the old file) or the complete new one: a
 * temporary file in the target's directory is written and fsynced, renamed onto the target
 * atomically, and the directory is fsynced (best effort). On failure the temporary file is removed
 * and the target is untouched. Stateless and thread-safe.
 */
public final class AtomicFile {

    private AtomicFile() {}

    /** Writes the content of a new file into an open channel (positioned at 0, empty). */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the file's bytes.
         *
         * @param channel the temporary file, open for writing; not to be closed by the callee
         * @throws IOException on a write error
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code target} with {@code content}.
     *
     * @param target    the file to write
     * @param overwrite whether an existing {@code target} may be replaced; when false an existing
     *                  file is never modified
     * @param content   writes the bytes
     * @throws IOException                on an I/O error (the target is then unchanged)
     * @throws FileAlreadyExistsException if {@code target} exists and {@code overwrite} is false
     */
    public static void write(Path target, boolean overwrite, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        if (!overwrite && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(ch);
                ch.force(true);
            }
            if (overwrite) {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Directory fsync is not supported everywhere; the rename itself is already atomic.
        }
    }
}
