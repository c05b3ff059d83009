package io.walkit.db;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.io.Problem;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A SQLite database opened as evidence: the database file with whatever {@code -wal},
 * {@code -shm} and {@code -journal} lie beside it, read-only, showing the content SQLite would
 * show, as of the WAL's last commit or any earlier one. The facade for the common forensic case.
 *
 * <p>What is shown ({@link #view()}): the database file alone; or read through the WAL up to a
 * commit (the last valid one by default, SQLite's recovery); or, when a hot rollback journal lies
 * beside the file and no WAL is used, the database as SQLite shows it after rolling the journal
 * back ({@link JournalPageSource}). A hot journal and a non-empty WAL together are not combined:
 * the WAL view is shown and {@link #notes()} says the journal was not applied.
 *
 * <p>Nothing is ever written or created: every file is mapped read-only, no {@code -shm},
 * {@code -wal} or journal is created, no lock is taken. (SQLite itself would create and modify
 * files; never open evidence with it in place.)
 *
 * <p>Rows come as a lazy {@link Stream} or {@link Iterator} (one b-tree cell decoded per element,
 * constant memory besides the current row), or through a callback. Values are {@code null},
 * {@link Long}, {@link Double}, {@link String} or {@code byte[]}; a {@link Row} owns copies.
 * Damage met while streaming surfaces as an {@link UncheckedIOException} wrapping the
 * {@link CorruptFileException}; the callback form throws the checked exception itself.
 *
 * <p>Not thread-safe: confine an instance to one thread (open one per thread; opening maps the
 * files and is cheap). The caller closes it; {@link #close()} is idempotent, unmaps the files and
 * makes every later call (including on unfinished streams) fail with {@link IllegalStateException}.
 */
public final class Evidence implements AutoCloseable {

    /** What the content shown comes from. */
    public enum View {
        /** The database file alone (no WAL, or commit 0 requested, and no hot journal applied). */
        DATABASE_FILE,
        /** The database file read through the WAL up to {@link Evidence#commit()}. */
        WAL_COMMIT,
        /** The database file after SQLite's playback of the hot rollback journal. */
        JOURNAL_ROLLED_BACK
    }

    /** The codes of {@link #notes()}. */
    public enum Note implements Problem.Code {
        /** A hot journal lies beside the file; playback applies (the shown content is rolled back) or not (see detail). */
        HOT_JOURNAL("hot-journal"),
        /** A hot journal and a non-empty WAL were both found; the journal was not applied. */
        HOT_JOURNAL_WITH_WAL("hot-journal-with-wal"),
        /** The WAL holds frames after the last commit (an unfinished or crashed transaction): not shown. */
        UNCOMMITTED_WAL_FRAMES("uncommitted-wal-frames"),
        /** A finding of the {@code -shm} cross-check ({@link WalIndex}); the detail names its code. */
        SHM_FINDING("shm-finding");

        private final String id;

        Note(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /**
     * How to open: which commit of the WAL to show and whether to use the WAL and a hot journal.
     * Immutable.
     *
     * @param atCommit   the 1-based WAL commit to show ({@code 0}: the database file alone), or
     *                   {@code null} for the last valid commit
     * @param useWal     whether to read through the {@code -wal} beside the file
     * @param useJournal whether to roll back a hot {@code -journal} beside the file
     */
    public record Options(Integer atCommit, boolean useWal, boolean useJournal) {
        /** SQLite's view: the last commit of the WAL, a hot journal rolled back. */
        public static final Options DEFAULT = new Options(null, true, true);

        /** Checks that the commit is not negative. */
        public Options {
            if (atCommit != null && atCommit < 0) {
                throw new IllegalArgumentException("atCommit must be >= 0, found " + atCommit);
            }
        }

        /**
         * These options showing WAL commit {@code commit} (0: the database file alone).
         *
         * @param commit the 1-based commit number
         * @return new options
         */
        public Options atCommit(int commit) {
            return new Options(commit, useWal, useJournal);
        }

        /**
         * These options ignoring any {@code -wal}.
         *
         * @return new options
         */
        public Options withoutWal() {
            return new Options(atCommit, false, useJournal);
        }

        /**
         * These options ignoring any {@code -journal}.
         *
         * @return new options
         */
        public Options withoutJournal() {
            return new Options(atCommit, useWal, false);
        }
    }

    private final Path database;
    private final Path wal;
    private final Path shm;
    private final HotJournal journal;
    private final View view;
    private final int commit;
    private final int walCommits;
    private final List<Problem> notes;
    private final Database db;
    private boolean closed;

    private Evidence(Path database, Path wal, Path shm, HotJournal journal, View view, int commit, int walCommits,
                     List<Problem> notes, Database db) {
        this.database = database;
        this.wal = wal;
        this.shm = shm;
        this.journal = journal;
        this.view = view;
        this.commit = commit;
        this.walCommits = walCommits;
        this.notes = List.copyOf(notes);
        this.db = db;
    }

    /**
     * Opens {@code database} as SQLite would show it now: through its WAL's last commit, or rolled
     * back through a hot journal.
     *
     * @param database the database file
     * @return the evidence; close it
     * @throws CorruptFileException when the database (or WAL) cannot be read as SQLite would refuse it
     * @throws IOException          when a file cannot be read
     */
    public static Evidence open(Path database) throws IOException {
        return open(database, Options.DEFAULT);
    }

    /**
     * Opens {@code database} with {@code options}.
     *
     * @param database the database file
     * @param options  which view to show
     * @return the evidence; close it
     * @throws IllegalArgumentException when {@code options.atCommit()} is beyond the WAL's valid commits
     * @throws CorruptFileException     when the database (or WAL) cannot be read as SQLite would refuse it
     * @throws IOException              when a file cannot be read
     */
    public static Evidence open(Path database, Options options) throws IOException {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(options, "options");
        if (!Files.isRegularFile(database)) {
            throw new java.nio.file.NoSuchFileException(database.toString(), null, "not a regular file");
        }
        Path walPath = beside(database, "-wal");
        Path shmPath = beside(database, "-shm");
        boolean walUsable = options.useWal() && walPath != null && Files.size(walPath) > 0;
        HotJournal hot = HotJournal.check(database, HotJournal.defaultJournal(database));
        List<Problem> notes = new ArrayList<>();
        String name = database.toString();
        if (hot.hot()) {
            notes.add(note(Note.HOT_JOURNAL, name, hot.rollsBack()
                    ? "a hot rollback journal (" + hot.journal().getFileName() + ") lies beside the file; SQLite rolls it back"
                    + " before reading; " + HotJournal.RESERVED_LOCK_NOTE
                    : "a hot journal names super-journal " + hot.superJournal() + ", which does not exist: the transaction"
                    + " committed and SQLite discards the journal"));
        }
        if (options.atCommit() != null && options.atCommit() > 0 && !walUsable) {
            throw new IllegalArgumentException("commit " + options.atCommit() + " requested but there is no WAL beside " + name);
        }
        if (walUsable) {
            if (hot.rollsBack()) {
                notes.add(note(Note.HOT_JOURNAL_WITH_WAL, name, "a hot journal and a non-empty WAL lie beside the file;"
                        + " walkit shows the WAL view and does not apply the journal"));
            }
            PageSource pages = Database.openPages(database, walPath, options.atCommit());
            try {
                int walCommits = 0;
                int shown = 0;
                if (pages instanceof WalPageSource w) {
                    WalScan scan = w.wal();
                    walCommits = scan.commitCount();
                    shown = w.commit();
                    if (scan.lastValidFrame() > scan.mxFrame()) {
                        notes.add(note(Note.UNCOMMITTED_WAL_FRAMES, walPath.toString(), (scan.lastValidFrame() - scan.mxFrame())
                                + " valid frames after the last commit (frame " + scan.mxFrame() + ") are not shown"));
                    }
                    if (shmPath != null) {
                        shmNotes(shmPath, scan, notes);
                    }
                }
                Database db = Database.open(pages);
                return new Evidence(database, walPath, shmPath, hot, shown > 0 ? View.WAL_COMMIT : View.DATABASE_FILE,
                        shown, walCommits, notes, db);
            } catch (IOException | RuntimeException e) {
                pages.close();
                throw e;
            }
        }
        PageSource pages = options.useJournal() ? JournalPageSource.open(database, hot) : FilePageSource.map(database);
        try {
            Database db = Database.open(pages);
            return new Evidence(database, null, shmPath, hot,
                    pages instanceof JournalPageSource ? View.JOURNAL_ROLLED_BACK : View.DATABASE_FILE, 0, 0, notes, db);
        } catch (IOException | RuntimeException e) {
            pages.close();
            throw e;
        }
    }

    private static void shmNotes(Path shmPath, WalScan scan, List<Problem> notes) throws IOException {
        try (ByteSource src = ByteSource.map(shmPath)) {
            WalIndex index = WalIndex.read(src);
            List<Problem> found = new ArrayList<>(index.checkHeader());
            if (index.status() == WalIndex.Status.DECODED) {
                found.addAll(index.crossCheck(scan));
            }
            for (Problem p : found) {
                notes.add(new Problem(p.severity(), Note.SHM_FINDING, shmPath.toString(), p.position(), p.structure(),
                        p.field(), p.expected(), p.found(), p.code().id() + ": " + p.message()));
            }
        }
    }

    private static Problem note(Note code, String file, String detail) {
        return new Problem(code == Note.HOT_JOURNAL_WITH_WAL ? Problem.Severity.WARNING : Problem.Severity.INFO, code, file,
                null, null, null, null, null, detail);
    }

    private static Path beside(Path database, String suffix) {
        Path p = database.resolveSibling(database.getFileName() + suffix);
        return Files.isRegularFile(p) ? p : null;
    }

    private Database db() {
        if (closed) {
            throw new IllegalStateException("closed: " + database);
        }
        return db;
    }

    /**
     * The database file.
     *
     * @return the path given to {@code open}
     */
    public Path database() {
        return database;
    }

    /**
     * The {@code -wal} beside the database, if one was read.
     *
     * @return the WAL path, or empty when none was used
     */
    public Optional<Path> wal() {
        return Optional.ofNullable(wal);
    }

    /**
     * The {@code -shm} beside the database, if one exists (its findings are in {@link #notes()}).
     *
     * @return the -shm path, or empty
     */
    public Optional<Path> shm() {
        return Optional.ofNullable(shm);
    }

    /**
     * The verdict on the {@code -journal} beside the database (state {@code ABSENT} when there is none).
     *
     * @return SQLite's file-level {@code hasHotJournal} verdict
     */
    public HotJournal journal() {
        return journal;
    }

    /**
     * Whether a hot rollback journal lies beside the database.
     *
     * @return true if SQLite would treat the journal as hot
     */
    public boolean hotJournal() {
        return journal.hot();
    }

    /**
     * What the content shown comes from.
     *
     * @return the view
     */
    public View view() {
        return view;
    }

    /**
     * The WAL commit shown (1-based), or 0 when the WAL is not read.
     *
     * @return the commit number
     */
    public int commit() {
        return commit;
    }

    /**
     * The number of valid commits in the WAL (what SQLite's recovery would keep), or 0.
     *
     * @return the commit count
     */
    public int walCommits() {
        return walCommits;
    }

    /**
     * What the reader should know about the files: a hot journal, frames after the last commit,
     * the {@code -shm}'s findings. Unmodifiable.
     *
     * @return the notes, possibly empty
     */
    public List<Problem> notes() {
        return notes;
    }

    /**
     * The same files shown as of WAL commit {@code commit} (0: the database file alone). The new
     * instance is independent: close both.
     *
     * @param commit the 1-based commit number
     * @return a new evidence view
     * @throws IOException as {@link #open(Path, Options)}
     */
    public Evidence atCommit(int commit) throws IOException {
        db();
        return open(database, Options.DEFAULT.atCommit(commit));
    }

    /**
     * The page size of the content shown.
     *
     * @return bytes per page
     */
    public int pageSize() {
        return db().pageSize();
    }

    /**
     * The number of pages of the content shown.
     *
     * @return the page count
     */
    public long pageCount() {
        return db().pageCount();
    }

    /**
     * The rows of {@code sqlite_schema}, in rowid order.
     *
     * @return an unmodifiable list
     * @throws CorruptFileException when the schema cannot be read
     */
    public List<SchemaEntry> schema() throws CorruptFileException {
        return db().schema().entries();
    }

    /**
     * The names of the tables that have rows (type {@code table} with a b-tree), in schema order.
     *
     * @return an unmodifiable list
     * @throws CorruptFileException when the schema cannot be read
     */
    public List<String> tableNames() throws CorruptFileException {
        return db().schema().tables().stream().map(SchemaEntry::name).toList();
    }

    /**
     * The column names of {@code table} in declaration order.
     *
     * @param table a table name (case-insensitive)
     * @return an unmodifiable list
     * @throws IllegalArgumentException when there is no such table with a b-tree
     * @throws CorruptFileException     when the schema cannot be read
     */
    public List<String> columnNames(String table) throws CorruptFileException {
        return reader(table).columnNames();
    }

    private TableReader reader(String table) throws CorruptFileException {
        TableReader r = TableReader.open(db(), table);
        if (r == null) {
            throw new IllegalArgumentException("no table " + table + " with rows in " + database);
        }
        return r;
    }

    /**
     * Receives the rows of {@link #forEachRow}.
     */
    @FunctionalInterface
    public interface RowCallback {
        /**
         * One row.
         *
         * @param row the row (owned by the callee)
         * @return false to stop
         * @throws IOException to stop with an error, passed on to the caller
         */
        boolean row(Row row) throws IOException;
    }

    /**
     * Calls {@code callback} with every row of {@code table} in key order until it returns false.
     *
     * @param table    a table name (case-insensitive)
     * @param callback receives the rows
     * @return false if the callback stopped the scan
     * @throws CorruptFileException when a structure on the way cannot be read
     * @throws IOException          when the callback throws it
     */
    public boolean forEachRow(String table, RowCallback callback) throws IOException {
        TableReader r = reader(table);
        IOException[] thrown = {null};
        boolean done = r.scan((rowid, values) -> {
            try {
                return callback.row(new Row(rowid, values));
            } catch (CorruptFileException e) {
                throw e;
            } catch (IOException e) {
                thrown[0] = e;
                return false;
            }
        });
        if (thrown[0] != null) {
            throw thrown[0];
        }
        return done;
    }

    /**
     * The rows of {@code table} in key order, decoded lazily one by one.
     *
     * @param table a table name (case-insensitive)
     * @return an iterator whose {@code next()} throws {@link UncheckedIOException} on damage
     * @throws CorruptFileException when the schema cannot be read
     */
    public Iterator<Row> iterator(String table) throws CorruptFileException {
        TableReader r = reader(table);
        TableInfo info = r.info();
        Database.Scan scan = db().cursor(r.entry().rootPage(), !info.withoutRowid());
        return new Iterator<>() {
            private Row next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    db();
                    Row[] got = {null};
                    try {
                        if (info.withoutRowid()) {
                            scan.run(null, rec -> {
                                got[0] = new Row(0, r.values(0, rec));
                                return false;
                            });
                        } else {
                            scan.run((rowid, rec) -> {
                                got[0] = new Row(rowid, r.values(rowid, rec));
                                return false;
                            }, null);
                        }
                    } catch (CorruptFileException e) {
                        done = true;
                        throw new UncheckedIOException(e);
                    }
                    next = got[0];
                    done = next == null;
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row out = next;
                next = null;
                return out;
            }
        };
    }

    /**
     * The rows of {@code table} in key order as a lazy, sequential, ordered stream.
     *
     * @param table a table name (case-insensitive)
     * @return a stream; damage surfaces as {@link UncheckedIOException} during the terminal operation
     * @throws CorruptFileException when the schema cannot be read
     */
    public Stream<Row> rows(String table) throws CorruptFileException {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(table),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * SQLite's {@code PRAGMA integrity_check} of the content shown.
     *
     * @param maxProblems stop after this many problems (SQLite: 100)
     * @return the report
     */
    public IntegrityCheck.Report integrityCheck(int maxProblems) {
        return IntegrityCheck.check(db(), maxProblems);
    }

    /** Unmaps the files; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            db.close();
        }
    }

    /** {@code app.db (WAL commit 4 of 4)}. */
    @Override
    public String toString() {
        return database + " (" + switch (view) {
            case DATABASE_FILE -> "database file";
            case WAL_COMMIT -> "WAL commit " + commit + " of " + walCommits;
            case JOURNAL_ROLLED_BACK -> "rolled back through " + journal.journal().getFileName();
        } + (closed ? ", closed" : "") + ")";
    }

    /**
     * One row: its rowid (0 for WITHOUT ROWID tables) and column values in declaration order.
     * Immutable: {@code byte[]} values are copied in and out. Thread-safe.
     */
    public static final class Row {
        private final long rowid;
        private final Object[] values;

        Row(long rowid, Object[] values) {
            this.rowid = rowid;
            this.values = values.clone();
            for (int i = 0; i < this.values.length; i++) {
                if (this.values[i] instanceof byte[] b) {
                    this.values[i] = b.clone();
                }
            }
        }

        /**
         * The rowid.
         *
         * @return the rowid, or 0 for a WITHOUT ROWID table
         */
        public long rowid() {
            return rowid;
        }

        /**
         * The number of columns.
         *
         * @return the column count
         */
        public int size() {
            return values.length;
        }

        /**
         * Column {@code i}'s value.
         *
         * @param i 0-based column index in declaration order
         * @return null, Long, Double, String or a copy of the byte[]
         */
        public Object get(int i) {
            Object v = values[i];
            return v instanceof byte[] b ? b.clone() : v;
        }

        /**
         * All values (byte[] copied).
         *
         * @return an unmodifiable list (null elements allowed)
         */
        public List<Object> values() {
            List<Object> out = new ArrayList<>(values.length);
            for (int i = 0; i < values.length; i++) {
                out.add(get(i));
            }
            return java.util.Collections.unmodifiableList(out);
        }

        /** {@code 3: [1, 'x', x'00ff', NULL]}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder().append(rowid).append(": [");
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                sb.append(i == 0 ? "" : ", ").append(switch (v) {
                    case null -> "NULL";
                    case byte[] b -> "x'" + java.util.HexFormat.of().formatHex(b) + "'";
                    case String s -> "'" + s.replace("'", "''") + "'";
                    default -> v.toString();
                });
            }
            return sb.append(']').toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && r.rowid == rowid && java.util.Arrays.deepEquals(r.values, values);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(rowid) * 31 + java.util.Arrays.deepHashCode(values);
        }
    }
}
