package io.walkit.cli;

import io.walkit.db.FilePageSource;
import io.walkit.db.HotJournal;
import io.walkit.db.Journal;
import io.walkit.db.JournalHeader;
import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit journal info FILE}: the first header, segments, record counts by what a rollback
 * does with them, where playback stops, the super-journal, and (when the database beside it
 * exists) whether SQLite would treat the journal as hot.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarises a rollback journal: header, segments, records by disposition, stop reason, hot or not.")
final class JournalInfoCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the -journal file (opened read-only)")
    Path file;

    @CommandLine.Option(names = "--db", paramLabel = "DB",
            description = "the database the journal belongs to (default: FILE without its -journal suffix, when present)")
    Path db;

    @CommandLine.Option(names = "--json", description = "print one JSON object")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path database = db != null ? db : defaultDb(file);
        if (db != null && !Files.exists(db)) {
            throw new java.nio.file.NoSuchFileException(db.toString());
        }
        int fallbackPageSize = 4096;
        if (database != null) {
            try (ByteSource d = ByteSource.map(database)) {
                fallbackPageSize = FilePageSource.pageSizeOf(d);
            } catch (CorruptFileException e) {
                // the journal is still readable; its header carries the page size
            }
        }
        try (ByteSource src = ByteSource.map(file)) {
            Journal j = Journal.read(src, fallbackPageSize);
            HotJournal hot = database == null ? null : HotJournal.check(database, file);
            Map<Journal.Disposition, Long> counts = new EnumMap<>(Journal.Disposition.class);
            for (Journal.Disposition d : Journal.Disposition.values()) {
                counts.put(d, 0L);
            }
            j.entries().forEach(e -> counts.merge(e.disposition(), 1L, Long::sum));
            var out = spec.commandLine().getOut();
            JournalHeader h = j.firstHeader();
            if (json) {
                Json o = new Json().beginObject().field("file", file.toString()).field("fileSize", src.size());
                if (src.size() >= JournalHeader.SIZE) {
                    JournalHeader raw = JournalHeader.read(src, 0);
                    o.field("magicOk", raw.hasMagic());
                } else {
                    o.field("magicOk", false);
                }
                if (h != null) {
                    o.name("header").beginObject().field("nRec", h.nRec()).field("cksumInit", JournalCommand.hex32(h.cksumInit()))
                            .field("dbOrigSize", h.dbOrigSize()).field("sectorSize", h.sectorSize())
                            .field("pageSize", (long) j.pageSize()).endObject();
                } else {
                    o.name("header").nullValue();
                }
                o.field("segments", (long) j.segments().size()).field("records", (long) j.entries().size());
                o.name("recordsByDisposition").beginObject();
                counts.forEach((d, n) -> o.field(JournalCommand.dispositionName(d), n));
                o.endObject();
                o.field("pagesRestored", (long) j.playback(true).pagesRestored());
                o.field("stopReason", JournalCommand.stopName(j.stopReason())).field("stopOffset", j.stopOffset());
                o.field("superJournal", j.superJournal() == null ? null : j.superJournal().name());
                o.field("database", database == null ? null : database.toString());
                if (hot != null) {
                    o.field("hot", hot.hot()).field("state", hot.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                            .field("rollsBack", hot.rollsBack());
                    if (hot.hot()) {
                        o.field("assumption", HotJournal.RESERVED_LOCK_NOTE);
                    }
                } else {
                    o.name("hot").nullValue();
                }
                out.println(o.endObject());
            } else {
                StringBuilder sb = new StringBuilder();
                sb.append(String.format("%-20s %s (%d bytes)%n", "file:", file, src.size()));
                if (h != null) {
                    sb.append(String.format("%-20s %s%n", "nRec (first header):",
                            h.nRec() == JournalHeader.NREC_UNKNOWN ? "0xffffffff (count from file size)" : Long.toString(h.nRec())));
                    sb.append(String.format("%-20s %s%n", "cksumInit:", JournalCommand.hex32(h.cksumInit())));
                    sb.append(String.format("%-20s %d pages%n", "dbOrigSize:", h.dbOrigSize()));
                    sb.append(String.format("%-20s %d%n", "sector size:", h.sectorSize()));
                    sb.append(String.format("%-20s %d%n", "page size:", j.pageSize()));
                } else {
                    sb.append("no usable header: a rollback restores nothing\n");
                }
                sb.append(String.format("%-20s %d%n", "segments:", j.segments().size()));
                sb.append(String.format("%-20s %d", "records:", j.entries().size()));
                StringBuilder parts = new StringBuilder();
                counts.forEach((d, n) -> {
                    if (n > 0) {
                        parts.append(parts.isEmpty() ? "" : ", ").append(n).append(' ').append(JournalCommand.dispositionName(d));
                    }
                });
                sb.append(parts.isEmpty() ? "" : " (" + parts + ")").append('\n');
                sb.append(String.format("%-20s %d%n", "pages restored:", j.playback(true).pagesRestored()));
                sb.append(String.format("%-20s %s at offset %s%n", "playback stops:", JournalCommand.stopName(j.stopReason()),
                        CorruptFileException.offsetText(j.stopOffset())));
                if (j.superJournal() != null) {
                    sb.append(String.format("%-20s %s%n", "super-journal:", j.superJournal().name()));
                }
                if (hot != null) {
                    sb.append(String.format("%-20s %s: %s%n", "database:", database,
                            hot.hot() ? (hot.rollsBack() ? "the journal is HOT: SQLite rolls it back before reading"
                                    : "hot, but its super-journal is missing: the transaction committed")
                                    : "not hot (" + hot.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")"));
                    if (hot.hot()) {
                        sb.append("assumption:          ").append(HotJournal.RESERVED_LOCK_NOTE).append('\n');
                    }
                }
                out.print(sb);
            }
            return Walkit.EXIT_OK;
        }
    }

    /** {@code x.db} for {@code x.db-journal} when it exists, else null. */
    static Path defaultDb(Path journal) {
        String name = journal.getFileName() == null ? "" : journal.getFileName().toString();
        if (!name.endsWith("-journal") || name.length() == "-journal".length()) {
            return null;
        }
        Path db = journal.resolveSibling(name.substring(0, name.length() - "-journal".length()));
        return Files.isRegularFile(db) ? db : null;
    }
}
