package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.Corrupt;
import io.walkit.testkit.WalSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The fast path must be indistinguishable from picocli's, and must decline what it does not know. */
class FastPathTest {

    @TempDir
    Path dir;

    private static CliRun run(boolean fast, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Walkit.execute(new PrintWriter(out), new PrintWriter(err), fast, args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private List<String[]> argumentLists() throws Exception {
        Path good = dir.resolve("good.db-wal");
        Files.write(good, WalSpec.pageSize(1024).salts(1, 2).commit(2, 1, 2).commit(3, 3).build());
        Path badHeader = dir.resolve("bad.db-wal");
        byte[] bad = WalSpec.pageSize(1024).salts(1, 2).commit(2, 1, 2).build();
        Files.write(badHeader, Corrupt.flip(bad, 4));
        Path empty = dir.resolve("empty.db-wal");
        Files.write(empty, new byte[0]);
        String g = good.toString();
        String missing = dir.resolve("missing.db-wal").toString();
        List<String[]> lists = new ArrayList<>();
        for (String f : new String[] {g, badHeader.toString(), empty.toString(), missing, dir.toString()}) {
            lists.add(new String[] {"wal", "info", f});
            lists.add(new String[] {"wal", "info", "--json", f});
            lists.add(new String[] {"wal", "info", f, "--json"});
        }
        // Forms the fast path must leave to picocli (usage errors, help, argfiles, end of options).
        lists.add(new String[] {"wal", "info", "--json", "--json", g});
        lists.add(new String[] {"wal", "info", g, g});
        lists.add(new String[] {"wal", "info", "--json"});
        lists.add(new String[] {"wal", "info", "--jso", g});
        lists.add(new String[] {"wal", "info", "--json=true", g});
        lists.add(new String[] {"wal", "info", "-h"});
        lists.add(new String[] {"wal", "info", "--help", g});
        lists.add(new String[] {"wal", "info", "--", g});
        lists.add(new String[] {"wal", "info", "@" + dir.resolve("args.txt"), g});
        lists.add(new String[] {"wal", "info", ""});
        lists.add(new String[] {"wal", "info", "-", g});
        lists.add(new String[] {"wal", "frames", g});
        return lists;
    }

    @Test
    void everyFormGivesPicoclisOutputAndExitCode() throws Exception {
        for (String[] args : argumentLists()) {
            CliRun fast = run(true, args);
            CliRun slow = run(false, args);
            String what = String.join(" ", args);
            assertEquals(slow.code(), fast.code(), what + "\nfast: " + fast + "\npicocli: " + slow);
            assertEquals(slow.out(), fast.out(), what);
            assertEquals(slow.err(), fast.err(), what);
        }
    }

    @Test
    void takesThePlainFormsAndDeclinesTheRest() throws Exception {
        Path good = dir.resolve("x.db-wal");
        Files.write(good, WalSpec.pageSize(1024).salts(1, 2).commit(2, 1).build());
        StringWriter out = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        assertTrue(FastPath.tryRun(o, o, new String[] {"wal", "info", good.toString(), "--json"}).isPresent());
        for (String[] declined : new String[][] {{"wal", "info", "-h"}, {"wal", "info", "--", good.toString()},
                {"wal", "info", "--json", "--json", good.toString()}, {"wal", "info"}, {"db", "info", good.toString()}}) {
            StringWriter w = new StringWriter();
            PrintWriter p = new PrintWriter(w);
            assertFalse(FastPath.tryRun(p, p, declined).isPresent(), String.join(" ", declined));
            p.flush();
            assertEquals("", w.toString(), "a declined form writes nothing");
        }
    }

    /**
     * The fast path knows {@code wal info}'s options by hand; when picocli's definition changes,
     * this fails so that {@link FastPath} is updated with it.
     */
    @Test
    void fastVerbsStillHaveTheOptionsTheFastPathKnows() {
        CommandLine cl = Walkit.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "wal");
        CommandLine.Model.CommandSpec info = cl.getSubcommands().get("wal").getSubcommands().get("info").getCommandSpec();
        Set<String> names = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o : info.options()) {
            names.addAll(List.of(o.names()));
            if (o.longestName().equals("--json")) {
                assertEquals(0, o.arity().max(), "--json takes no value");
            }
        }
        assertEquals(Set.of("--json", "-h", "--help", "-V", "--version"), names);
        assertEquals(1, info.positionalParameters().size());
        assertEquals(1, info.positionalParameters().get(0).arity().max());
    }
}
