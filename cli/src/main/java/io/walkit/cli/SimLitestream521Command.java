package io.walkit.cli;

import io.walkit.sim.Narration;
import io.walkit.sim.Scenarios;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim litestream-521}: Litestream #521 replayed with a raw and with a managed pre-snapshot checkpoint. */
@Command(name = "litestream-521", mixinStandardHelpOptions = true,
        description = {"Replays benbjohnson/litestream#521 on the model: a raw PRAGMA wal_checkpoint(PASSIVE) before a",
                "snapshot lets SQLite restart the WAL behind the replicator (position lost, new generation);",
                "the managed checkpoint of PR #522 keeps the position."})
final class SimLitestream521Command implements Callable<Integer> {

    @CommandLine.Option(names = "--variant", paramLabel = "raw|managed|both", defaultValue = "both",
            description = "which pre-snapshot checkpoint to replay (default: both)")
    String variant;

    @CommandLine.Option(names = "--out", paramLabel = "DIR", description = "write the final db, WAL and shadow WAL of each variant into DIR")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var pw = spec.commandLine().getOut();
        boolean raw = variant.equals("raw") || variant.equals("both");
        boolean managed = variant.equals("managed") || variant.equals("both");
        if (!raw && !managed) {
            throw new Errors.UsageException("--variant must be raw, managed or both");
        }
        if (raw) {
            print(Scenarios.litestream521(false), "raw");
        }
        if (managed) {
            if (raw) {
                pw.println();
            }
            print(Scenarios.litestream521(true), "managed");
        }
        return Walkit.EXIT_OK;
    }

    private void print(Narration n, String name) throws java.io.IOException {
        var pw = spec.commandLine().getOut();
        pw.print(n.text());
        if (out != null) {
            java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            n.files().forEach((k, v) -> files.put(name + "-" + k, v));
            pw.print(SimFiles.writeAll(out, files));
        }
    }
}
