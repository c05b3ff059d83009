package io.walkit.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Runs the plainest forms of the most frequent verbs without building picocli's command model.
 *
 * <p>Why: picocli builds its model by reflection over the command classes' annotations (dynamic
 * proxies for every annotation type, generated at run time and never in the AOT cache), which
 * costs more than the whole rest of a run on a small file: measured with the AOT cache, a whole
 * {@code wal info} process took about 0.29 s of CPU through picocli against 0.13 s without it, and
 * 0.10 s for a bare JVM (benchmarks/RESULTS.md, "Start-up"). A loop over thousands of WALs pays it
 * for every file.
 *
 * <p>The picocli model stays the one definition of every verb: this class accepts only argument
 * lists that picocli would parse to the same field values, and declines everything else (help,
 * {@code --}, {@code @argfiles}, unknown or repeated options, a missing or extra positional, any
 * argument starting with {@code -} that it does not know), which then goes through picocli as
 * before, usage errors and all. {@code FastPathTest} runs every form through both and compares
 * output and exit code, and fails when a fast verb's picocli options change.
 *
 * <p>Forms handled: {@code wal info [--json] FILE} (options in any order).
 *
 * <p>Stateless; thread-safe. Writes to the given streams and does not close them.
 */
final class FastPath {

    private FastPath() {
    }

    /**
     * Runs {@code args} when they are one of the forms above and returns the exit code; returns
     * empty, having written nothing, when picocli must handle them.
     */
    static OptionalInt tryRun(PrintWriter out, PrintWriter err, String[] args) {
        if (args.length >= 3 && args[0].equals("wal") && args[1].equals("info")) {
            return walInfo(out, err, args);
        }
        return OptionalInt.empty();
    }

    private static OptionalInt walInfo(PrintWriter out, PrintWriter err, String[] args) {
        WalInfoCommand cmd = new WalInfoCommand();
        String file = null;
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json") && !cmd.json) {
                cmd.json = true;
            } else if (file == null && plainPositional(a)) {
                file = a;
            } else {
                return OptionalInt.empty();
            }
        }
        if (file == null) {
            return OptionalInt.empty();
        }
        try {
            cmd.file = Path.of(file);
        } catch (InvalidPathException e) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(cmd.run(out));
        } catch (Exception e) {
            return OptionalInt.of(Errors.report(e, err));
        }
    }

    /** A positional argument picocli takes verbatim: not empty, not an option, not an @argfile. */
    private static boolean plainPositional(String a) {
        return !a.isEmpty() && a.charAt(0) != '-' && a.charAt(0) != '@';
    }
}
