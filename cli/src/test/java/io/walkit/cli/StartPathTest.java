package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.WalSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The start-up path of a walkit process (docs/performance.md, "Start-up"): the verb table the
 * launchers read names real verbs with known settings, and the entry point and the fast AOT
 * training load no picocli class when the fast path runs (a picocli class in the fast cache or on
 * the fast path costs every {@code wal info} process its loading and verification).
 */
class StartPathTest {

    @TempDir
    Path dir;

    /** One line of bin/lib/verbs.conf. */
    private record VerbLine(String jit, String cache, List<String> words, int lineNumber) {
    }

    private static List<VerbLine> verbTable() throws IOException {
        Path conf = Path.of("../bin/lib/verbs.conf");
        assertTrue(Files.isRegularFile(conf), "bin/lib/verbs.conf not found from " + Path.of("").toAbsolutePath());
        List<VerbLine> lines = new ArrayList<>();
        List<String> all = Files.readAllLines(conf, StandardCharsets.UTF_8);
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split("\\s+");
            assertTrue(w.length >= 3, "line " + (i + 1) + ": jit, cache and at least one word: " + line);
            lines.add(new VerbLine(w[0], w[1], List.of(w).subList(2, w.length), i + 1));
        }
        return lines;
    }

    @Test
    void verbTableNamesRealVerbsWithKnownSettings() throws IOException {
        List<VerbLine> table = verbTable();
        assertFalse(table.isEmpty());
        CommandLine root = Walkit.fullCommandLine();
        Set<String> seen = new HashSet<>();
        for (VerbLine v : table) {
            String where = "verbs.conf line " + v.lineNumber() + " " + v.words();
            assertTrue(Set.of("quick", "c1", "c2").contains(v.jit()), where + ": jit must be quick, c1 or c2, found " + v.jit());
            assertTrue(Set.of("fast", "full").contains(v.cache()), where + ": cache must be fast or full, found " + v.cache());
            assertTrue(seen.add(String.join(" ", v.words())), where + ": listed twice (only the first line would count)");
            if (v.words().equals(List.of("*"))) {
                continue;
            }
            // The launchers compare at most the first two words.
            assertTrue(v.words().size() <= 2, where + ": the launchers match one or two words");
            CommandLine cl = root;
            for (String word : v.words()) {
                cl = cl.getSubcommands().get(word);
                assertTrue(cl != null, where + ": no such walkit verb");
            }
        }
        VerbLine last = table.getLast();
        assertEquals(List.of("*"), last.words(), "the last line must be the catch-all '*'");
        for (VerbLine v : table.subList(0, table.size() - 1)) {
            assertFalse(v.words().contains("*"), "verbs.conf line " + v.lineNumber() + ": '*' only on the last line");
        }
    }

    @Test
    void fastCacheOnlyForVerbsTheFastPathRuns() throws IOException {
        // The fast cache holds no picocli class: a verb that goes through picocli would load all of
        // picocli from the jar and verify it, slower than with the full cache.
        for (VerbLine v : verbTable()) {
            if (v.cache().equals("fast")) {
                assertEquals(List.of("wal", "info"), v.words(),
                        "verbs.conf line " + v.lineNumber() + ": the fast cache serves only FastPath's verbs");
            }
        }
    }

    @Test
    void mainLoadsNoPicocliClassOnTheFastPath() throws Exception {
        Path wal = dir.resolve("a.db-wal");
        Files.write(wal, WalSpec.pageSize(1024).salts(1, 2).commit(2, 1, 2).build());
        Run r = java("io.walkit.cli.Main", "wal", "info", "--json", wal.toString());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("\"mxFrame\":2"), r.output());
        assertFalse(r.output().contains(" picocli."), "picocli loaded on the fast path:\n" + picocliLines(r.output()));
        assertTrue(r.output().contains(" io.walkit.cli.Main "), "class loading was not logged:\n" + r.output());
        // The control: the same process through picocli (help) does load it.
        Run help = java("io.walkit.cli.Main", "wal", "info", "--help");
        assertEquals(0, help.code(), help.output());
        assertTrue(help.output().contains(" picocli.CommandLine "), help.output());
    }

    @Test
    void fastTrainingLoadsNoPicocliClass() throws Exception {
        Path testdata = Path.of("../testdata").toAbsolutePath().normalize();
        Run r = java("io.walkit.cli.AotTraining", "fast", testdata.toString());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains(" io.walkit.cli.WalInfoCommand "), "the training did not run wal info:\n" + r.output());
        assertTrue(r.output().contains(" io.walkit.cli.Main "), "the entry point is not in the training:\n" + r.output());
        assertFalse(r.output().contains(" picocli."), "picocli loaded by the fast training:\n" + picocliLines(r.output()));
    }

    private record Run(int code, String output) {
    }

    /** Runs {@code mainClass} in a new JVM on this test's class path, logging class loading to stdout. */
    private Run java(String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xlog:class+load=info:stdout");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Path log = dir.resolve("jvm-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "JVM did not finish: " + cmd);
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String picocliLines(String output) {
        StringBuilder sb = new StringBuilder();
        output.lines().filter(l -> l.contains(" picocli.")).limit(10).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
