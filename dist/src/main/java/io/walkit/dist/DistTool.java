package io.walkit.dist;

import io.walkit.cli.Walkit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build-time tool of the distribution: writes the bash/zsh completion script and one AsciiDoc man
 * page per command (walkit, walkit-db, walkit-db-dump, ...) from the command tree itself, so they
 * never drift from the code. Not part of walkit's runtime; not thread-safe; a command-line tool.
 */
public final class DistTool {

    private DistTool() {}

    /**
     * Writes {@code OUT/completion/walkit} and {@code OUT/man-adoc/*.adoc}.
     *
     * @param args {@code OUT}, the distribution directory
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        CommandLine cl = Walkit.fullCommandLine();
        Path completion = Files.createDirectories(out.resolve("completion"));
        Files.writeString(completion.resolve("walkit"), AutoComplete.bash("walkit", cl), StandardCharsets.UTF_8);
        Path adoc = Files.createDirectories(out.resolve("man-adoc"));
        write(cl, "walkit", adoc);
    }

    private static void write(CommandLine cl, String name, Path dir) throws IOException {
        if (cl.getCommandSpec().usageMessage().hidden()) {
            return;
        }
        try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(dir.resolve(name + ".adoc"), StandardCharsets.UTF_8))) {
            ManPageGenerator.writeSingleManPage(pw, cl.getCommandSpec());
        }
        for (var e : cl.getSubcommands().entrySet()) {
            write(e.getValue(), name + "-" + e.getKey(), dir);
        }
    }
}
