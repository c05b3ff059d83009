package io.walkit.replica;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared/corpora} beside the project root; null when absent (fresh clone). */
final class SharedCorpora {

    static final String SKIP_MESSAGE = "../shared/corpora not found beside the project root; skipping corpus test";

    private SharedCorpora() {}

    static Path path(String... parts) {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; dir != null && up < 4; up++, dir = dir.getParent()) {
            Path corpora = dir.resolveSibling("shared").resolve("corpora");
            if (Files.isDirectory(dir.resolve(".mvn")) && Files.isDirectory(corpora)) {
                Path p = corpora;
                for (String part : parts) {
                    p = p.resolve(part);
                }
                return Files.exists(p) ? p : null;
            }
        }
        return null;
    }
}
