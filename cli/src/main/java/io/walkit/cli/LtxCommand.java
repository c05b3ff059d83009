package io.walkit.cli;

import io.walkit.replica.LtxFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit ltx}: reads, verifies and dumps single LTX files (Litestream v0.5, LiteFS). */
@Command(name = "ltx", mixinStandardHelpOptions = true,
        description = "Reads, verifies and dumps LTX files (every known page encoding) without Litestream.",
        subcommands = {LtxCommand.Info.class, LtxCommand.Verify.class, LtxCommand.Dump.class})
final class LtxCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'ltx' (info, verify, dump)");
    }

    static String hex64(long v) {
        return String.format("0x%016x", v);
    }

    static String hex32(int v) {
        return String.format("0x%08x", v);
    }

    /** Header and trailer fields as JSON fields of an open object. */
    static void fields(Json j, LtxFile f) {
        var h = f.header();
        j.field("file", f.name()).field("encoding", f.encoding().name().toLowerCase(java.util.Locale.ROOT))
                .field("size", f.size()).field("flags", hex32(h.flags())).field("noChecksum", h.noChecksum())
                .field("pageSize", Integer.toUnsignedLong(h.pageSize())).field("commit", Integer.toUnsignedLong(h.commit()))
                .field("minTxid", hex64(h.minTxid())).field("maxTxid", hex64(h.maxTxid())).field("snapshot", h.isSnapshot())
                .field("timestamp", java.time.Instant.ofEpochMilli(h.timestamp()).toString())
                .field("preApplyChecksum", hex64(h.preApplyChecksum())).field("walOffset", h.walOffset())
                .field("walSize", h.walSize()).field("walSalt1", hex32(h.walSalt1())).field("walSalt2", hex32(h.walSalt2()))
                .field("nodeId", hex64(h.nodeId())).field("pages", f.frames().size())
                .field("pageIndex", f.index() != null).field("postApplyChecksum", hex64(f.postApplyChecksum()))
                .field("fileChecksum", hex64(f.fileChecksum())).field("computedFileChecksum", hex64(f.computedFileChecksum()));
    }

    static void text(java.io.PrintWriter out, LtxFile f) {
        var h = f.header();
        out.println("file " + f.name() + " (" + f.size() + " bytes, encoding " + f.encoding().name().toLowerCase(java.util.Locale.ROOT)
                + (f.index() != null ? ", page index" : ", no page index") + ")");
        out.println("TXID " + hex64(h.minTxid()) + ".." + hex64(h.maxTxid()) + (h.isSnapshot() ? " (snapshot)" : "")
                + ", page size " + Integer.toUnsignedLong(h.pageSize()) + ", commit " + Integer.toUnsignedLong(h.commit()) + " pages, "
                + f.frames().size() + " pages stored");
        out.println("timestamp " + java.time.Instant.ofEpochMilli(h.timestamp()) + ", flags " + hex32(h.flags())
                + (h.noChecksum() ? " (no checksum)" : ""));
        out.println("pre-apply " + hex64(h.preApplyChecksum()) + ", post-apply " + hex64(f.postApplyChecksum()));
        out.println("WAL offset " + h.walOffset() + ", size " + h.walSize() + ", salts " + hex32(h.walSalt1()) + "," + hex32(h.walSalt2())
                + ", node " + hex64(h.nodeId()));
        out.println("file checksum " + hex64(f.fileChecksum()) + " (computed " + hex64(f.computedFileChecksum()) + ")");
    }

    /** {@code walkit ltx info FILE}. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Prints an LTX file's header, encoding and trailer.")
    static final class Info implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the LTX file (read-only)")
        Path file;

        @CommandLine.Option(names = "--json", description = "print one JSON object")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LtxFile f = LtxFile.read(file, null);
            var out = spec.commandLine().getOut();
            if (json) {
                Json j = new Json().beginObject();
                fields(j, f);
                out.println(j.endObject());
            } else {
                text(out, f);
            }
            return Walkit.EXIT_OK;
        }
    }

    /** {@code walkit ltx verify FILE}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verifies an LTX file: header rules, page order, page index, file checksum, snapshot database checksum.",
                    "Exit 0 when valid, 1 when a rule is broken, 3 when it cannot be parsed."})
    static final class Verify implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the LTX file (read-only)")
        Path file;

        @CommandLine.Option(names = "--json", description = "print one JSON object")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LtxFile f = LtxFile.read(file, null);
            var out = spec.commandLine().getOut();
            if (json) {
                Json j = new Json().beginObject().field("ok", f.ok());
                fields(j, f);
                j.name("problems").beginArray();
                for (io.walkit.io.Problem p : f.problems()) {
                    j.problem(p);
                }
                out.println(j.endArray().endObject());
            } else {
                out.println(f.ok() ? "ok" : "problems found");
                for (io.walkit.io.Problem p : f.problems()) {
                    out.println(p);
                }
            }
            return f.ok() ? Walkit.EXIT_OK : Walkit.EXIT_PROBLEMS;
        }
    }

    /** {@code walkit ltx dump FILE}. */
    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = {"Lists an LTX file's page frames (JSON Lines with --json: one header line, then one line per page;",
                    "--data adds each page's bytes as hex)."})
    static final class Dump implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the LTX file (read-only)")
        Path file;

        @CommandLine.Option(names = "--json", description = "JSON Lines")
        boolean json;

        @CommandLine.Option(names = "--data", description = "include each page's bytes (hex)")
        boolean data;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            java.util.List<String> pageData = new java.util.ArrayList<>();
            LtxFile f = LtxFile.read(file, data ? (pgno, bytes) -> pageData.add(java.util.HexFormat.of().formatHex(bytes)) : null);
            if (json) {
                Json j = new Json().beginObject().field("kind", "header");
                fields(j, f);
                out.println(j.endObject());
            } else {
                text(out, f);
            }
            int i = 0;
            for (LtxFile.Frame fr : f.frames()) {
                if (json) {
                    Json j = new Json().beginObject().field("kind", "page").field("pageNumber", Integer.toUnsignedLong(fr.pageNumber()))
                            .field("offset", fr.offset()).field("size", fr.size()).field("compression", fr.compression());
                    if (data) {
                        j.name("data").beginObject().field("blob", pageData.get(i)).endObject();
                    }
                    out.println(j.endObject());
                } else {
                    out.println(String.format("page %d at offset %d, %d bytes, %s", Integer.toUnsignedLong(fr.pageNumber()), fr.offset(),
                            fr.size(), fr.compression()) + (data ? " " + pageData.get(i) : ""));
                }
                i++;
            }
            return Walkit.EXIT_OK;
        }
    }
}
