package io.walkit.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the shared corpora directory ({@code ../shared/corpora} next to the project root) by
 * walking up from the working directory; tests skip with a message when it is absent.
 */
public final class SharedCorpora {

    private SharedCorpora() {}

    /** {@code shared/corpora}, if some ancestor of the working directory has a {@code shared} sibling holding it. */
    public static Optional<Path> find() {
        Path dir = Path.of("").toAbsolutePath();
        for (; dir != null; dir = dir.getParent()) {
            Path c = dir.resolveSibling("shared").resolve("corpora");
            if (dir.getParent() != null && Files.isDirectory(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The message tests skip with. */
    public static final String ABSENT = "../shared/corpora not found next to the project root; skipping corpus test";
}
