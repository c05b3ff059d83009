package io.walkit.cli;

import io.walkit.io.CorruptFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** Maps exceptions from a verb to one line on stderr and walkit's exit codes. */
final class Errors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException u) {
            t = u.getCause();
        }
        var err = cl.getErr();
        if (t instanceof CorruptFileException c) {
            err.println("walkit: corrupt input: " + c.getMessage());
            return Walkit.EXIT_CORRUPT;
        }
        if (t instanceof NoSuchFileException n) {
            err.println("walkit: no such file: " + n.getFile());
            return Walkit.EXIT_IO;
        }
        if (t instanceof AccessDeniedException a) {
            err.println("walkit: permission denied: " + a.getFile());
            return Walkit.EXIT_IO;
        }
        if (t instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            err.println("walkit: " + f.getFile() + ": " + f.getReason());
            return Walkit.EXIT_IO;
        }
        if (t instanceof IOException io) {
            err.println("walkit: I/O error: " + io.getMessage());
            return Walkit.EXIT_IO;
        }
        if (t instanceof UsageException u) {
            err.println("walkit: " + u.getMessage());
            return Walkit.EXIT_USAGE;
        }
        // A walkit bug: still one line, but with the type so it can be reported.
        err.println("walkit: internal error: " + t);
        return Walkit.EXIT_INTERNAL;
    }

    /** A usage problem found after parsing (e.g. a verb-specific argument check). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
