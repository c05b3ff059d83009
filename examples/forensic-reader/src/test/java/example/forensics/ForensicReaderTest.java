package example.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.db.Evidence;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForensicReaderTest {

    @Test
    void walkitIsUsedThroughTheModulePath() {
        assertTrue(Evidence.class.getModule().isNamed(), "walkit is a named module");
        assertEquals("io.walkit.db", Evidence.class.getModule().getName());
        assertTrue(ForensicReader.class.getModule().isNamed());
    }

    @Test
    void readsTheRealPagesEvidenceWithoutTouchingIt(@TempDir Path dir) throws Exception {
        Path source = Path.of(System.getProperty("walkit.testdata"), "sim");
        Path db = dir.resolve("real-pages.db");
        Files.copy(source.resolve("real-pages.db"), db);
        Files.copy(source.resolve("real-pages.db-wal"), dir.resolve("real-pages.db-wal"));
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
