package io.walkit.cli;

import io.walkit.io.ByteSource;
import io.walkit.wal.StaleFrames;
import io.walkit.wal.StaleGroup;
import io.walkit.wal.StopReason;
import io.walkit.wal.WalHeader;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit wal info FILE}: header, valid prefix, commits and why validity stopped. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarises a WAL: header, valid frames (SQLite's mxFrame), commits, stop reason.")
final class WalInfoCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the -wal file (opened read-only)")
    Path file;

    @CommandLine.Option(names = "--json", description = "print one JSON object")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return run(spec.commandLine().getOut());
    }

    /** Runs the verb with the fields already set, printing to {@code out} (also used by {@link FastPath}). */
    int run(java.io.PrintWriter out) throws java.io.IOException {
        try (ByteSource source = ByteSource.map(file)) {
            WalFiles.requireWal(source);
            WalScan scan = WalScanner.scan(source);
            out.println(json ? toJson(scan) : toText(scan));
            return scan.stopReason().isCorruptHeader() ? Walkit.EXIT_CORRUPT : Walkit.EXIT_OK;
        }
    }

    static String toJson(WalScan scan) {
        Json j = new Json().beginObject();
        fields(j, scan);
        return j.endObject().toString();
    }

    /** Writes the fields of {@link #toJson} into the open object {@code j} (also used by {@code scan}). */
    static void fields(Json j, WalScan scan) {
        j.field("file", scan.source().name());
        j.field("fileSize", scan.fileSize());
        WalHeader h = scan.header();
        if (h != null) {
            j.field("magic", hex(h.magic()));
            j.field("pageSize", Integer.toUnsignedLong(h.pageSize()));
            j.field("byteOrder", h.bigEndianChecksum() ? "big" : "little");
            j.field("formatVersion", Integer.toUnsignedLong(h.formatVersion()));
            j.field("checkpointSequence", Integer.toUnsignedLong(h.checkpointSequence()));
            j.field("salt1", Hex.u32(h.salt1()));
            j.field("salt2", Hex.u32(h.salt2()));
            j.field("headerChecksum1", Hex.u32(h.checksum1()));
            j.field("headerChecksum2", Hex.u32(h.checksum2()));
        } else {
            j.name("magic").nullValue().name("pageSize").nullValue().name("byteOrder").nullValue().name("formatVersion").nullValue()
                    .name("checkpointSequence").nullValue().name("salt1").nullValue().name("salt2").nullValue()
                    .name("headerChecksum1").nullValue().name("headerChecksum2").nullValue();
        }
        j.field("headerStatus", headerStatus(scan));
        j.field("frameCount", scan.frameCount());
        j.field("mxFrame", scan.mxFrame());
        j.field("lastValidFrame", scan.lastValidFrame());
        j.field("databaseSize", Integer.toUnsignedLong(scan.databaseSize()));
        j.field("commits", scan.commitCount());
        j.field("uncommittedTail", scan.uncommittedTail());
        j.field("stopReason", scan.stopReason().jsonName());
        j.field("stopOffset", scan.stopOffset());
        j.name("stopFrame");
        if (scan.stopFrame() > 0) {
            j.value(scan.stopFrame());
        } else {
            j.nullValue();
        }
        j.field("distinctPages", scan.pageIndex().pageCount());
        StaleFrames stale = StaleFrames.find(scan);
        j.field("staleFrames", stale.frameCount());
        j.field("staleOtherSalts", stale.frameCount(StaleGroup.Kind.OTHER_SALTS));
        j.field("staleZeroSalts", stale.frameCount(StaleGroup.Kind.ZERO_SALTS));
        j.field("staleGroups", stale.groups().size());
    }

    static String headerStatus(WalScan scan) {
        return switch (scan.stopReason()) {
            case EMPTY_FILE -> "empty";
            case SHORT_HEADER -> "short";
            case HEADER_ONLY -> "header-only";
            case BAD_MAGIC -> "bad-magic";
            case BAD_PAGE_SIZE -> "bad-page-size";
            case BAD_HEADER_CHECKSUM -> "bad-checksum";
            case UNSUPPORTED_VERSION -> "unsupported-version";
            default -> "ok";
        };
    }

    static String toText(WalScan scan) {
        StringBuilder sb = new StringBuilder();
        WalHeader h = scan.header();
        sb.append("file:               ").append(scan.source().name()).append(" (").append(scan.fileSize()).append(" bytes)\n");
        if (h != null) {
            sb.append("magic:              ").append(hex(h.magic())).append(" (checksum words ")
                    .append(h.bigEndianChecksum() ? "big" : "little").append("-endian)\n");
            sb.append("format version:     ").append(Integer.toUnsignedString(h.formatVersion())).append('\n');
            sb.append("page size:          ").append(Integer.toUnsignedString(h.pageSize())).append('\n');
            sb.append("checkpoint seq:     ").append(Integer.toUnsignedString(h.checkpointSequence())).append('\n');
            sb.append("salts:              ").append(hex(h.salt1())).append(' ').append(hex(h.salt2())).append('\n');
            sb.append("header checksum:    ").append(hex(h.checksum1())).append(' ').append(hex(h.checksum2()))
                    .append(" (").append(headerStatus(scan)).append(")\n");
        }
        sb.append("frames in file:     ").append(scan.frameCount()).append('\n');
        sb.append("valid frames:       ").append(scan.mxFrame()).append(" (mxFrame)\n");
        sb.append("commits:            ").append(scan.commitCount()).append('\n');
        sb.append("database size:      ").append(Integer.toUnsignedString(scan.databaseSize())).append(" pages\n");
        sb.append("uncommitted tail:   ").append(scan.uncommittedTail()).append(" frames\n");
        sb.append("distinct pages:     ").append(scan.pageIndex().pageCount()).append('\n');
        StaleFrames stale = StaleFrames.find(scan);
        sb.append("stale frames:       ").append(stale.frameCount());
        if (stale.frameCount() > 0) {
            sb.append(" (").append(stale.frameCount(StaleGroup.Kind.OTHER_SALTS)).append(" with older salts, ")
                    .append(stale.frameCount(StaleGroup.Kind.ZERO_SALTS)).append(" with zero salts; see 'wal stale')");
        }
        sb.append('\n');
        sb.append("stopped:            ").append(scan.stopReason().description());
        if (scan.stopFrame() > 0) {
            sb.append(" at frame ").append(scan.stopFrame());
        }
        sb.append(" at offset ").append(io.walkit.io.CorruptFileException.offsetText(scan.stopOffset()));
        if (scan.stopReason() == StopReason.HEADER_ONLY || scan.stopReason().isHeaderProblem()) {
            sb.append("\nSQLite ignores the frames of this WAL");
        }
        return sb.toString();
    }

    static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
