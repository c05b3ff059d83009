package io.walkit.cli;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.StaleFrames;
import io.walkit.wal.StaleGroup;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit wal stale FILE}: the frames after the valid prefix, grouped by salt pair. */
@Command(name = "stale", mixinStandardHelpOptions = true,
        description = {"Lists the whole frames after the WAL's valid prefix, grouped by salt pair: earlier generations "
                + "of the log, frames with the current salts after the stop point, and zero-salt frames of crashed "
                + "transactions, with each group's checksum chain verified from stored checksums."})
final class WalStaleCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the -wal file (opened read-only)")
    Path file;

    @CommandLine.Option(names = "--json", description = "print one JSON object")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (ByteSource source = ByteSource.map(file)) {
            WalFiles.requireWal(source);
            WalScan scan = WalScanner.scan(source);
            StaleFrames stale = StaleFrames.find(scan);
            var out = spec.commandLine().getOut();
            out.println(json ? toJson(stale) : toText(stale));
            return scan.stopReason().isCorruptHeader() ? Walkit.EXIT_CORRUPT : Walkit.EXIT_OK;
        }
    }

    static String order(ByteOrder o) {
        return o == null ? null : o == ByteOrder.BIG_ENDIAN ? "big" : "little";
    }

    static String toJson(StaleFrames stale) {
        WalScan scan = stale.scan();
        Json j = new Json().beginObject();
        j.field("file", scan.source().name());
        j.field("pageSize", scan.pageSize());
        j.field("frameCount", scan.frameCount());
        j.field("mxFrame", scan.mxFrame());
        j.field("lastValidFrame", scan.lastValidFrame());
        j.field("stopReason", scan.stopReason().jsonName());
        j.field("stopOffset", scan.stopOffset());
        j.field("staleFrames", stale.frameCount());
        j.name("groups").beginArray();
        for (StaleGroup g : stale.groups()) {
            j.beginObject();
            j.field("kind", g.kind().jsonName());
            j.field("salt1", Hex.u32(g.salt1()));
            j.field("salt2", Hex.u32(g.salt2()));
            j.field("frameCount", g.frameCount());
            j.field("firstFrame", g.firstFrame());
            j.field("lastFrame", g.lastFrame());
            j.field("contiguous", g.contiguous());
            j.field("byteOrder", order(g.wordOrder()));
            j.field("chainValid", g.count(StaleFrames.ChainStatus.VALID));
            j.field("chainMismatch", g.count(StaleFrames.ChainStatus.MISMATCH));
            j.field("chainUnseeded", g.count(StaleFrames.ChainStatus.UNSEEDED));
            j.field("chainValidAfterSaltChange", g.count(StaleFrames.ChainStatus.VALID_AFTER_SALT_CHANGE));
            j.field("notChecksummed", g.count(StaleFrames.ChainStatus.NOT_CHECKSUMMED));
            j.field("commitFrames", g.commitFrameCount());
            j.field("distinctPages", g.distinctPages());
            j.name("frames").beginArray();
            for (StaleGroup.Frame f : g.frames()) {
                j.beginObject()
                        .field("frameNumber", f.frameNumber())
                        .field("offset", f.offset())
                        .field("pageNumber", Integer.toUnsignedLong(f.pageNumber()))
                        .field("commitSize", Integer.toUnsignedLong(f.commitSize()))
                        .field("checksum1", Hex.u32(f.checksum1()))
                        .field("checksum2", Hex.u32(f.checksum2()))
                        .field("chain", f.chain().jsonName())
                        .field("byteOrder", order(f.wordOrder()))
                        .endObject();
            }
            j.endArray();
            j.endObject();
        }
        j.endArray();
        return j.endObject().toString();
    }

    static String toText(StaleFrames stale) {
        WalScan scan = stale.scan();
        StringBuilder sb = new StringBuilder();
        sb.append("file:            ").append(scan.source().name()).append('\n');
        sb.append("valid prefix:    frames 1..").append(scan.lastValidFrame()).append(" (mxFrame ")
                .append(scan.mxFrame()).append("), then ").append(scan.stopReason().description())
                .append(" at offset ").append(CorruptFileException.offsetText(scan.stopOffset())).append('\n');
        sb.append("stale frames:    ").append(stale.frameCount()).append(" in ").append(stale.groups().size())
                .append(stale.groups().size() == 1 ? " group" : " groups");
        for (StaleGroup g : stale.groups()) {
            sb.append("\n\n").append(g.kind().jsonName()).append(String.format(" salts 0x%08x,0x%08x", g.salt1(), g.salt2()))
                    .append(": ").append(g.frameCount()).append(g.frameCount() == 1 ? " frame" : " frames")
                    .append(", frames ").append(g.firstFrame()).append("..").append(g.lastFrame())
                    .append(g.contiguous() ? "" : " (not contiguous)")
                    .append(", ").append(g.commitFrameCount()).append(" commit frame(s), ")
                    .append(g.distinctPages()).append(" distinct page(s), checksum words ")
                    .append(g.wordOrder() == null ? "unknown" : order(g.wordOrder()) + "-endian")
                    .append("; chain: ").append(g.count(StaleFrames.ChainStatus.VALID)).append(" valid, ")
                    .append(g.count(StaleFrames.ChainStatus.MISMATCH)).append(" mismatch, ")
                    .append(g.count(StaleFrames.ChainStatus.UNSEEDED)).append(" unseeded");
            if (g.count(StaleFrames.ChainStatus.VALID_AFTER_SALT_CHANGE) > 0) {
                sb.append(", ").append(g.count(StaleFrames.ChainStatus.VALID_AFTER_SALT_CHANGE))
                        .append(" chained across a salt change (damaged salts)");
            }
            if (g.kind() == StaleGroup.Kind.ZERO_SALTS) {
                sb.append("\n  zero salts: written while an in-place overwrite was pending (a transaction that "
                        + "crashed before commit), or zero-filled space");
            }
            sb.append("\n  frame  offset          page  commit  checksum1  checksum2  chain");
            for (StaleGroup.Frame f : g.frames()) {
                sb.append(String.format("%n  %5d  %-14s %5s  %6s  0x%08x 0x%08x %s", f.frameNumber(),
                        "0x" + Long.toHexString(f.offset()), Integer.toUnsignedString(f.pageNumber()),
                        Integer.toUnsignedString(f.commitSize()), f.checksum1(), f.checksum2(),
                        f.chain().jsonName() + (f.wordOrder() == null ? "" : " (" + order(f.wordOrder()) + ")")));
            }
        }
        return sb.toString();
    }
}
