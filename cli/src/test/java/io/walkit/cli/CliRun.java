package io.walkit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the walkit command line in-process and captures its output and exit code. */
record CliRun(int code, String out, String err) {

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Walkit.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
