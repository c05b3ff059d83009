package io.walkit.bench;

import java.io.IOException;
import java.nio.file.Path;

/** Resolves a benchmark's input: an explicit file, or a cached {@link SyntheticWal}. */
final class BenchFiles {

    private BenchFiles() {}

    /**
     * @param file     a WAL path, or empty for a synthetic file
     * @param sizeMiB  synthetic size in MiB (ignored for an explicit file)
     * @param pageSize synthetic page size (ignored for an explicit file)
     */
    static Path resolve(String file, String sizeMiB, String pageSize) throws IOException {
        if (file != null && !file.isEmpty()) {
            return Path.of(file);
        }
        return SyntheticWal.cached(Long.parseLong(sizeMiB) << 20, Integer.parseInt(pageSize));
    }
}
