package io.walkit.cli;

import io.walkit.db.Database;
import io.walkit.db.DatabaseHeader;
import io.walkit.db.FileKind;
import io.walkit.db.FilePageSource;
import io.walkit.db.JournalHeader;
import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.CheckpointInfo;
import io.walkit.wal.WalIndex;
import io.walkit.wal.WalIndexHeader;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walkit scan PATH...}: finds SQLite databases, WALs, wal-indexes and rollback journals by
 * their magic under files and directories, groups each database with its siblings and prints one
 * report per set, the sets read in parallel.
 *
 * <p>Each set's report carries what {@code db info} (header, schema size; the database file alone),
 * {@code wal info} (the full summary, SQLite's recovery verdict) and {@code shm info} (status and
 * header) report, and its problems: a sibling whose magic does not fit its name, a file that could
 * not be read, a corrupt structure. Sets are printed in path order whatever the thread count.
 * Exit code: 0 when every set was read without problems, 1 when any set or path had a problem.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Finds SQLite databases, WALs, wal-indexes (-shm) and rollback journals by their magic under "
                + "PATHs, groups each database with its -wal/-shm/-journal siblings and reports each set "
                + "(one JSON object per set with --json: JSON Lines). Sets are read in parallel."})
final class ScanCommand implements Callable<Integer> {

    @CommandLine.Parameters(arity = "1..*", paramLabel = "PATH", description = "files or directories (walked recursively; read-only)")
    List<Path> paths;

    @CommandLine.Option(names = "--json", description = "print one JSON object per set (JSON Lines)")
    boolean json;

    @CommandLine.Option(names = "--threads", paramLabel = "N",
            description = "sets read at once (default: the number of processors)")
    Integer threads;

    @CommandLine.Option(names = "--follow-links", description = "follow symbolic links to directories (loops are detected and reported)")
    boolean followLinks;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (threads != null && threads < 1) {
            throw new Errors.UsageException("--threads must be at least 1, found " + threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean progress = Boolean.getBoolean("walkit.stderr.tty");
        FileSets.Found found = FileSets.find(paths, followLinks);
        boolean problems = !found.problems().isEmpty();
        for (FileSets.Problem p : found.problems()) {
            if (json) {
                out.println(new Json().beginObject().field("kind", "error").field("path", p.path().toString())
                        .field("message", p.message()).endObject());
            } else {
                out.println(p.path() + ": " + p.message());
            }
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        List<FileSets.FileSet> sets = found.sets();
        // A bounded window of sets in flight, printed in order: memory stays proportional to the
        // window, not to the number of sets.
        int window = 4 * n;
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "walkit-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<Report>> inFlight = new ArrayDeque<>();
            int next = 0;
            int done = 0;
            while (done < sets.size()) {
                while (next < sets.size() && inFlight.size() < window) {
                    FileSets.FileSet set = sets.get(next++);
                    inFlight.add(pool.submit(() -> report(set)));
                }
                Report r = get(inFlight.removeFirst());
                out.println(json ? r.json() : r.text());
                problems |= r.problems();
                done++;
                if (progress) {
                    err.print("\rwalkit scan: " + done + "/" + sets.size() + " sets");
                    err.flush();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (progress && !sets.isEmpty()) {
            err.print("\r\033[K");
            err.flush();
        }
        if (!json) {
            out.println(sets.size() + " sets in " + found.filesSeen() + " files" + (problems ? "; problems found" : ""));
        }
        return problems ? Walkit.EXIT_PROBLEMS : Walkit.EXIT_OK;
    }

    private static Report get(Future<Report> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            // A walkit bug in one set's report: Errors reports it as an internal error (exit 70).
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    /** One set's report, both renderings. */
    record Report(String json, String text, boolean problems) {
    }

    /** Reads every member of {@code set}; problems of the files are part of the report. */
    static Report report(FileSets.FileSet set) {
        Json j = new Json().beginObject();
        StringBuilder text = new StringBuilder(set.path().toString()).append(':');
        j.field("kind", "set").field("path", set.path().toString());
        j.name("files").beginArray();
        for (FileSets.Member m : set.members()) {
            j.beginObject().field("path", m.path().toString()).field("role", m.role().jsonName())
                    .field("magic", FileSets.jsonName(m.kind())).field("size", m.size()).endObject();
        }
        j.endArray();
        List<Issue> issues = new java.util.ArrayList<>();
        for (FileSets.Member m : set.members()) {
            if (m.mismatch()) {
                String expected = FileSets.jsonName(m.role().expected());
                String found = FileSets.jsonName(m.kind());
                issues.add(new Issue(m.path(), "magic-mismatch", expected, found,
                        "named as " + m.role().expected().description() + " but the file is " + m.kind().looksLike()));
                text.append(" [").append(m.path().getFileName()).append(": not a ").append(expected)
                        .append(", magic ").append(found).append(']');
            }
        }
        for (FileKind kind : new FileKind[] {FileKind.SQLITE_DATABASE, FileKind.WAL, FileKind.WAL_INDEX,
                FileKind.ROLLBACK_JOURNAL}) {
            FileSets.Member m = memberOfKind(set, kind);
            String name = switch (kind) {
                case SQLITE_DATABASE -> "database";
                case WAL -> "wal";
                case WAL_INDEX -> "walIndex";
                default -> "journal";
            };
            j.name(name);
            if (m == null) {
                j.nullValue();
                continue;
            }
            try {
                switch (kind) {
                    case SQLITE_DATABASE -> database(j, text, m.path());
                    case WAL -> wal(j, text, m.path());
                    case WAL_INDEX -> walIndex(j, text, m.path());
                    default -> journal(j, text, m.path());
                }
            } catch (IOException e) {
                j.nullValue();
                String what = e instanceof CorruptFileException ? "corrupt" : "io-error";
                String message = e instanceof CorruptFileException ? e.getMessage() : FileSets.describe(e);
                issues.add(new Issue(m.path(), what, null, null, message));
                text.append(" [").append(m.path().getFileName()).append(": ").append(what).append(": ").append(message)
                        .append(']');
            }
        }
        j.name("problems").beginArray();
        for (Issue i : issues) {
            j.beginObject().field("path", i.path().toString()).field("problem", i.problem());
            if (i.expected() != null) {
                j.field("expected", i.expected()).field("found", i.found());
            }
            j.field("message", i.message()).endObject();
        }
        j.endArray();
        return new Report(j.endObject().toString(), text.toString(), !issues.isEmpty());
    }

    /** A problem of one file of a set; {@code expected}/{@code found} only for a magic mismatch. */
    private record Issue(Path path, String problem, String expected, String found, String message) {
    }

    /** Files up to this size are read into memory instead of mapped (see {@link #open}). */
    static final long READ_LIMIT = 1 << 20;

    /**
     * Opens {@code file} read-only: files up to {@link #READ_LIMIT} are read into a heap array,
     * larger ones mapped. The bytes are the same either way; on thousands of small files a mapping
     * each (mmap, munmap and the close of a shared arena) cost more than reading them.
     */
    static ByteSource open(Path file) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) <= READ_LIMIT) {
            return ByteSource.of(readUpTo(file, (int) READ_LIMIT + 1), file.toString());
        }
        return ByteSource.map(file);
    }

    /** The first bytes of {@code file}, at most {@code max} (fewer when the file is shorter). */
    static byte[] readUpTo(Path file, int max) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(max, Math.max(0, ch.size())));
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // until full or the end of the file
            }
            return b.position() == b.capacity() ? b.array() : Arrays.copyOf(b.array(), b.position());
        }
    }

    /** The member whose magic is {@code kind} and whose name does not contradict it. */
    private static FileSets.Member memberOfKind(FileSets.FileSet set, FileKind kind) {
        for (FileSets.Member m : set.members()) {
            if (m.kind() == kind && !m.mismatch()) {
                return m;
            }
        }
        return null;
    }

    private static void database(Json j, StringBuilder text, Path file) throws IOException {
        ByteSource source = open(file);
        FilePageSource pages;
        try {
            pages = new FilePageSource(source, FilePageSource.pageSizeOf(source), true);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
        Database opened;
        try {
            opened = Database.open(pages);
        } catch (IOException | RuntimeException e) {
            pages.close();
            throw e;
        }
        try (Database db = opened) {
            DatabaseHeader h = db.header();
            j.beginObject().field("file", file.toString()).field("pageSize", db.pageSize())
                    .field("pageCount", db.pageCount());
            text.append(" database ").append(db.pageCount()).append(" pages of ").append(db.pageSize());
            if (h != null) {
                j.field("changeCounter", h.changeCounter()).field("databaseSize", h.databaseSize())
                        .field("freelistCount", h.freelistCount()).field("schemaCookie", h.schemaCookie())
                        .field("textEncoding", h.textEncoding() == 2 ? "UTF-16le" : h.textEncoding() == 3 ? "UTF-16be" : "UTF-8")
                        .field("userVersion", h.userVersion()).field("applicationId", h.applicationId())
                        .field("sqliteVersion", h.sqliteVersion()).field("headerProblems", h.validate().size());
            }
            try {
                int n = db.schema().entries().size();
                j.field("schemaObjects", n);
                text.append(", ").append(n).append(" schema objects");
            } catch (CorruptFileException e) {
                j.name("schemaObjects").nullValue().field("schemaProblem", e.getMessage());
                text.append(", schema unreadable");
            }
            j.endObject();
        }
    }

    private static void wal(Json j, StringBuilder text, Path file) throws IOException {
        try (ByteSource source = open(file)) {
            WalScan scan = WalScanner.scan(source);
            j.beginObject();
            WalInfoCommand.fields(j, scan);
            j.endObject();
            text.append("; wal mxFrame ").append(scan.mxFrame()).append(" of ").append(scan.frameCount()).append(" frames, ")
                    .append(scan.commitCount()).append(" commits, ").append(scan.stopReason().jsonName());
        }
    }

    private static void walIndex(Json j, StringBuilder text, Path file) throws IOException {
        try (ByteSource source = open(file)) {
            WalIndex index = WalIndex.read(source);
            j.beginObject().field("file", file.toString()).field("fileSize", index.fileSize())
                    .field("status", index.status().jsonName()).field("copiesIdentical", index.copiesIdentical())
                    .field("headerUsable", index.headerUsable());
            WalIndexHeader h = index.headerUsable() ? index.header() : null;
            if (h != null) {
                j.field("mxFrame", Integer.toUnsignedLong(h.mxFrame())).field("nPage", Integer.toUnsignedLong(h.nPage()));
            }
            CheckpointInfo c = index.checkpointInfo();
            if (c != null) {
                j.field("nBackfill", Integer.toUnsignedLong(c.nBackfill()));
            }
            j.endObject();
            text.append("; shm ").append(index.status().jsonName());
        }
    }

    private static void journal(Json j, StringBuilder text, Path file) throws IOException {
        try (ByteSource source = open(file)) {
            j.beginObject().field("file", file.toString()).field("fileSize", source.size());
            if (source.size() >= JournalHeader.SIZE) {
                JournalHeader h = JournalHeader.read(source, 0);
                j.name("nRec");
                if (h.nRec() == JournalHeader.NREC_UNKNOWN) {
                    j.nullValue();
                } else {
                    j.value(h.nRec());
                }
                j.field("dbOrigSize", h.dbOrigSize()).field("sectorSize", h.sectorSize()).field("pageSize", h.pageSize());
            }
            j.endObject();
            text.append("; journal ").append(source.size()).append(" bytes");
        }
    }
}
