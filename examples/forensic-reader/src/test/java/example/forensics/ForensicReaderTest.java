package example.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForensicReaderTest {

    /** Copies the real-pages evidence (a database and its WAL of five commits) into {@code dir}. */
    private static Path evidence(Path dir) throws Exception {
        Path source = Path.of(System.getProperty("walkit.testdata"), "sim");
        Path db = dir.resolve("real-pages.db");
        Files.copy(source.resolve("real-pages.db"), db);
        Files.copy(source.resolve("real-pages.db-wal"), dir.resolve("real-pages.db-wal"));
        return db;
    }

    @Test
    void runsAsAModuleOnTheModulePath(@TempDir Path dir) throws Exception {
        // The program and walkit's jars (not the test libraries) as a module path; the JVM resolves
        // example.forensics -> io.walkit.db -> io.walkit.wal and refuses any use of an unexported package.
        String modulePath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("test-classes") && !e.contains("junit") && !e.contains("opentest4j")
                        && !e.contains("apiguardian"))
                .collect(Collectors.joining(File.pathSeparator));
        Path db = evidence(dir);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath, "--module", "example.forensics/example.forensics.ForensicReader", db.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("walkit: module io.walkit.db"), "walkit is the named module io.walkit.db\n" + out);
        assertTrue(out.contains("(WAL commit 5 of 5)"), out);
    }

    @Test
    void readsTheRealPagesEvidenceWithoutTouchingIt(@TempDir Path dir) throws Exception {
        Path db = evidence(dir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ForensicReader.report(db, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertTrue(out.contains("evidence: " + db + " (WAL commit 5 of 5)"), out);
        assertTrue(out.contains("table t [id, v]: "), out);
        assertTrue(out.contains("commit 0: t=40"), "the database file alone holds the 40 initial rows\n" + out);
        assertTrue(out.contains("integrity: ok"), out);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("real-pages.db", "real-pages.db-wal"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no -shm or journal created");
        }
    }
}
