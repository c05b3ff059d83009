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

    /** Writes one problem of a verification in walkit's one problem shape. */
    static void problem(Json j, io.walkit.io.Problem p) {
        j.problem(p);
    }

    static void nullable(Json j, String name, String v) {
        if (v == null) {
            j.name(name).nullValue();
        } else {
            j.field(name, v);
        }
    }

    /** One problem of a restore as a text line, with the last good position of an error. */
    static String problemText(ReplicaProblem p) {
        return problemText(p.problem()) + (p.lastGood() != null && p.isError() ? "; last good position " + p.lastGood() : "");
    }

    /** One problem as a text line: severity, code, structure and message, then file and position. */
    static String problemText(io.walkit.io.Problem p) {
        return p.toString();
    }
}
