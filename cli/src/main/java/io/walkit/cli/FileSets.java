package io.walkit.cli;

import io.walkit.db.DbFormat;
import io.walkit.wal.WalFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds SQLite's files under some paths and groups each database with its siblings: the part of
 * {@code walkit scan} that decides what is what, without reading more than a file's first bytes.
 *
 * <p>A file's {@link Kind} comes from its magic, never from its name: a database starts with
 * {@code "SQLite format 3\0"}, a WAL with {@code 0x377f0682}/{@code 0x377f0683} (big-endian), a
 * rollback journal with {@code d9 d5 05 f9 20 a1 63 d7}, a wal-index with SQLite's version
 * 3007000 as its first (native-order) word or in its second header copy at offset 48. Its
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

    /** What a file is, by its first bytes. */
    enum Kind {
        DATABASE("database"), WAL("wal"), WAL_INDEX("wal-index"), JOURNAL("journal"),
        /** No SQLite magic (an empty file is one too: SQLite leaves empty journals and WALs). */
        OTHER("other");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The name in reports. */
        String jsonName() {
            return jsonName;
        }
    }

    /** What a file's name makes it in its set. */
    enum Role {
        MAIN("", null), WAL("-wal", Kind.WAL), SHM("-shm", Kind.WAL_INDEX), JOURNAL("-journal", Kind.JOURNAL);

        private final String suffix;
        private final Kind expected;

        Role(String suffix, Kind expected) {
            this.suffix = suffix;
            this.expected = expected;
        }

        /** The kind a file in this role must have; null for {@link #MAIN} (any SQLite kind). */
        Kind expected() {
            return expected;
        }

        /** The member's name in reports ({@code main}, {@code wal}, {@code shm}, {@code journal}). */
        String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One file of a set: where, what its name makes it, what its bytes make it, its size in bytes. */
    record Member(Path path, Role role, Kind kind, long size) {
        /** True when the bytes do not fit the name: a sibling without its kind's magic. */
        boolean mismatch() {
            if (role == Role.MAIN) {
                return false;
            }
            // An empty -wal or -journal is what SQLite leaves after a checkpoint or commit
            // (journal_mode=TRUNCATE); not a mismatch.
            return kind != role.expected() && !(size == 0 && kind == Kind.OTHER);
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

    private static final byte[] JOURNAL_MAGIC = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63,
            (byte) 0xd7};
    /** Bytes read to classify a file: the database magic (16) and both wal-index header copies' first word. */
    private static final int PROBE = 52;

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
                sqlite |= m.kind() != Kind.OTHER;
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
        Kind kind;
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

    /** The kind of {@code file} from its first bytes (read-only, one positional read). */
    static Kind classify(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(PROBE);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read until PROBE bytes or the end of the file
            }
        }
        return classify(Arrays.copyOf(b.array(), b.position()));
    }

    /** The kind of a file whose first bytes (up to 52) are {@code head}. */
    static Kind classify(byte[] head) {
        if (head.length >= DbFormat.MAGIC.length && Arrays.equals(head, 0, DbFormat.MAGIC.length, DbFormat.MAGIC, 0,
                DbFormat.MAGIC.length)) {
            return Kind.DATABASE;
        }
        if (head.length >= JOURNAL_MAGIC.length && Arrays.equals(head, 0, JOURNAL_MAGIC.length, JOURNAL_MAGIC, 0,
                JOURNAL_MAGIC.length)) {
            return Kind.JOURNAL;
        }
        if (head.length >= 4) {
            ByteBuffer bb = ByteBuffer.wrap(head);
            int magic = bb.order(ByteOrder.BIG_ENDIAN).getInt(0);
            if (magic == WalFormat.MAGIC_LE || magic == WalFormat.MAGIC_BE) {
                return Kind.WAL;
            }
            // The wal-index header's iVersion, in the writer's native order; the second copy
            // (offset 48) when a crash tore the first.
            for (int off : new int[] {0, 48}) {
                if (head.length >= off + 4) {
                    int le = bb.order(ByteOrder.LITTLE_ENDIAN).getInt(off);
                    int be = bb.order(ByteOrder.BIG_ENDIAN).getInt(off);
                    if (le == WalFormat.FORMAT_VERSION || be == WalFormat.FORMAT_VERSION) {
                        return Kind.WAL_INDEX;
                    }
                }
            }
        }
        return Kind.OTHER;
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
