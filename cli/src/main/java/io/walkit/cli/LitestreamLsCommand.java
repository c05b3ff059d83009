package io.walkit.cli;

import io.walkit.replica.ReplicaDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit litestream ls PATH}: the files of a replica with their positions and times (JSON Lines). */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"Lists a Litestream replica: generations, snapshots, WAL segments (index, offset, size, time),",
                "or LTX files by level. --json writes JSON Lines with a \"kind\" field",
                "(generation, snapshot, segment, ltx, problem). Contents are not read."})
final class LitestreamLsCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "PATH", description = "replica root, .<db>-litestream directory or LTX replica (read-only)")
    Path path;

    @CommandLine.Option(names = "--json", description = "JSON Lines, one object per file")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ReplicaDirectory d = ReplicaDirectory.open(path);
        var out = spec.commandLine().getOut();
        if (!json) {
            out.println(d.layout().label() + " replica " + path
                    + (d.currentGeneration() != null ? " (current generation " + d.currentGeneration() + ")" : ""));
        }
        for (ReplicaDirectory.Generation g : d.generations()) {
            if (json) {
                out.println(new Json().beginObject().field("kind", "generation").field("name", g.name())
                        .field("current", g.name().equals(d.currentGeneration())).field("snapshots", g.snapshots().size())
                        .field("segments", g.segments().size()).field("createdAt", g.createdAt().toString())
                        .field("updatedAt", g.updatedAt().toString()).endObject());
            } else {
                out.println("generation " + g.name() + (g.name().equals(d.currentGeneration()) ? " (current)" : "") + ": "
                        + g.snapshots().size() + " snapshots, " + g.segments().size() + " segments, "
                        + g.createdAt() + " .. " + g.updatedAt());
            }
            for (ReplicaDirectory.SnapshotFile s : g.snapshots()) {
                if (json) {
                    out.println(new Json().beginObject().field("kind", "snapshot").field("generation", g.name())
                            .field("index", s.index()).field("file", s.relative()).field("size", s.size())
                            .field("modified", s.modified().toString()).endObject());
                } else {
                    out.println(String.format("  snapshot %08x  %10d bytes  %s  %s", s.index(), s.size(), s.modified(), s.relative()));
                }
            }
            for (ReplicaDirectory.SegmentFile s : g.segments()) {
                if (json) {
                    out.println(new Json().beginObject().field("kind", "segment").field("generation", g.name())
                            .field("index", s.index()).field("offset", s.offset()).field("position",
                                    new io.walkit.replica.ReplicaPosition(g.name(), s.index(), s.offset()).toString())
                            .field("file", s.relative()).field("size", s.size()).field("compressed", s.compressed())
                            .field("modified", s.modified().toString()).endObject());
                } else {
                    out.println(String.format("  wal %08x:%-10d %10d bytes  %s  %s", s.index(), s.offset(), s.size(), s.modified(), s.relative()));
                }
            }
        }
        for (ReplicaDirectory.LtxFileRef f : d.ltxFiles()) {
            if (json) {
                out.println(new Json().beginObject().field("kind", "ltx").field("level", f.level())
                        .field("minTxid", String.format("0x%016x", f.minTxid())).field("maxTxid", String.format("0x%016x", f.maxTxid()))
                        .field("file", f.relative()).field("size", f.size()).field("modified", f.modified().toString()).endObject());
            } else {
                out.println(String.format("  ltx L%d %016x-%016x %10d bytes  %s", f.level(), f.minTxid(), f.maxTxid(), f.size(), f.modified()));
            }
        }
        for (io.walkit.io.Problem p : d.problems()) {
            if (json) {
                Json j = new Json();
                j.beginObject().field("kind", "problem").name("problem");
                LitestreamCommand.problem(j, p);
                out.println(j.endObject());
            } else {
                out.println(LitestreamCommand.problemText(p));
            }
        }
        return Walkit.EXIT_OK;
    }
}
