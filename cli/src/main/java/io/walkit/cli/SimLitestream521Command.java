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

    @CommandLine.Option(names = "--json", description = "print one JSON object: {\"variants\": [{\"variant\", \"title\", \"facts\", \"files\"}]}")
    boolean json;

    @CommandLine.Option(names = "--force", description = "overwrite existing files in the --out directory")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Json variants;

    @Override
    public Integer call() throws Exception {
        var pw = spec.commandLine().getOut();
        boolean raw = variant.equals("raw") || variant.equals("both");
        boolean managed = variant.equals("managed") || variant.equals("both");
        if (!raw && !managed) {
            throw new Errors.UsageException("--variant must be raw, managed or both");
        }
        if (json) {
            variants = new Json().beginObject().name("variants").beginArray();
        }
        if (raw) {
            print(Scenarios.litestream521(false), "raw");
        }
        if (managed) {
            if (raw && !json) {
                pw.println();
            }
            print(Scenarios.litestream521(true), "managed");
        }
        if (json) {
            pw.println(variants.endArray().endObject());
        }
        return Walkit.EXIT_OK;
    }

    private void print(Narration n, String name) throws java.io.IOException {
        var pw = spec.commandLine().getOut();
        if (json) {
            SimNarrationJson.writeFields(variants.beginObject().field("variant", name), n).endObject();
        } else {
            pw.print(n.text());
        }
        if (out != null) {
            java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            n.files().forEach((k, v) -> files.put(name + "-" + k, v));
            String written = SimFiles.writeAll(out, files, force);
            (json ? spec.commandLine().getErr() : pw).print(written);
        }
    }
}
