package io.walkit.cli;

import io.walkit.db.FileKind;
import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;

/**
 * Checks shared by the {@code wal} verbs that name no picocli type, so that {@link FastPath}'s
 * {@code wal info} can call them without loading picocli (the group command {@link WalCommand}
 * throws picocli's exceptions, and verifying it loads them). Stateless; thread-safe.
 */
final class WalFiles {

    private WalFiles() {
    }

    /**
     * Refuses a file that is recognisably something other than a WAL (a database, a journal, an
     * LZ4 frame, ...), saying what it is; a WAL with a damaged magic still goes to the scanner,
     * which reports it as SQLite would treat it (its frames are ignored).
     */
    static void requireWal(ByteSource source) throws CorruptFileException {
        FileKind kind = FileKind.of(source);
        if (kind != FileKind.WAL && kind != FileKind.EMPTY && kind != FileKind.UNKNOWN && kind != FileKind.ZEROS) {
            throw new CorruptFileException(source.name(), 0, "WAL header", "magic", "0x377f0682 or 0x377f0683",
                    String.format("0x%08x: not a WAL; the file %s", source.size() >= 4 ? source.i32(0) : 0, kind.looksLike()));
        }
    }
}
