package io.walkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code walkit wal}: reads and verifies a write-ahead log. */
@Command(name = "wal", mixinStandardHelpOptions = true,
        description = "Reads and verifies a SQLite write-ahead log (-wal) file.",
        subcommands = {WalInfoCommand.class, WalFramesCommand.class, WalStaleCommand.class})
final class WalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of 'wal' (info, frames, stale)");
    }

    /**
     * Refuses a file that is recognisably something other than a WAL (a database, a journal, an
     * LZ4 frame, ...), saying what it is; a WAL with a damaged magic still goes to the scanner,
     * which reports it as SQLite would treat it (its frames are ignored).
     */
    static void requireWal(io.walkit.io.ByteSource source) throws io.walkit.io.CorruptFileException {
        io.walkit.db.FileKind kind = io.walkit.db.FileKind.of(source);
        if (kind != io.walkit.db.FileKind.WAL && kind != io.walkit.db.FileKind.EMPTY && kind != io.walkit.db.FileKind.UNKNOWN
                && kind != io.walkit.db.FileKind.ZEROS) {
            throw new io.walkit.io.CorruptFileException(source.name(), 0, "WAL header", "magic", "0x377f0682 or 0x377f0683",
                    String.format("0x%08x: not a WAL; the file %s", source.size() >= 4 ? source.i32(0) : 0, kind.looksLike()));
        }
    }
}
