package io.walkit.cli;

import io.walkit.io.Problem;

import io.walkit.io.ByteSource;
import io.walkit.wal.BackfillCheck;
import io.walkit.wal.CheckpointInfo;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalIndexHeader;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit shm info FILE [--wal WAL]}: decodes and validates a wal-index, optionally against its WAL. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Decodes a wal-index (-shm): both header copies, checkpoint info, hash tables; validates them "
                + "and, with --wal, cross-checks them against the WAL."})
final class ShmInfoCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the -shm file (opened read-only)")
    Path file;

    @CommandLine.Option(names = "--wal", paramLabel = "WAL",
            description = "the -wal file to cross-check against (default: the -wal beside FILE, if any)")
    Path wal;

    @CommandLine.Option(names = "--no-wal", description = "do not cross-check against the -wal beside FILE")
    boolean noWal;

    @CommandLine.Option(names = "--db", paramLabel = "DB",
            description = "the database file whose pages nBackfill claims were checkpointed (default: the database "
                    + "beside FILE, if any; needs the WAL too)")
    Path db;

    @CommandLine.Option(names = "--no-db", description = "do not check nBackfill against the database beside FILE")
    boolean noDb;

    @CommandLine.Option(names = "--json", description = "print one JSON object")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path walFile = wal != null ? wal : noWal ? null : siblingWal(file);
        Path dbFile = db != null ? db : noDb ? null : siblingDb(file);
        try (ByteSource source = ByteSource.map(file);
             ByteSource walSource = walFile == null ? null : ByteSource.map(walFile);
             ByteSource dbSource = dbFile == null || walFile == null ? null : ByteSource.map(dbFile)) {
            io.walkit.db.FileKind kind = io.walkit.db.FileKind.of(source);
            if (kind != io.walkit.db.FileKind.WAL_INDEX && kind.verb() != null) {
                throw new io.walkit.io.CorruptFileException(source.name(), 0, "wal-index header", "iVersion", "3007000",
                        "something else: not a wal-index; the file " + kind.looksLike());
            }
            WalIndex index = WalIndex.read(source);
            WalScan scan = walSource == null ? null : WalScanner.scan(walSource);
            List<Problem> findings = new ArrayList<>(index.checkHeader());
            if (index.status() == WalIndex.Status.DECODED) {
                findings.addAll(index.checkHashTables(Integer.toUnsignedLong(index.copyA().mxFrame())));
            }
            if (scan != null) {
                findings.addAll(index.crossCheck(scan));
                if (dbSource != null) {
                    // nBackfill's claim against the database pages (the WAL-reset race's footprint).
                    findings.addAll(BackfillCheck.check(index, scan, dbSource));
                }
            }
            var out = spec.commandLine().getOut();
            String database = dbSource == null ? null : dbSource.name();
            out.println(json ? toJson(index, scan, database, findings) : toText(index, scan, database, findings));
            if (index.corruptHeader()) {
                return Walkit.EXIT_CORRUPT;
            }
            // Exit codes shared by every verb: problems found (ERROR findings) is 1, like db check.
            return findings.stream().anyMatch(f -> f.severity() == Problem.Severity.ERROR) ? Walkit.EXIT_PROBLEMS : Walkit.EXIT_OK;
        }
    }

    /** {@code x.db-wal} for {@code x.db-shm} when that file exists, else null. */
    static Path siblingWal(Path shm) {
        String name = shm.getFileName().toString();
        if (!name.endsWith("-shm")) {
            return null;
        }
        Path sibling = shm.resolveSibling(name.substring(0, name.length() - 4) + "-wal");
        return java.nio.file.Files.isRegularFile(sibling) ? sibling : null;
    }

    /** {@code x.db} for {@code x.db-shm} when that file exists, else null. */
    static Path siblingDb(Path shm) {
        String name = shm.getFileName().toString();
        if (!name.endsWith("-shm")) {
            return null;
        }
        Path sibling = shm.resolveSibling(name.substring(0, name.length() - 4));
        return java.nio.file.Files.isRegularFile(sibling) ? sibling : null;
    }

    static String order(ByteOrder o) {
        return o == null ? null : o == ByteOrder.BIG_ENDIAN ? "big" : "little";
    }

    private static void header(Json j, String name, WalIndexHeader h) {
        j.name(name);
        if (h == null) {
            j.nullValue();
            return;
        }
        j.beginObject()
                .field("iVersion", Integer.toUnsignedLong(h.version()))
                .field("unused", Integer.toUnsignedLong(h.unused()))
                .field("iChange", Integer.toUnsignedLong(h.change()))
                .field("isInit", h.isInit())
                .field("bigEndCksum", h.bigEndCksum())
                .field("szPage", h.szPage())
                .field("pageSize", h.pageSize())
                .field("mxFrame", Integer.toUnsignedLong(h.mxFrame()))
                .field("nPage", Integer.toUnsignedLong(h.nPage()))
                .field("frameChecksum1", Hex.u32(h.frameChecksum1()))
                .field("frameChecksum2", Hex.u32(h.frameChecksum2()))
                .field("salt1", Hex.u32(h.salt1()))
                .field("salt2", Hex.u32(h.salt2()))
                .field("checksum1", Hex.u32(h.checksum1()))
                .field("checksum2", Hex.u32(h.checksum2()))
                .field("checksumValid", h.checksumValid())
                .endObject();
    }

    static String toJson(WalIndex index, WalScan scan, String database, List<Problem> findings) {
        Json j = new Json().beginObject();
        j.field("file", index.source().name());
        j.field("fileSize", index.fileSize());
        j.field("status", index.status().jsonName());
        j.field("byteOrder", order(index.byteOrder()));
        j.field("copiesIdentical", index.copiesIdentical());
        j.field("headerUsable", index.headerUsable());
        header(j, "headerA", index.copyA());
        header(j, "headerB", index.copyB());
        j.name("checkpointInfo");
        CheckpointInfo c = index.checkpointInfo();
        if (c == null) {
            j.nullValue();
        } else {
            j.beginObject().field("nBackfill", Integer.toUnsignedLong(c.nBackfill()));
            j.name("aReadMark").beginArray();
            for (int i = 0; i < WalFormat.READ_MARK_COUNT; i++) {
                if (c.aReadMark(i) == WalFormat.READMARK_NOT_USED) {
                    j.nullValue(); // unused (SQLite: READMARK_NOT_USED, 0xffffffff)
                } else {
                    j.value(Integer.toUnsignedLong(c.aReadMark(i)));
                }
            }
            j.endArray();
            j.field("nBackfillAttempted", Integer.toUnsignedLong(c.nBackfillAttempted()));
            j.endObject();
        }
        j.field("regions", index.regionCount());
        j.field("frameCapacity", index.frameCapacity());
        if (scan != null) {
            j.name("wal").beginObject()
                    .field("file", scan.source().name())
                    .field("mxFrame", scan.mxFrame())
                    .field("lastValidFrame", scan.lastValidFrame())
                    .field("stopReason", scan.stopReason().jsonName())
                    .endObject();
        }
        j.field("database", database);
        j.name("findings").beginArray();
        for (Problem f : findings) {
            j.problem(f);
        }
        j.endArray();
        return j.endObject().toString();
    }

    static String toText(WalIndex index, WalScan scan, String database, List<Problem> findings) {
        StringBuilder sb = new StringBuilder();
        sb.append("file:               ").append(index.source().name()).append(" (").append(index.fileSize())
                .append(" bytes)\n");
        sb.append("status:             ").append(index.status().jsonName());
        if (index.byteOrder() != null) {
            sb.append(", ").append(order(index.byteOrder())).append("-endian writer");
        }
        sb.append('\n');
        WalIndexHeader h = index.copyA();
        if (h != null && index.status() == WalIndex.Status.DECODED) {
            sb.append("header copies:      ").append(index.copiesIdentical() ? "identical" : "DIFFERENT")
                    .append(", ").append(index.headerUsable() ? "usable" : "NOT usable by SQLite").append('\n');
            sb.append("iVersion:           ").append(Integer.toUnsignedString(h.version())).append('\n');
            sb.append("iChange:            ").append(Integer.toUnsignedString(h.change())).append('\n');
            sb.append("isInit:             ").append(h.isInit()).append('\n');
            sb.append("bigEndCksum:        ").append(h.bigEndCksum()).append('\n');
            sb.append("page size:          ").append(h.pageSize()).append(" (szPage ").append(h.szPage()).append(")\n");
            sb.append("mxFrame:            ").append(Integer.toUnsignedString(h.mxFrame())).append('\n');
            sb.append("nPage:              ").append(Integer.toUnsignedString(h.nPage())).append('\n');
            sb.append(String.format("aFrameCksum:        0x%08x 0x%08x%n", h.frameChecksum1(), h.frameChecksum2()));
            sb.append(String.format("aSalt:              0x%08x 0x%08x%n", h.salt1(), h.salt2()));
            sb.append(String.format("aCksum:             0x%08x 0x%08x (%s)%n", h.checksum1(), h.checksum2(),
                    h.checksumValid() ? "ok" : "MISMATCH"));
            CheckpointInfo c = index.checkpointInfo();
            sb.append("nBackfill:          ").append(Integer.toUnsignedString(c.nBackfill())).append('\n');
            sb.append("aReadMark:         ");
            for (int i = 0; i < WalFormat.READ_MARK_COUNT; i++) {
                int m = c.aReadMark(i);
                sb.append(' ').append(m == WalFormat.READMARK_NOT_USED ? "unused" : Integer.toUnsignedString(m));
            }
            sb.append('\n');
            sb.append("nBackfillAttempted: ").append(Integer.toUnsignedString(c.nBackfillAttempted())).append('\n');
            sb.append("regions:            ").append(index.regionCount()).append(" (frames 1..")
                    .append(index.frameCapacity()).append(" indexable)\n");
        }
        if (scan != null) {
            sb.append("wal:                ").append(scan.source().name()).append(": mxFrame ")
                    .append(scan.mxFrame()).append(" by recovery, ").append(scan.stopReason().description())
                    .append('\n');
        }
        if (database != null) {
            sb.append("database:           ").append(database).append(" (pages below nBackfill compared with their frames)\n");
        }
        sb.append("findings:           ").append(findings.isEmpty() ? "none" : String.valueOf(findings.size()));
        for (Problem f : findings) {
            sb.append("\n  ").append(f.severity().name()).append(' ').append(f.code().id()).append(": ").append(f.message());
        }
        return sb.toString();
    }
}
