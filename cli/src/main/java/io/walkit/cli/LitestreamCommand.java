package io.walkit.cli;

import io.walkit.replica.ReplicaProblem;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit litestream}: reads, verifies and restores Litestream replicas (v0.3, v0.4-beta, meta directory, v0.5 LTX). */
@Command(name = "litestream", mixinStandardHelpOptions = true,
        description = "Reads, verifies and restores Litestream replicas without Litestream or SQLite.",
        subcommands = {LitestreamVerifyCommand.class, LitestreamLsCommand.class, LitestreamRestoreCommand.class})
final class LitestreamCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'litestream' (verify, ls, restore)");
    }

    /** Writes one problem in walkit's one problem shape, plus {@code lastGood} (the last safe restore position, or null). */
    static void problem(Json j, ReplicaProblem p) {
        j.beginProblem(p.toProblem());
        nullable(j, "lastGood", p.lastGood());
        j.endObject();
    }

    static void nullable(Json j, String name, String v) {
        if (v == null) {
            j.name(name).nullValue();
        } else {
            j.field(name, v);
        }
    }

    /** One problem as a text line. */
    static String problemText(ReplicaProblem p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.severity() == ReplicaProblem.Severity.ERROR ? "error " : "warning ").append(p.code().label()).append(": ");
        if (p.file() != null) {
            sb.append(p.file()).append(": ");
        } else if (p.generation() != null) {
            sb.append(p.generation()).append(p.index() >= 0 ? String.format("/%08x", p.index()) : "").append(": ");
        }
        sb.append(p.message());
        if (p.offset() >= 0 && p.file() != null) {
            sb.append(" (offset ").append(p.offset()).append(')');
        }
        if (p.lastGood() != null && p.isError()) {
            sb.append("; last good position ").append(p.lastGood());
        }
        return sb.toString();
    }
}
