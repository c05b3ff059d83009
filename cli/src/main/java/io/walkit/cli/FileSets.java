package io.walkit.cli;

import io.walkit.db.FileKind;
import io.walkit.io.ByteSource;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds SQLite's files under some paths and groups each database with its siblings: the part of
 * {@code walkit scan} that decides what is what, without reading more than a file's first bytes.
 *
 * <p>A file's kind comes from its magic ({@link FileKind}), never from its name. Its
 * {@link Role} comes from its name: {@code X-wal}, {@code X-shm} and {@code X-journal} are the
 * siblings of {@code X} (SQLite's naming, {@code sqlite3PagerOpen}). Files sharing a directory and
 * a base name form one {@link FileSet}; a set is reported when at least one member has SQLite
 * magic, so a WAL whose database is gone is a set of its own, and a sibling whose magic does not
 * fit its name (a {@code -wal} that is no WAL) is kept in the set for the report to flag. A file
 * with SQLite magic under another name (a WAL saved as {@code evidence.bin}) is a set of its own
 * with role {@link Role#MAIN}.
 *
 * <p>Directory walking is cycle-safe: symbolic links are not followed unless asked, and when
 * they are, the JDK's loop detection stops at a link back to an ancestor (reported, not fatal).
 * Unreadable files and directories become {@link Problem}s. Stateless; thread-safe.
 */
final class FileSets {

    /** What a file's name makes it in its set. */
    enum Role {
        MAIN("", null), WAL("-wal", FileKind.WAL), SHM("-shm", FileKind.WAL_INDEX), JOURNAL("-journal", FileKind.ROLLBACK_JOURNAL);

        private final String suffix;
        private final FileKind expected;

        Role(String suffix, FileKind expected) {
            this.suffix = suffix;
            this.expected = expected;
        }

        /** The kind a file in this role must have; null for {@link #MAIN} (any SQLite kind). */
        FileKind expected() {
            return expected;
        }

        /** The member's name in reports ({@code main}, {@code wal}, {@code shm}, {@code journal}). */
        String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One file of a set: where, what its name makes it, what its bytes make it, its size in bytes. */
    record Member(Path path, Role role, FileKind kind, long size) {
        /** True when the bytes do not fit the name: a sibling without its kind's magic. */
        boolean mismatch() {
            if (role == Role.MAIN) {
                return false;
            }
            // An empty -wal or -journal is what SQLite leaves after a checkpoint or commit
            // (journal_mode=TRUNCATE), a zeroed journal header what journal_mode=PERSIST leaves:
            // not mismatches.
            return kind != role.expected() && kind != FileKind.EMPTY
                    && !(role == Role.JOURNAL && kind == FileKind.ZEROS);
        }
    }

    /** A database and its siblings (or an orphan sibling), sharing {@code dir} and {@code base}. */
    record FileSet(Path dir, String base, List<Member> members) {
        /** The member in {@code role}, or null. */
        Member member(Role role) {
            for (Member m : members) {
                if (m.role() == role) {
                    return m;
                }
            }
            return null;
        }

        /** {@code dir/base}: the database's path, or where it would be. */
        Path path() {
            return dir.resolve(base);
        }
    }

    /** A path that could not be read while walking. */
    record Problem(Path path, String message) {
    }

    /** What {@link #find} found: sets in path order, and problems in the order met. */
    record Found(List<FileSet> sets, List<Problem> problems, long filesSeen) {
    }

    private FileSets() {
    }

    /**
     * Walks {@code roots} (files or directories) and returns the SQLite file sets found. A root
     * that does not exist is a {@link Problem}.
     */
    static Found find(List<Path> roots, boolean followLinks) {
        TreeMap<Path, List<Member>> groups = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        long[] seen = {0};
        Set<FileVisitOption> options = followLinks ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
        for (Path root : roots) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS) && !Files.exists(root)) {
                problems.add(new Problem(root, "no such file or directory"));
                continue;
            }
            try {
                Files.walkFileTree(root, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            seen[0]++;
                            add(groups, problems, file, attrs.size());
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        problems.add(new Problem(file, e instanceof FileSystemLoopException
                                ? "symbolic link loop (not followed)" : describe(e)));
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                problems.add(new Problem(root, describe(e)));
            }
        }
        List<FileSet> sets = new ArrayList<>();
        groups.forEach((key, members) -> {
            boolean sqlite = false;
            for (Member m : members) {
                sqlite |= isSqlite(m.kind());
            }
            if (sqlite) {
                members.sort((a, b) -> a.role().compareTo(b.role()));
                sets.add(new FileSet(key.getParent() == null ? Path.of("") : key.getParent(), key.getFileName().toString(),
                        List.copyOf(members)));
            }
        });
        return new Found(sets, problems, seen[0]);
    }

    private static void add(TreeMap<Path, List<Member>> groups, List<Problem> problems, Path file, long size) {
        String name = file.getFileName().toString();
        Role role = Role.MAIN;
        for (Role r : Role.values()) {
            if (r != Role.MAIN && name.endsWith(r.suffix) && name.length() > r.suffix.length()) {
                role = r;
            }
        }
        FileKind kind;
        try {
            kind = classify(file);
        } catch (IOException e) {
            problems.add(new Problem(file, describe(e)));
            return;
        }
        // A file with SQLite magic that its name does not place (e.g. a WAL named x-journal) is
        // still grouped by name: the report flags the mismatch beside its siblings.
        Path base = role == Role.MAIN ? file : file.resolveSibling(name.substring(0, name.length() - role.suffix.length()));
        groups.computeIfAbsent(base, k -> new ArrayList<>()).add(new Member(file, role, kind, size));
    }

    /** The kind of {@code file} from its first 64 bytes ({@link FileKind}; read-only). */
    static FileKind classify(Path file) throws IOException {
        // One positional read, no mapping: a mapping per file (and the close of its shared arena)
        // cost more than the whole classification on thousands of small files.
        return FileKind.of(ByteSource.of(ScanCommand.readUpTo(file, 64), file.toString()));
    }

    /** True for the four kinds of SQLite's own files. */
    static boolean isSqlite(FileKind kind) {
        return kind == FileKind.SQLITE_DATABASE || kind == FileKind.WAL || kind == FileKind.WAL_INDEX
                || kind == FileKind.ROLLBACK_JOURNAL;
    }

    /** The name of a kind in reports: {@code sqlite-database}, {@code wal}, {@code lz4-frame}, ... */
    static String jsonName(FileKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
