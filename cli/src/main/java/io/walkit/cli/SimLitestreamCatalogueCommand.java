package io.walkit.cli;

import io.walkit.sim.Narration;
import io.walkit.sim.litestream.Catalogue;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit sim litestream-catalogue}: the Litestream failure modes the model can replay. */
@Command(name = "litestream-catalogue", mixinStandardHelpOptions = true,
        description = {"Replays the Litestream failure modes of the issues corpus that the WAL protocol model can",
                "express (#521, #547, #109/#362/#393, #79/#391, #422, #724, #1536); see docs/sim.md for the rest."})
final class SimLitestreamCatalogueCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--json", description = "print one JSON object: {\"scenarios\": [{\"title\", \"facts\", \"files\"}]}")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var pw = spec.commandLine().getOut();
        if (json) {
            Json j = new Json().beginObject().name("scenarios").beginArray();
            for (Narration n : Catalogue.all()) {
                SimNarrationJson.write(j, n);
            }
            pw.println(j.endArray().endObject());
            return Walkit.EXIT_OK;
        }
        boolean first = true;
        for (Narration n : Catalogue.all()) {
            if (!first) {
                pw.println();
            }
            first = false;
            pw.print(n.text());
            n.facts().forEach((k, v) -> pw.println("   fact " + k + " = " + v));
        }
        return Walkit.EXIT_OK;
    }
}
