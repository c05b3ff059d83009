package io.walkit.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whether a rollback journal beside a database is <em>hot</em> (SQLite: {@code hasHotJournal} in
 * {@code pager.c}), judged from the files alone: the journal exists, its first byte is not 0, and
 * the database is not empty (0 pages). A hot journal is played back by the next connection before
 * it reads anything, so the database SQLite shows is the rolled-back one.
 *
 * <p>What files at rest cannot tell: SQLite also requires that no connection holds a RESERVED
 * lock on the database (a live writer's journal is not hot). An examiner working on copies must
 * know whether the writer was still running; {@link #RESERVED_LOCK_NOTE} says so in reports.
 *
 * <p>Immutable; thread-safe.
 *
 * @param state           the verdict
 * @param journal         the journal path looked at
 * @param superJournal    the super-journal name at the journal's end, or null
 * @param superJournalExists whether that super-journal exists on this machine (false when none is named)
 */
public record HotJournal(State state, Path journal, String superJournal, boolean superJournalExists) {

    /** The caveat every hot-journal report carries. */
    public static final String RESERVED_LOCK_NOTE = "whether a connection still held a RESERVED lock (a live writer, "
            + "whose journal is not hot) cannot be known from files at rest";

    /** The verdict of {@code hasHotJournal}, file-level part. */
    public enum State {
        /** No journal file. */
        ABSENT,
        /** The journal is empty or its first byte is 0 (TRUNCATE mode, or PERSIST mode's zeroed header). */
        NOT_HOT_ZERO,
        /** The database has 0 pages: SQLite deletes such a journal instead of playing it. */
        NOT_HOT_EMPTY_DATABASE,
        /** Hot: SQLite plays it back before reading. */
        HOT
    }

    /** {@return whether the journal is hot} */
    public boolean hot() {
        return state == State.HOT;
    }

    /**
     * Whether playback would change the database: hot, and no super-journal is named or the named
     * one exists (a missing super-journal means the multi-database transaction committed).
     *
     * @return whether SQLite would roll the database back from this journal
     */
    public boolean rollsBack() {
        return hot() && (superJournal == null || superJournalExists);
    }

    /**
     * The journal SQLite looks for beside {@code db}: {@code db-journal}.
     *
     * @param db the database file
     * @return the path of {@code db} + {@code "-journal"} (which may not exist)
     */
    public static Path defaultJournal(Path db) {
        return db.resolveSibling(db.getFileName() + "-journal");
    }

    /**
     * Applies the file-level rules of {@code hasHotJournal} to {@code journal} beside {@code db}.
     * Opens both read-only; creates nothing.
     *
     * @param db      the database file
     * @param journal the rollback journal to judge (usually {@link #defaultJournal(Path)})
     * @return the verdict, with the super-journal name if the journal ends with one
     * @throws IOException when a file cannot be read
     */
    public static HotJournal check(Path db, Path journal) throws IOException {
        if (!Files.exists(journal, LinkOption.NOFOLLOW_LINKS) && !Files.exists(journal)) {
            return new HotJournal(State.ABSENT, journal, null, false);
        }
        try (var src = io.walkit.io.ByteSource.map(journal)) {
            if (src.size() == 0 || src.u8(0) == 0) {
                return new HotJournal(State.NOT_HOT_ZERO, journal, null, false);
            }
            SuperJournal sj = SuperJournal.read(src);
            String name = sj == null ? null : sj.name();
            boolean exists = name != null && !name.isEmpty() && Files.exists(Path.of(name));
            if (Files.size(db) == 0) {
                return new HotJournal(State.NOT_HOT_EMPTY_DATABASE, journal, name, exists);
            }
            return new HotJournal(State.HOT, journal, name, exists);
        } catch (java.nio.file.InvalidPathException e) {
            return new HotJournal(State.HOT, journal, null, false);
        }
    }
}
