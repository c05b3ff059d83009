package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.forensics.Carver;
import io.walkit.forensics.LogHistory;
import io.walkit.forensics.LogVersions;
import io.walkit.forensics.PageMap;
import io.walkit.forensics.RecoveredRecord;
import io.walkit.io.AtomicFile;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit db map FILE --html OUT}: writes the page map, one self-contained HTML file (no
 * network) with every page coloured by type and by where its newest image lives, and per page its
 * freeblocks and recovered records on click. Every string from the files is escaped. Written
 * temp+fsync+rename, never over an existing file without {@code --force}.
 */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = "Writes an HTML page map: every page by type and by where its newest image lives, with freeblocks and recovered records.")
final class DbMapCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LogInput input = new LogInput();

    @CommandLine.Option(names = "--html", required = true, paramLabel = "OUT", description = "the HTML file to write")
    Path html;

    @CommandLine.Option(names = "--force", description = "replace OUT if it exists")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!force && Files.exists(html)) {
            throw new Errors.UsageException(html + " exists (use --force to replace it)");
        }
        if (Files.exists(html) && Files.exists(input.file) && Files.isSameFile(html, input.file)) {
            throw new Errors.UsageException("--html " + html + " is an input: refusing to overwrite evidence");
        }
        String page;
        int records;
        try (LogHistory h = input.open()) {
            Database db = h.at(h.commitCount());
            String wal = h.wal() == null ? null : h.wal().source().name();
            List<RecoveredRecord> carved = Carver.carve(db, input.file.toString(), wal);
            List<RecoveredRecord> all = LogVersions.merge(carved, LogVersions.find(h, input.file.toString(), wal));
            records = all.size();
            page = PageMap.render(h, input.file.toString(), all);
        }
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(html, force, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
        PrintWriter out = spec.commandLine().getOut();
        if (input.json) {
            out.println(new Json().beginObject().field("html", html.toString()).field("bytes", bytes.length).field("records", records)
                    .endObject());
        } else {
            out.println("wrote " + html + " (" + bytes.length + " bytes, " + records + " recovered records)");
        }
        out.flush();
        return Walkit.EXIT_OK;
    }
}
