package io.walkit.cli;

import io.walkit.io.Problem;

import io.walkit.replica.ShadowPosition;
import io.walkit.replica.ShadowVerdict;
import io.walkit.replica.ShadowVerifier;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit shadow verify}: would a Litestream v0.3 replicator continue from its shadow WAL, and what do stricter checks say. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Decides whether a replicator can continue from its shadow WAL (a copy of the WAL as it last",
                "saw it) given the WAL now: continue, new-wal (continue at frame 1 of a restarted WAL) or",
                "position-lost, with Litestream v0.3's reason, plus stricter checks Litestream lacks.",
                "Exit code 1 when the position is lost (or, with --strict, when a stricter check says so)."})
final class ShadowVerifyCommand implements Callable<Integer> {

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Last last;

    static final class Last {
        @CommandLine.Option(names = "--shadow", required = true, paramLabel = "FILE", description = "the shadow WAL (read-only)")
        Path shadow;

        @CommandLine.Option(names = "--position", required = true, paramLabel = "POS",
                description = "the last copied position instead of a shadow file: "
                        + "salt1=HEX,salt2=HEX,page-size=N,frame=N,checksum=HEX:HEX (checksum of that frame, or of the header for frame 0)")
        String position;
    }

    @CommandLine.Option(names = "--wal", required = true, paramLabel = "FILE",
            description = "the live -wal file (read-only; a missing file is a verdict, not an error)")
    Path wal;

    @CommandLine.Option(names = "--json", description = "print one JSON object")
    boolean json;

    @CommandLine.Option(names = "--strict", description = "exit 1 also when a stricter check finds the position lost")
    boolean strict;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        byte[] walBytes;
        try {
            walBytes = Files.readAllBytes(wal);
        } catch (NoSuchFileException e) {
            walBytes = null;
        }
        ShadowVerdict v;
        if (last.shadow != null) {
            v = ShadowVerifier.verify(Files.readAllBytes(last.shadow), walBytes);
        } else {
            ShadowPosition pos;
            try {
                pos = ShadowPosition.parse(last.position);
            } catch (IllegalArgumentException e) {
                throw new Errors.UsageException("--position: " + e.getMessage());
            }
            v = ShadowVerifier.verify(pos, walBytes);
        }
        var pw = spec.commandLine().getOut();
        pw.println(json ? toJson(v) : toText(v));
        ShadowVerdict.Verdict decisive = strict ? v.strictVerdict() : v.verdict();
        return decisive == ShadowVerdict.Verdict.POSITION_LOST ? Walkit.EXIT_PROBLEMS : Walkit.EXIT_OK;
    }

    static String toJson(ShadowVerdict v) {
        Json j = new Json().beginObject();
        j.field("verdict", v.verdict().json());
        j.field("reason", v.reason());
        positiveOrNull(j, "litestreamCheck", v.litestreamCheck());
        j.field("lastFrame", v.lastFrame());
        positiveOrNull(j, "continueAtFrame", v.continueAtFrame());
        j.field("unseenCommittedFrames", v.unseenCommittedFrames());
        j.name("unseenFrames").beginArray();
        v.unseenFrameList().forEach(j::value);
        j.endArray();
        j.field("strictVerdict", v.strictVerdict().json());
        j.name("findings").beginArray();
        for (Problem f : v.findings()) {
            j.problem(f);
        }
        j.endArray();
        return j.endObject().toString();
    }

    /** {@code name: n}, or {@code name: null} when {@code n} is not positive (not applicable). */
    private static void positiveOrNull(Json j, String name, long n) {
        j.name(name);
        if (n > 0) {
            j.value(n);
        } else {
            j.nullValue();
        }
    }

    static String toText(ShadowVerdict v) {
        StringBuilder sb = new StringBuilder();
        sb.append("verdict:          ").append(v.verdict().json()).append('\n');
        sb.append("reason:           ").append(v.reason())
                .append(v.litestreamCheck() > 0 ? " (Litestream verify row " + v.litestreamCheck() + ")" : "").append('\n');
        sb.append("last shadow frame: ").append(v.lastFrame()).append('\n');
        if (v.continueAtFrame() > 0) {
            sb.append("continue at frame: ").append(v.continueAtFrame()).append('\n');
        }
        sb.append("unseen committed frames: ").append(v.unseenCommittedFrames()).append('\n');
        for (String f : v.unseenFrameList()) {
            sb.append("  ").append(f).append('\n');
        }
        sb.append("strict verdict:   ").append(v.strictVerdict().json());
        for (Problem f : v.findings()) {
            sb.append("\n  [").append(ShadowVerdict.fatal(f) ? "fatal" : "note").append("] ").append(f.code().id()).append(": ")
                    .append(f.message());
        }
        return sb.toString();
    }
}
