package io.walkit.cli;

import io.walkit.db.Journal;
import io.walkit.db.JournalRecord;
import io.walkit.io.ByteSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit journal pages FILE}: one line (or JSON Lines object) per page record playback
 * reads, with its page number, checksums and what a rollback does with it: the rollback
 * journal's counterpart of {@code wal frames}. The images are the pages' contents before the
 * interrupted transaction: evidence.
 */
@Command(name = "pages", mixinStandardHelpOptions = true,
        description = "Lists the journal's page records: segment, offset, page number, checksums, what a rollback does with each.")
final class JournalPagesCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the -journal file (opened read-only)")
    Path file;

    @CommandLine.Option(names = "--page-size", paramLabel = "N",
            description = "page size to assume when the header's is 0 (journals from before SQLite 3.5.8; default: ${DEFAULT-VALUE})")
    int pageSize = 4096;

    @CommandLine.Option(names = "--json", description = "print JSON Lines: one object per record")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (ByteSource src = ByteSource.map(file)) {
            Journal j = Journal.read(src, pageSize);
            PrintWriter out = spec.commandLine().getOut();
            if (!json) {
                out.println("segment  offset          page  checksum    expected    disposition");
            }
            for (Journal.Entry e : j.entries()) {
                JournalRecord r = e.record();
                if (json) {
                    out.println(new Json().beginObject().field("segment", (long) e.segment()).field("offset", r.offset())
                            .field("pageNumber", r.pageNumber()).field("checksum", JournalCommand.hex32(r.checksum()))
                            .field("expectedChecksum", JournalCommand.hex32(r.expected())).field("checksumOk", r.checksumOk())
                            .field("disposition", JournalCommand.dispositionName(e.disposition())).endObject());
                } else {
                    out.printf("%7d  %-14s %5d  %s  %s  %s%n", e.segment(), "0x" + Long.toHexString(r.offset()),
                            r.pageNumber(), JournalCommand.hex32(r.checksum()), JournalCommand.hex32(r.expected()),
                            JournalCommand.dispositionName(e.disposition()));
                }
            }
            if (!json) {
                out.println("playback stops: " + JournalCommand.stopName(j.stopReason()) + " at offset "
                        + io.walkit.io.CorruptFileException.offsetText(j.stopOffset()));
            }
            return Walkit.EXIT_OK;
        }
    }
}
