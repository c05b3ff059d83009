package io.walkit.cli;

import io.walkit.replica.ReplicaDirectory;
import io.walkit.replica.ReplicaProblem;
import io.walkit.replica.ReplicaRestore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit litestream restore PATH --output FILE}: pure-Java restore that refuses past a gap. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restores a Litestream replica to FILE without SQLite: snapshot + WAL frames (or LTX pages) in",
                "order, into a temporary file beside FILE, fsynced, checked with walkit's integrity check, renamed.",
                "A target past a gap or damage is refused (exit 1, nothing written), naming the gap and the last",
                "good position. Nothing under PATH is ever changed."})
final class LitestreamRestoreCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "PATH", description = "replica root or LTX replica (read-only)")
    Path path;

    @CommandLine.Option(names = {"--output", "-o"}, required = true, paramLabel = "FILE", description = "the database to write")
    Path output;

    @CommandLine.Option(names = "--generation", paramLabel = "G", description = "restore from this generation (default: the latest)")
    String generation;

    @CommandLine.Option(names = "--index", paramLabel = "HEX", description = "restore through this WAL index (hex, inclusive)")
    String index;

    @CommandLine.Option(names = "--offset", paramLabel = "HEX", description = "with --index: stop at the last commit at or before this byte offset (hex) of that index")
    String offset;

    @CommandLine.Option(names = "--timestamp", paramLabel = "T", description = "restore to files written at or before this RFC 3339 time")
    String timestamp;

    @CommandLine.Option(names = "--txid", paramLabel = "HEX", description = "LTX replicas: restore through this TXID (hex)")
    String txid;

    @CommandLine.Option(names = "--force", description = "replace FILE if it exists")
    boolean force;

    @CommandLine.Option(names = "--no-integrity-check", description = "skip walkit's integrity check of the result")
    boolean noIntegrityCheck;

    @CommandLine.Option(names = "--json", description = "print one JSON object")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int targets = (index != null ? 1 : 0) + (timestamp != null ? 1 : 0) + (txid != null ? 1 : 0);
        if (targets > 1) {
            throw new Errors.UsageException("at most one of --index, --timestamp, --txid");
        }
        if (offset != null && index == null) {
            throw new Errors.UsageException("--offset needs --index");
        }
        Long idx = index == null ? null : parseHex("--index", index);
        Long off = offset == null ? null : parseHex("--offset", offset);
        Long tx = txid == null ? null : parseHex("--txid", txid);
        Instant ts = null;
        if (timestamp != null) {
            try {
                ts = OffsetDateTime.parse(timestamp).toInstant();
            } catch (DateTimeParseException e) {
                throw new Errors.UsageException("--timestamp must be RFC 3339 (e.g. 2024-01-02T03:04:05Z), found " + timestamp);
            }
        }
        ReplicaDirectory dir = ReplicaDirectory.open(path);
        if (tx != null && dir.layout() != io.walkit.replica.ReplicaLayout.LTX) {
            throw new Errors.UsageException("--txid applies to LTX replicas only; this is a " + dir.layout().label() + " replica");
        }
        if (idx != null && dir.layout() == io.walkit.replica.ReplicaLayout.LTX) {
            throw new Errors.UsageException("--index applies to v0.3/v0.4 replicas; use --txid for an LTX replica");
        }
        ReplicaRestore.Outcome outcome;
        try {
            outcome = ReplicaRestore.restore(dir, new ReplicaRestore.Target(generation, tx != null ? tx : idx, off, ts),
                    output, force, !noIntegrityCheck);
        } catch (IllegalArgumentException e) {
            throw new Errors.UsageException(e.getMessage());
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        switch (outcome) {
            case ReplicaRestore.Restored r -> {
                if (json) {
                    Json j = new Json().beginObject().field("ok", true).field("output", output.toString())
                            .field("position", r.position().toString()).field("snapshot", r.snapshot())
                            .field("indexes", r.indexes()).field("frames", r.frames()).field("pageCount", r.pageCount());
                    if (r.integrity() == null) {
                        j.name("integrityCheck").nullValue();
                    } else {
                        j.field("integrityCheck", r.integrity().ok());
                    }
                    out.println(j.endObject());
                } else {
                    out.println("restored " + output + " at " + r.position() + " (snapshot " + r.snapshot() + ", " + r.indexes()
                            + " WAL indexes, " + r.frames() + " frames, " + r.pageCount() + " pages"
                            + (r.integrity() == null ? ", integrity check skipped)" : ", integrity check ok)"));
                }
                return Walkit.EXIT_OK;
            }
            case ReplicaRestore.Refused r -> {
                if (json) {
                    Json j = new Json().beginObject().field("ok", false).field("output", output.toString()).field("reason", r.reason());
                    LitestreamCommand.nullable(j, "lastGood", r.lastGood());
                    j.name("problems").beginArray();
                    for (ReplicaProblem p : r.problems()) {
                        LitestreamCommand.problem(j, p);
                    }
                    out.println(j.endArray().endObject());
                } else {
                    for (ReplicaProblem p : r.problems()) {
                        if (p.isError()) {
                            out.println(LitestreamCommand.problemText(p));
                        }
                    }
                }
                err.println("walkit: restore refused, nothing written: " + r.reason());
                return Walkit.EXIT_PROBLEMS;
            }
        }
    }

    private static long parseHex(String option, String s) {
        try {
            String t = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
            long v = Long.parseUnsignedLong(t, 16);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new Errors.UsageException(option + " must be a hexadecimal number, found " + s);
        }
    }
}
