package io.walkit.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code walkit} command line: forensic reading of SQLite WAL, wal-index and database files.
 *
 * <p>Exit codes (shared by every verb): {@value #EXIT_OK} readable input / no problems;
 * {@value #EXIT_PROBLEMS} the input was read and problems were found (e.g. {@code db check});
 * {@value #EXIT_USAGE} usage error; {@value #EXIT_CORRUPT} corrupt input (e.g. a damaged WAL
 * header); {@value #EXIT_IO} I/O error (missing file, unreadable). Errors are one line on stderr.
 */
@Command(name = "walkit", mixinStandardHelpOptions = true, versionProvider = Walkit.Version.class,
        description = "Reads, verifies and simulates SQLite's WAL, wal-index (-shm) and database files without SQLite.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:readable input, no problems",
                "1:input read, problems found (db check)",
                "2:usage error",
                "3:corrupt input (e.g. damaged WAL header)",
                "4:I/O error (missing or unreadable file)"})
public final class Walkit implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_PROBLEMS = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CORRUPT = 3;
    public static final int EXIT_IO = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (wal, shm, db, sim, shadow, litestream, ltx)");
    }

    /**
     * The command groups, in help order. They are registered programmatically rather than through
     * {@code @Command(subcommands=...)}: picocli builds each command's model by reflection, which
     * dominated the start-up of a short run, so a run registers only the group it names.
     */
    private static final Map<String, Supplier<Object>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("wal", WalCommand::new);
        GROUPS.put("shm", ShmCommand::new);
        GROUPS.put("db", DbCommand::new);
        GROUPS.put("sim", SimCommand::new);
        GROUPS.put("shadow", ShadowCommand::new);
        GROUPS.put("litestream", LitestreamCommand::new);
        GROUPS.put("ltx", LtxCommand::new);
    }

    /**
     * Builds the command line for a run whose first argument is {@code group}: only that group is
     * registered when it names one, every group otherwise (help, typos, no arguments).
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String group) {
        CommandLine cl = new CommandLine(new Walkit());
        boolean one = group != null && GROUPS.containsKey(group);
        GROUPS.forEach((name, factory) -> {
            if (!one || name.equals(group)) {
                cl.addSubcommand(name, factory.get());
            }
        });
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new Errors());
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("walkit: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return EXIT_USAGE;
        });
        return cl;
    }

    /** Runs walkit with {@code args} on the given streams and returns the exit code (for tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        int code = commandLine(out, err, args.length > 0 ? args[0] : null).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8);
        System.exit(execute(out, err, args));
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Walkit.class.getPackage().getImplementationVersion();
            return new String[] {"walkit " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
