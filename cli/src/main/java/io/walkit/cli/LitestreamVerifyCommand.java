package io.walkit.cli;

import io.walkit.replica.ReplicaReport;
import io.walkit.replica.ReplicaVerifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit litestream verify PATH}: every gap and damage a restore would meet, from the files alone. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verifies a Litestream replica root (v0.3 or v0.4-beta), a .<db>-litestream directory or an LTX",
                "replica (v0.5) without changing it: snapshots, contiguous segments, WAL salts and checksum chain,",
                "commit boundaries, consecutive indexes, LZ4 checksums, LTX checksums and TXID ranges.",
                "Exit 0 when ok, 1 when problems were found."})
final class LitestreamVerifyCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "PATH", description = "replica root, .<db>-litestream directory or LTX replica (read-only)")
    Path path;

    @CommandLine.Option(names = "--json", description = "print one JSON object")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ReplicaReport r = ReplicaVerifier.verify(path);
        var out = spec.commandLine().getOut();
        if (json) {
            Json j = new Json().beginObject().field("path", path.toString()).field("layout", r.layout().label()).field("ok", r.ok());
            j.name("generations").beginArray();
            for (ReplicaReport.GenerationSummary g : r.generations()) {
                j.beginObject().field("name", g.name()).field("current", g.current()).field("snapshots", g.snapshots())
                        .field("segments", g.segments()).field("frames", g.frames());
                if (g.firstIndex() >= 0) {
                    j.field("firstIndex", g.firstIndex());
                }
                if (g.lastIndex() >= 0) {
                    j.field("lastIndex", g.lastIndex());
                }
                LitestreamCommand.nullable(j, "restorableTo", g.restorableTo());
                j.field("createdAt", g.createdAt().toString()).field("updatedAt", g.updatedAt().toString()).endObject();
            }
            j.endArray().name("levels").beginArray();
            for (ReplicaReport.LevelSummary l : r.levels()) {
                j.beginObject().field("level", l.level()).field("files", l.files())
                        .field("minTxid", String.format("0x%016x", l.minTxid())).field("maxTxid", String.format("0x%016x", l.maxTxid()))
                        .endObject();
            }
            j.endArray();
            if (r.layout() == io.walkit.replica.ReplicaLayout.LTX) {
                LitestreamCommand.nullable(j, "restorableTo", r.restorableTxid() == null ? null : String.format("0x%016x", r.restorableTxid()));
            }
            j.name("problems").beginArray();
            for (io.walkit.io.Problem p : r.problems()) {
                LitestreamCommand.problem(j, p);
            }
            j.endArray().endObject();
            out.println(j);
        } else {
            out.println(r.layout().label() + " replica " + path + ": " + (r.ok() ? "ok" : "problems found"));
            for (ReplicaReport.GenerationSummary g : r.generations()) {
                out.println("generation " + g.name() + (g.current() ? " (current)" : "") + ": " + g.snapshots() + " snapshots, "
                        + g.segments() + " segments, " + g.frames() + " frames, restorable to "
                        + (g.restorableTo() == null ? "nothing" : g.restorableTo()));
            }
            for (ReplicaReport.LevelSummary l : r.levels()) {
                out.println(String.format("level %d: %d files, TXID 0x%016x..0x%016x", l.level(), l.files(), l.minTxid(), l.maxTxid()));
            }
            if (r.layout() == io.walkit.replica.ReplicaLayout.LTX) {
                out.println("restorable to " + (r.restorableTxid() == null ? "nothing" : String.format("TXID 0x%016x", r.restorableTxid())));
            }
            for (io.walkit.io.Problem p : r.problems()) {
                out.println(LitestreamCommand.problemText(p));
            }
        }
        return r.ok() ? Walkit.EXIT_OK : Walkit.EXIT_PROBLEMS;
    }
}
