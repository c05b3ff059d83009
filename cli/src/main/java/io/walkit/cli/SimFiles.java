package io.walkit.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** Writes simulated files into an output folder: temp file, fsync, rename. */
final class SimFiles {

    private SimFiles() {}

    /**
     * Writes every entry of {@code files} under {@code dir} (created if missing), each through a
     * temp file, fsync and rename; refuses (usage error, before writing anything) to replace an
     * existing file unless {@code force}. Returns lines naming what was written.
     */
    static String writeAll(Path dir, Map<String, byte[]> files, boolean force) throws IOException {
        Files.createDirectories(dir);
        if (!force) {
            for (String name : files.keySet()) {
                if (Files.exists(dir.resolve(name))) {
                    throw new Errors.UsageException(dir.resolve(name) + " exists (use --force to overwrite)");
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String name = e.getKey();
            if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                throw new Errors.UsageException("refusing to write a file named '" + name + "' (no paths allowed)");
            }
            Path target = dir.resolve(name);
            Path tmp = dir.resolve("." + name + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(e.getValue());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            sb.append("wrote ").append(target).append(" (").append(e.getValue().length).append(" bytes)\n");
        }
        return sb.toString();
    }
}
