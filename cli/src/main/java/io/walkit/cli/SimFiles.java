package io.walkit.cli;

import io.walkit.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
            byte[] bytes = e.getValue();
            AtomicFile.write(target, true, ch -> {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            });
            sb.append("wrote ").append(target).append(" (").append(e.getValue().length).append(" bytes)\n");
        }
        return sb.toString();
    }
}
