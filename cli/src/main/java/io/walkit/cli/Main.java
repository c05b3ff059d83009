package io.walkit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * The process entry point of the {@code walkit} command (the jar's {@code Main-Class} and the
 * class the launchers start): tries {@link FastPath} first and hands everything else to
 * {@link Walkit}'s picocli command line.
 *
 * <p>Why a class of its own: the launcher validates the main class by reflection over its public
 * methods, and {@link Walkit}'s signatures and handlers name picocli types, so starting at
 * {@link Walkit} loads and verifies picocli's largest classes even when the fast path runs. This
 * class names none (docs/performance.md, "Start-up").
 *
 * <p>Not instantiable; {@link #main} ends the process.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs walkit with {@code args} on standard output and error and ends the process with the exit
     * code of {@link Walkit} (0 ok, 1 problems, 2 usage, 3 corrupt input, 4 I/O error, 70 internal
     * error).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        OptionalInt fast = FastPath.tryRun(out, err, args);
        int code;
        if (fast.isPresent()) {
            code = fast.getAsInt();
            out.flush();
            err.flush();
        } else {
            code = Walkit.execute(out, err, false, args);
        }
        System.exit(code);
    }
}
