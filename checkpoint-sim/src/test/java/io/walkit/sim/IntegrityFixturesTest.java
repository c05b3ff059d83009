package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.db.IntegrityCheck;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies from the differential runs on which walkit's integrity check and SQLite's once disagreed
 * in wording (each with a sidecar note under resources io/walkit/sim/integrity-disagreements/).
 * Verdict and named pages must agree; SQLite must still say what the note records; walkit's problem
 * lines must equal SQLite's rows, in SQLite's order (without SQLite's final SQLITE_CORRUPT error).
 */
class IntegrityFixturesTest {

    /** Fixture, a row SQLite 3.50.x prints for it. */
    private static final List<String[]> FIXTURES = List.of(
            new String[] {"row-ordinal.db", "row 4 missing from index t_v"},
            new String[] {"row-level-after-btree-problems.db", "row 10 missing from index t_v"},
            new String[] {"btree-init-page-suffix.db", "Tree 2 page 6: btreeInitPage() returns error code 11"});

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> fixtures() {
        return FIXTURES.stream().flatMap(f -> Stream.of(
                DynamicTest.dynamicTest(f[0] + ": same verdict and pages", () -> {
                    IntegrityOracle.Judgement j = IntegrityOracle.judge(dir.resolve("v-" + f[0]), bytes(f[0]), null);
                    assertTrue(j.agree(), j.describe());
                    assertTrue(!j.sqlite().ok() && j.sqlite().lines().contains(f[1]), j.describe());
                }),
                DynamicTest.dynamicTest(f[0] + ": same problem lines", () -> {
                    IntegrityOracle.Judgement j = IntegrityOracle.judge(dir.resolve("w-" + f[0]), bytes(f[0]), null);
                    List<String> sqlite = new ArrayList<>();
                    for (String l : j.sqlite().lines()) {
                        if (!l.startsWith("error: ")) { // the statement's own SQLITE_CORRUPT: walkit has no such row
                            sqlite.add(l);
                        }
                    }
                    List<String> walkit = new ArrayList<>();
                    for (io.walkit.io.Problem p : j.walkit().report().problems()) {
                        walkit.add(p.text());
                    }
                    assertEquals(sqlite, walkit, j.describe());
                })));
    }

    private static byte[] bytes(String name) throws Exception {
        try (InputStream in = IntegrityFixturesTest.class.getResourceAsStream("integrity-disagreements/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }
}
