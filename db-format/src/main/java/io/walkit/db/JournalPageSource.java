package io.walkit.db;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A database file as SQLite shows it after playing back a hot rollback journal: the database
 * truncated or zero-extended to the journal's {@code dbOrigSize}, with every page the journal
 * restores read from the journal's record (docs/journal.md). Nothing is written: the view is computed.
 *
 * <p>Memory: one page-number → journal-offset entry per restored page. Closing closes the
 * database source and the journal's byte source. Not thread-safe for {@link #close()}; reads are.
 */
public final class JournalPageSource implements PageSource {

    private final FilePageSource db;
    private final Journal journal;
    private final Journal.Playback playback;
    private boolean closed;

    /**
     * A view of {@code db} after {@code playback}; takes ownership of {@code db} and of the
     * journal's byte source.
     *
     * @param db       the database file's pages (its page size must equal the journal's when it has pages)
     * @param journal  the decoded journal (its source is closed with this view)
     * @param playback what playback does ({@link Journal#playback(boolean)}); must {@link Journal.Playback#applies() apply}
     * @throws CorruptFileException     when the database's page size differs from the journal's
     * @throws IllegalArgumentException if {@code playback} does not apply
     */
    public JournalPageSource(FilePageSource db, Journal journal, Journal.Playback playback) throws CorruptFileException {
        if (!playback.applies()) {
            throw new IllegalArgumentException("playback does not apply");
        }
        if (db.pageSize() != journal.pageSize()) {
            throw new CorruptFileException(journal.source().name(), JournalHeader.OFF_PAGE_SIZE, "journal header",
                    "page size", "the database's page size " + db.pageSize(), Integer.toString(journal.pageSize()));
        }
        this.db = db;
        this.journal = journal;
        this.playback = playback;
    }

    /**
     * The database file {@code db} as SQLite shows it given the journal verdict {@code hot}: rolled
     * back through the journal when it is hot and playback applies, else the file as it is.
     * Everything is opened read-only.
     *
     * @param db  the database file
     * @param hot the verdict on its journal ({@link HotJournal#check(Path, Path)})
     * @return the pages SQLite would show; the caller closes them
     * @throws IOException          when a file cannot be read
     * @throws CorruptFileException when the database header's page size is illegal, or the
     *                              journal's page size differs from the database's
     */
    public static PageSource open(Path db, HotJournal hot) throws IOException {
        FilePageSource file = FilePageSource.map(db);
        if (!hot.rollsBack()) {
            return file;
        }
        try {
            ByteSource j = ByteSource.map(hot.journal());
            try {
                Journal journal = Journal.read(j, file.pageSize());
                Journal.Playback playback = journal.playback(hot.superJournalExists());
                if (!playback.applies()) {
                    j.close();
                    return file;
                }
                return new JournalPageSource(file, journal, playback);
            } catch (IOException | RuntimeException e) {
                j.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** {@return the decoded journal} */
    public Journal journal() {
        return journal;
    }

    @Override
    public String name() {
        return db.name();
    }

    @Override
    public int pageSize() {
        return db.pageSize();
    }

    @Override
    public long pageCount() {
        return playback.pageCount();
    }

    @Override
    public MemorySegment page(long pageNumber) {
        if (pageNumber < 1 || pageNumber > pageCount()) {
            throw new IndexOutOfBoundsException("page " + pageNumber + " of " + pageCount());
        }
        long at = playback.imageOffset(pageNumber);
        if (at >= 0) {
            return journal.source().slice(at, pageSize());
        }
        return db.pageOrZeros(pageNumber);
    }

    @Override
    public long directReadBytes(long pageNumber) {
        return playback.imageOffset(pageNumber) >= 0 ? Long.MAX_VALUE : db.directReadBytes(pageNumber);
    }

    @Override
    public String origin(long pageNumber) {
        long at = playback.imageOffset(pageNumber);
        return at >= 0 ? "journal record at offset " + CorruptFileException.offsetText(at - 4) : db.origin(pageNumber);
    }

    @Override
    public long fileOffset(long pageNumber, int inPage) {
        long at = playback.imageOffset(pageNumber);
        return at >= 0 ? at + inPage : db.fileOffset(pageNumber, inPage);
    }

    /** Closes the database source and the journal's bytes; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        db.close();
        ByteSource s = journal.source();
        s.close();
    }
}
