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
 * header); {@value #EXIT_IO} I/O error (missing file, unreadable); {@value #EXIT_INTERNAL} internal error
 * (a walkit bug, never reported as success). Errors are one line on stderr.
 */
@Command(name = "walkit", mixinStandardHelpOptions = true, versionProvider = Walkit.Version.class,
        description = "Reads, verifies and simulates SQLite's WAL, wal-index (-shm) and database files without SQLite.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:readable input, no problems",
                "1:input read, problems found (db check, shm info errors, skipped damage)",
                "2:usage error",
                "3:corrupt input (e.g. damaged WAL header)",
                "4:I/O error (missing or unreadable file)",
                "70:internal error: a walkit bug (please report it with the command line)"},
        subcommands = HelpVerbCommand.class, usageHelpAutoWidth = true)
public final class Walkit implements Runnable {

    /** Created by picocli for each run. */
    public Walkit() {}

    /** Exit code: success, readable input, no problems. */
    public static final int EXIT_OK = 0;
    /** Exit code: problems found (a check, a verify, a restore refused past a gap). */
    public static final int EXIT_PROBLEMS = 1;
    /** Exit code: a usage error (unknown option, missing argument, an output that exists). */
    public static final int EXIT_USAGE = 2;
    /** Exit code: the input is corrupt (a structural impossibility). */
    public static final int EXIT_CORRUPT = 3;
    /** Exit code: an I/O error (missing file, no permission). */
    public static final int EXIT_IO = 4;
    /** A walkit bug (an unexpected exception): never reported as success. */
    public static final int EXIT_INTERNAL = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (wal, shm, db, sim, shadow, litestream, ltx, scan)");
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
        GROUPS.put("journal", JournalCommand::new);
        GROUPS.put("sim", SimCommand::new);
        GROUPS.put("shadow", ShadowCommand::new);
        GROUPS.put("litestream", LitestreamCommand::new);
        GROUPS.put("ltx", LtxCommand::new);
        GROUPS.put("scan", ScanCommand::new);
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
        joinDescriptions(cl);
        cl.setUsageHelpAutoWidth(true);
        cl.setUsageHelpLongOptionsMaxWidth(30);
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

    /**
     * Joins multi-line descriptions into one paragraph: picocli lists only the first line in a
     * command list, which cut sentences in half; one paragraph is wrapped to the width instead.
     */
    private static void joinDescriptions(CommandLine cl) {
        String[] d = cl.getCommandSpec().usageMessage().description();
        if (d.length > 1) {
            cl.getCommandSpec().usageMessage().description(String.join(" ", d).replaceAll("\\s+", " ").strip());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            joinDescriptions(sub);
        }
    }

    /**
     * The whole command tree (every group registered), for tools that describe it: man pages and
     * shell completion in the distribution build. Output goes nowhere.
     *
     * @return a new command line; not thread-safe, owned by the caller
     */
    public static CommandLine fullCommandLine() {
        PrintWriter none = new PrintWriter(java.io.Writer.nullWriter());
        return commandLine(none, none, null);
    }

    /**
     * Runs walkit with {@code args} on the given streams (for tests and embedding).
     *
     * @param out where reports go; flushed before returning
     * @param err where errors go; flushed before returning
     * @param args the command line, without the program name
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, true, args);
    }

    /** Runs walkit; {@code fastPath} false always builds picocli's model (tests compare both ways). */
    static int execute(PrintWriter out, PrintWriter err, boolean fastPath, String... args) {
        java.util.OptionalInt fast = fastPath ? FastPath.tryRun(out, err, args) : java.util.OptionalInt.empty();
        int code = fast.isPresent() ? fast.getAsInt()
                : commandLine(out, err, args.length > 0 ? args[0] : null).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Runs walkit and exits the JVM with its exit code; the same as {@link Main#main}, which the
     * jar and the launchers start (it loads no picocli class when the fast path runs).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Main.main(args);
    }

    /**
     * Reports the version, the git commit it was built from and the SQLite versions the tests ran
     * against, from {@code build-info.properties} (written by the build; see cli/src/build/build-info.sh).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (var in = Walkit.class.getResourceAsStream("build-info.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                    "walkit " + p.getProperty("version", "(unknown version: built without build-info)"),
                    "git commit " + p.getProperty("commit", "unknown"),
                    "tested against SQLite " + p.getProperty("sqlite3", "unknown") + " (sqlite3 CLI) and "
                            + p.getProperty("sqliteJdbc", "unknown") + " (sqlite-jdbc)"};
        }
    }
}
