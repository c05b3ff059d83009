package io.walkit.replica;

import io.walkit.io.CorruptFileException;
import io.walkit.replica.ReplicaProblem.Code;
import io.walkit.replica.ReplicaProblem.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The listing of a Litestream replica directory: its {@link ReplicaLayout}, generations with their
 * snapshot and WAL segment files (v0.3, v0.4-beta, meta directory), or LTX files by level (v0.5),
 * plus the problems the names alone reveal. File contents are not read here (except the meta
 * directory's small {@code generation} file).
 *
 * <p>The walk is bounded and never leaves the root: only the directory depths Litestream writes
 * are visited, symbolic links are reported ({@link Code#SYMLINK}) and never followed (so link
 * loops cannot trap it), and at most {@link #MAX_ENTRIES} entries are listed
 * ({@link Code#TOO_MANY_ENTRIES} beyond). Nothing under the root is created or changed.
 *
 * <p>Immutable once built; thread-safe. Holds no open files.
 */
public final class ReplicaDirectory {

    /** At most this many directory entries are listed in one replica. */
    public static final int MAX_ENTRIES = 2_000_000;

    private static final Pattern GENERATION = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern V03_SNAPSHOT = Pattern.compile("([0-9a-f]{8})\\.snapshot\\.lz4");
    private static final Pattern V03_SEGMENT = Pattern.compile("([0-9a-f]{8})_([0-9a-f]{8})\\.wal\\.lz4");
    private static final Pattern V04_SNAPSHOT = Pattern.compile("([0-9a-f]{16})\\.snapshot\\.lz4");
    private static final Pattern V04_INDEX = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern V04_SEGMENT = Pattern.compile("([0-9a-f]{16})\\.wal\\.lz4");
    private static final Pattern META_SHADOW = Pattern.compile("([0-9a-f]{8})\\.wal");
    private static final Pattern LTX_LEVEL = Pattern.compile("[0-9]");
    private static final Pattern LTX_FILE = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.ltx");

    /**
     * A snapshot file.
     *
     * @param index    the WAL index the snapshot was taken at
     * @param path     the file
     * @param relative the path relative to the replica root, for reports
     * @param size     the file size in bytes (compressed)
     * @param modified the file's modification time (Litestream's {@code CreatedAt})
     */
    public record SnapshotFile(long index, Path path, String relative, long size, Instant modified) {}

    /**
     * A WAL segment file (v0.3/v0.4, compressed) or a shadow WAL file (meta directory, uncompressed,
     * offset 0).
     *
     * @param index      the WAL index
     * @param offset     the byte offset in the index's uncompressed WAL where this segment starts
     * @param path       the file
     * @param relative   the path relative to the replica root
     * @param size       the file size in bytes
     * @param modified   the file's modification time
     * @param compressed true for {@code .wal.lz4}
     */
    public record SegmentFile(long index, long offset, Path path, String relative, long size, Instant modified,
            boolean compressed) {}

    /**
     * One generation: its snapshots and segments, each sorted by (index, offset).
     *
     * @param name      the 16-hex generation name
     * @param snapshots snapshots by index
     * @param segments  segments by index then offset
     */
    public record Generation(String name, List<SnapshotFile> snapshots, List<SegmentFile> segments) {

        /**
         * The latest modification time of any file in the generation, or {@link Instant#EPOCH}.
         *
         * @return the latest modification time of any file in the generation, or {@link Instant#EPOCH}
         */
        public Instant updatedAt() {
            Instant t = Instant.EPOCH;
            for (SnapshotFile s : snapshots) {
                t = s.modified().isAfter(t) ? s.modified() : t;
            }
            for (SegmentFile s : segments) {
                t = s.modified().isAfter(t) ? s.modified() : t;
            }
            return t;
        }

        /**
         * The earliest modification time of any file in the generation, or {@link Instant#EPOCH}.
         *
         * @return the earliest modification time of any file in the generation, or {@link Instant#EPOCH}
         */
        public Instant createdAt() {
            Instant t = null;
            for (SnapshotFile s : snapshots) {
                t = t == null || s.modified().isBefore(t) ? s.modified() : t;
            }
            for (SegmentFile s : segments) {
                t = t == null || s.modified().isBefore(t) ? s.modified() : t;
            }
            return t == null ? Instant.EPOCH : t;
        }

        /**
         * The segments of {@code index}, sorted by offset (binary search: segments are sorted by index, offset).
         *
         * @param index the index
         * @return the segments of {@code index}, sorted by offset (binary search: segments are sorted by index, offset)
         */
        public List<SegmentFile> segmentsOf(long index) {
            int lo = 0;
            int hi = segments.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (segments.get(mid).index() < index) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            List<SegmentFile> out = new ArrayList<>();
            for (int i = lo; i < segments.size() && segments.get(i).index() == index; i++) {
                out.add(segments.get(i));
            }
            return out;
        }

        /**
         * The highest index of any snapshot or segment, or -1.
         *
         * @return the highest index of any snapshot or segment, or -1
         */
        public long maxIndex() {
            long m = -1;
            for (SnapshotFile s : snapshots) {
                m = Math.max(m, s.index());
            }
            for (SegmentFile s : segments) {
                m = Math.max(m, s.index());
            }
            return m;
        }
    }

    /**
     * An LTX file of a v0.5 replica.
     *
     * @param level    the compaction level (0 = raw, 9 = snapshots)
     * @param minTxid  the first TXID the file's name claims
     * @param maxTxid  the last TXID the file's name claims
     * @param path     the file
     * @param relative the path relative to the replica root
     * @param size     the file size
     * @param modified the file's modification time
     */
    public record LtxFileRef(int level, long minTxid, long maxTxid, Path path, String relative, long size,
            Instant modified) {}

    private final Path root;
    private final ReplicaLayout layout;
    private final List<Generation> generations;
    private final List<LtxFileRef> ltxFiles;
    private final String currentGeneration;
    private final List<io.walkit.io.Problem> problems;

    private ReplicaDirectory(Path root, ReplicaLayout layout, List<Generation> generations, List<LtxFileRef> ltxFiles,
            String currentGeneration, List<io.walkit.io.Problem> problems) {
        this.root = root;
        this.layout = layout;
        this.generations = List.copyOf(generations);
        this.ltxFiles = List.copyOf(ltxFiles);
        this.currentGeneration = currentGeneration;
        this.problems = List.copyOf(problems);
    }

    /**
     * The replica root as given.
     *
     * @return the replica root as given
     */
    public Path root() {
        return root;
    }

    /**
     * The detected layout.
     *
     * @return the detected layout
     */
    public ReplicaLayout layout() {
        return layout;
    }

    /**
     * Generations sorted by name (empty for LTX).
     *
     * @return generations sorted by name (empty for LTX)
     */
    public List<Generation> generations() {
        return generations;
    }

    /**
     * LTX files sorted by level, then min TXID, then max TXID (empty unless LTX).
     *
     * @return lTX files sorted by level, then min TXID, then max TXID (empty unless LTX)
     */
    public List<LtxFileRef> ltxFiles() {
        return ltxFiles;
    }

    /**
     * The meta directory's current generation (its {@code generation} file), or {@code null}.
     *
     * @return the meta directory's current generation (its {@code generation} file), or {@code null}
     */
    public String currentGeneration() {
        return currentGeneration;
    }

    /**
     * Problems the listing itself found (names, links, unreadable directories).
     *
     * @return problems the listing itself found (names, links, unreadable directories)
     */
    public List<io.walkit.io.Problem> problems() {
        return problems;
    }

    /**
     * The generation named {@code name}, or {@code null}.
     *
     * @param name the name
     * @return the generation named {@code name}, or {@code null}
     */
    public Generation generation(String name) {
        for (Generation g : generations) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        return null;
    }

    /**
     * Lists the replica at {@code root} (a replica root, a {@code .<db>-litestream} directory or an
     * LTX replica root).
     *
     * @throws CorruptFileException when {@code root} is no known layout
     * @throws IOException          when {@code root} cannot be read
     * @param root the root
     * @return lists the replica at {@code root} (a replica root, a {@code .<db>-litestream} directory or an LTX replica root)
     */
    public static ReplicaDirectory open(Path root) throws IOException {
        BasicFileAttributes rootAttrs = Files.readAttributes(root, BasicFileAttributes.class);
        if (!rootAttrs.isDirectory()) {
            throw new CorruptFileException(root.toString(), 0, "Litestream replica", "root",
                    "a directory", "a file (use 'walkit ltx' for a single LTX file)");
        }
        Walker w = new Walker(root);
        if (isDir(root.resolve("ltx"))) {
            w.walkLtx();
            return new ReplicaDirectory(root, ReplicaLayout.LTX, List.of(), w.ltx, null, w.problems);
        }
        Path name = root.toAbsolutePath().normalize().getFileName();
        boolean metaName = name != null && name.toString().startsWith(".") && name.toString().endsWith("-litestream");
        if (metaName || Files.isRegularFile(root.resolve("generation"), LinkOption.NOFOLLOW_LINKS)) {
            String current = w.readGenerationFile();
            w.walkGenerations(ReplicaLayout.META);
            return new ReplicaDirectory(root, ReplicaLayout.META, w.generations(), List.of(), current, w.problems);
        }
        if (isDir(root.resolve("generations"))) {
            ReplicaLayout layout = w.detectV03OrV04();
            w.walkGenerations(layout);
            return new ReplicaDirectory(root, layout, w.generations(), List.of(), null, w.problems);
        }
        throw new CorruptFileException(root.toString(), 0, "Litestream replica", "layout",
                "a 'generations' directory (v0.3/v0.4), a 'generation' file (.<db>-litestream) or an 'ltx' directory (v0.5)",
                "none of them");
    }

    private static boolean isDir(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** Replaces control characters so a hostile name cannot forge output lines. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The bounded, link-refusing directory walk. */
    private static final class Walker {
        final Path root;
        final List<io.walkit.io.Problem> problems = new ArrayList<>();
        final Map<String, List<SnapshotFile>> snapshots = new TreeMap<>();
        final Map<String, List<SegmentFile>> segments = new TreeMap<>();
        final List<LtxFileRef> ltx = new ArrayList<>();
        long entries;
        boolean truncated;

        Walker(Path root) {
            this.root = root;
        }

        String rel(Path p) {
            return printable(root.relativize(p).toString());
        }

        void problem(Code code, Severity sev, Path p, String gen, String message) {
            // The generation is in the file's path; a listing problem has no position inside a file.
            problems.add(ReplicaProblem.of(code, sev, p == null ? null : rel(p), null, null, null, null, null, message));
        }

        /** One directory entry with its attributes (not following links), or null when skipped. */
        record Entry(Path path, String name, BasicFileAttributes attrs) {}

        List<Entry> list(Path dir, String gen) {
            List<Entry> out = new ArrayList<>();
            if (truncated) {
                return out;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    if (++entries > MAX_ENTRIES) {
                        truncated = true;
                        problem(Code.TOO_MANY_ENTRIES, Severity.ERROR, dir, gen,
                                "more than " + MAX_ENTRIES + " entries: listing stopped, the replica is not fully verified");
                        break;
                    }
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException e) {
                        problem(Code.UNREADABLE, Severity.ERROR, p, gen, "cannot read attributes: " + e.getMessage());
                        continue;
                    }
                    if (a.isSymbolicLink()) {
                        problem(Code.SYMLINK, Severity.ERROR, p, gen, "symbolic link not followed (Litestream never writes links)");
                        continue;
                    }
                    out.add(new Entry(p, p.getFileName().toString(), a));
                }
            } catch (IOException e) {
                problem(Code.UNREADABLE, Severity.ERROR, dir, gen, "cannot list directory: " + e.getMessage());
            }
            out.sort(Comparator.comparing(Entry::name));
            return out;
        }

        boolean unexpected(Entry e, String gen, String what) {
            if (e.name().endsWith(".tmp") || e.name().contains(".tmp-")) {
                problem(Code.TEMPORARY_FILE, Severity.WARNING, e.path(), gen,
                        "leftover temporary file of an interrupted write (ignored, as Litestream does)");
            } else {
                problem(Code.UNEXPECTED_NAME, Severity.WARNING, e.path(), gen, "not a name Litestream writes for " + what + " (ignored)");
            }
            return false;
        }

        String readGenerationFile() {
            Path f = root.resolve("generation");
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    problem(Code.SYMLINK, Severity.ERROR, f, null, "symbolic link not followed");
                    return null;
                }
                try (InputStream in = Files.newInputStream(f)) {
                    String s = new String(in.readNBytes(64), StandardCharsets.US_ASCII).strip();
                    if (!GENERATION.matcher(s).matches()) {
                        problem(Code.UNEXPECTED_NAME, Severity.WARNING, f, null,
                                "generation file does not hold a 16-hex name (Litestream would start a new generation)");
                        return null;
                    }
                    return s;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                problem(Code.UNEXPECTED_NAME, Severity.WARNING, null, null,
                        "no 'generation' file: Litestream starts a new generation at its next sync");
                return null;
            } catch (IOException e) {
                problem(Code.UNREADABLE, Severity.ERROR, f, null, "cannot read: " + e.getMessage());
                return null;
            }
        }

        ReplicaLayout detectV03OrV04() {
            for (Entry g : list(root.resolve("generations"), null)) {
                if (!g.attrs().isDirectory()) {
                    continue;
                }
                Path wal = g.path().resolve("wal");
                if (!isDir(wal)) {
                    Path snaps = g.path().resolve("snapshots");
                    if (isDir(snaps)) {
                        try (DirectoryStream<Path> ds = Files.newDirectoryStream(snaps)) {
                            for (Path p : ds) {
                                if (V04_SNAPSHOT.matcher(p.getFileName().toString()).matches()) {
                                    return ReplicaLayout.V04;
                                }
                            }
                        } catch (IOException e) {
                            // reported by the walk itself
                        }
                    }
                    continue;
                }
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(wal)) {
                    for (Path p : ds) {
                        if (V04_INDEX.matcher(p.getFileName().toString()).matches()) {
                            return ReplicaLayout.V04;
                        }
                    }
                } catch (IOException e) {
                    // reported by the walk itself
                }
            }
            entries = 0;
            problems.clear();
            return ReplicaLayout.V03;
        }

        void walkGenerations(ReplicaLayout layout) {
            entries = 0;
            problems.removeIf(p -> p.code() == Code.UNREADABLE || p.code() == Code.SYMLINK);
            Path gens = root.resolve("generations");
            if (!isDir(gens)) {
                if (layout != ReplicaLayout.META) {
                    problem(Code.NOT_A_REPLICA, Severity.ERROR, gens, null, "no generations directory");
                }
                return;
            }
            for (Entry top : list(root, null)) {
                String n = top.name();
                boolean known = n.equals("generations") || (layout == ReplicaLayout.META && n.equals("generation"));
                if (!known) {
                    unexpected(top, null, "a replica root");
                }
            }
            for (Entry g : list(gens, null)) {
                if (!g.attrs().isDirectory() || !GENERATION.matcher(g.name()).matches()) {
                    unexpected(g, null, "a generation (16 lower-case hex digits)");
                    continue;
                }
                String gen = g.name();
                snapshots.putIfAbsent(gen, new ArrayList<>());
                segments.putIfAbsent(gen, new ArrayList<>());
                for (Entry sub : list(g.path(), gen)) {
                    if (sub.attrs().isDirectory() && sub.name().equals("wal")) {
                        walkWal(layout, gen, sub.path());
                    } else if (sub.attrs().isDirectory() && sub.name().equals("snapshots") && layout != ReplicaLayout.META) {
                        walkSnapshots(layout, gen, sub.path());
                    } else {
                        unexpected(sub, gen, "a generation directory");
                    }
                }
            }
        }

        void walkSnapshots(ReplicaLayout layout, String gen, Path dir) {
            Pattern pat = layout == ReplicaLayout.V04 ? V04_SNAPSHOT : V03_SNAPSHOT;
            for (Entry e : list(dir, gen)) {
                Matcher m = pat.matcher(e.name());
                if (!e.attrs().isRegularFile() || !m.matches()) {
                    unexpected(e, gen, "a snapshot");
                    continue;
                }
                snapshots.get(gen).add(new SnapshotFile(Long.parseUnsignedLong(m.group(1), 16), e.path(), rel(e.path()),
                        e.attrs().size(), e.attrs().lastModifiedTime().toInstant()));
            }
        }

        void walkWal(ReplicaLayout layout, String gen, Path dir) {
            for (Entry e : list(dir, gen)) {
                if (layout == ReplicaLayout.V04) {
                    if (!e.attrs().isDirectory() || !V04_INDEX.matcher(e.name()).matches()) {
                        unexpected(e, gen, "a v0.4 WAL index directory");
                        continue;
                    }
                    long index = Long.parseUnsignedLong(e.name(), 16);
                    for (Entry f : list(e.path(), gen)) {
                        Matcher m = V04_SEGMENT.matcher(f.name());
                        if (!f.attrs().isRegularFile() || !m.matches()) {
                            unexpected(f, gen, "a v0.4 WAL segment");
                            continue;
                        }
                        segments.get(gen).add(new SegmentFile(index, Long.parseUnsignedLong(m.group(1), 16), f.path(),
                                rel(f.path()), f.attrs().size(), f.attrs().lastModifiedTime().toInstant(), true));
                    }
                    continue;
                }
                Pattern pat = layout == ReplicaLayout.META ? META_SHADOW : V03_SEGMENT;
                Matcher m = pat.matcher(e.name());
                if (!e.attrs().isRegularFile() || !m.matches()) {
                    unexpected(e, gen, layout == ReplicaLayout.META ? "a shadow WAL" : "a WAL segment");
                    continue;
                }
                long index = Long.parseUnsignedLong(m.group(1), 16);
                long offset = layout == ReplicaLayout.META ? 0 : Long.parseUnsignedLong(m.group(2), 16);
                segments.get(gen).add(new SegmentFile(index, offset, e.path(), rel(e.path()), e.attrs().size(),
                        e.attrs().lastModifiedTime().toInstant(), layout != ReplicaLayout.META));
            }
        }

        void walkLtx() {
            Path ltxDir = root.resolve("ltx");
            for (Entry lv : list(ltxDir, null)) {
                if (!lv.attrs().isDirectory() || !LTX_LEVEL.matcher(lv.name()).matches()) {
                    unexpected(lv, null, "an LTX level (0-9)");
                    continue;
                }
                int level = Integer.parseInt(lv.name());
                for (Entry f : list(lv.path(), lv.name())) {
                    Matcher m = LTX_FILE.matcher(f.name());
                    if (!f.attrs().isRegularFile() || !m.matches()) {
                        unexpected(f, lv.name(), "an LTX file");
                        continue;
                    }
                    ltx.add(new LtxFileRef(level, Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16),
                            f.path(), rel(f.path()), f.attrs().size(), f.attrs().lastModifiedTime().toInstant()));
                }
            }
            ltx.sort(Comparator.comparingInt(LtxFileRef::level).thenComparingLong(LtxFileRef::minTxid)
                    .thenComparingLong(LtxFileRef::maxTxid));
        }

        List<Generation> generations() {
            List<Generation> out = new ArrayList<>();
            for (String gen : snapshots.keySet()) {
                List<SnapshotFile> s = new ArrayList<>(snapshots.get(gen));
                s.sort(Comparator.comparingLong(SnapshotFile::index));
                List<SegmentFile> w = new ArrayList<>(segments.get(gen));
                w.sort(Comparator.comparingLong(SegmentFile::index).thenComparingLong(SegmentFile::offset));
                out.add(new Generation(gen, s, w));
            }
            return out;
        }
    }
}
