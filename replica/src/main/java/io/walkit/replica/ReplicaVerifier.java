package io.walkit.replica;

import io.walkit.io.CorruptFileException;
import io.walkit.replica.ReplicaDirectory.Generation;
import io.walkit.replica.ReplicaDirectory.SegmentFile;
import io.walkit.replica.ReplicaDirectory.SnapshotFile;
import io.walkit.replica.ReplicaProblem.Code;
import io.walkit.replica.ReplicaProblem.Severity;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Verifies a Litestream replica (v0.3 file replica, v0.4-beta nested layout, {@code .<db>-litestream}
 * meta directory, or v0.5 LTX replica) from its files alone, never changing them.
 *
 * <p>Per generation: at least one snapshot (except in a meta directory, which has none); every
 * snapshot decompresses (LZ4 content checksum) to a SQLite database image; every index from the
 * earliest snapshot to the last index has segments; within an index, segments are contiguous and
 * whole-frame, the WAL header is valid, salts are constant, the checksum chain continues across
 * segments and every segment ends on a commit (see {@link IndexScanner}); across consecutive indexes
 * salt-1 grows by one (SQLite's {@code walRestartHdr}), else a warning. Each problem names the file,
 * the position and the last position a restore reaches safely before it.
 *
 * <p>What the files cannot prove: that the <em>last</em> segment of an index exists (the next index
 * starts afresh at offset 0, and the last index simply ends). Evidence that would reveal it: the
 * live shadow WAL in the meta directory (its size is the index's true end), or a later snapshot
 * (the restore from an earlier snapshot through that index must equal it once the snapshot's own
 * index is replayed). walkit reports {@link Code#UNPROVABLE_TAIL} as a warning for the last index.
 *
 * <p>Stateless; thread-safe.
 */
public final class ReplicaVerifier {

    private ReplicaVerifier() {}

    /**
     * Lists and verifies the replica at {@code root}.
     *
     * @param root the root
     * @return lists and verifies the replica at {@code root}
     * @throws IOException when the input cannot be read or parsed
     */
    public static ReplicaReport verify(Path root) throws IOException {
        return verify(ReplicaDirectory.open(root));
    }

    /**
     * Verifies a listed replica.
     *
     * @param dir the dir
     * @return verifies a listed replica
     * @throws IOException when the input cannot be read or parsed
     */
    public static ReplicaReport verify(ReplicaDirectory dir) throws IOException {
        if (dir.layout() == ReplicaLayout.LTX) {
            return LtxReplicaVerifier.verify(dir);
        }
        List<io.walkit.io.Problem> problems = new ArrayList<>(dir.problems());
        List<ReplicaReport.GenerationSummary> gens = new ArrayList<>();
        if (dir.generations().isEmpty()) {
            problems.add(ReplicaProblem.of(Code.NO_SNAPSHOT, Severity.ERROR, "generations", null, "replica", "generations",
                    "at least one", "none", "nothing to restore"));
        }
        for (Generation g : dir.generations()) {
            GenerationCheck c = checkGeneration(dir, g, Long.MAX_VALUE);
            // The last safe position travels on the generation summary, not on each problem.
            c.problems.forEach(p -> problems.add(p.problem()));
            boolean current = g.name().equals(dir.currentGeneration());
            gens.add(new ReplicaReport.GenerationSummary(g.name(), current, g.snapshots().size(), c.firstIndex,
                    g.maxIndex(), g.segments().size(), c.frames, c.restorableTo, g.createdAt(), g.updatedAt()));
            if (dir.layout() == ReplicaLayout.META && current) {
                problems.addAll(MetaShadowCheck.check(dir, g));
            }
        }
        return new ReplicaReport(dir.root(), dir.layout(), gens, List.of(), problems, null);
    }

    /** The outcome of checking one generation up to an index. */
    static final class GenerationCheck {
        final List<ReplicaProblem> problems = new ArrayList<>();
        long firstIndex = -1;
        long frames;
        /** The last safely restorable position (from the earliest snapshot), or null. */
        String restorableTo;
        /** The snapshot's page size, 0 when unknown. */
        int pageSize;
    }

    /**
     * Checks generation {@code g} through index {@code maxIndex} (inclusive): snapshots, then every
     * index. Public to the package so restore runs the same checks on its chain.
     */
    static GenerationCheck checkGeneration(ReplicaDirectory dir, Generation g, long maxIndex) throws IOException {
        GenerationCheck c = new GenerationCheck();
        String gen = g.name();
        boolean meta = dir.layout() == ReplicaLayout.META;
        long firstSnapshot = -1;
        java.util.Map<Long, IndexScanner.Result> results = new java.util.HashMap<>();
        List<SnapshotFile> usable = new ArrayList<>();
        List<SnapshotInfo> usableInfo = new ArrayList<>();
        for (SnapshotFile s : g.snapshots()) {
            if (s.index() > maxIndex) {
                continue;
            }
            SnapshotInfo info = readSnapshot(s, gen, c.problems);
            if (info != null) {
                usable.add(s);
                usableInfo.add(info);
                if (firstSnapshot < 0) {
                    firstSnapshot = s.index();
                }
                if (c.pageSize == 0) {
                    c.pageSize = info.pageSize;
                }
            }
        }
        if (!meta && g.snapshots().isEmpty()) {
            c.problems.add(new ReplicaProblem(Code.NO_SNAPSHOT, Severity.ERROR, null, gen, -1, -1, -1,
                    "generation has no snapshot: none of it can be restored", null));
        }
        TreeSet<Long> indexes = new TreeSet<>();
        for (SegmentFile s : g.segments()) {
            if (s.index() <= maxIndex) {
                indexes.add(s.index());
            }
        }
        if (!indexes.isEmpty()) {
            c.firstIndex = indexes.first();
        }
        long start = meta ? (indexes.isEmpty() ? 0 : indexes.first()) : firstSnapshot;
        if (start < 0) {
            // No usable snapshot: segments are checked, but nothing is restorable.
            start = indexes.isEmpty() ? 0 : indexes.first();
        }
        String lastGood = meta || firstSnapshot < 0 ? null : new ReplicaPosition(gen, firstSnapshot, 0).toString();
        long last = Math.min(maxIndex, g.maxIndex());
        boolean broken = !meta && firstSnapshot < 0;
        long brokenAt = broken ? -1 : Long.MAX_VALUE;
        WalHeader previous = null;
        long previousIndex = -1;
        // Indexes before the first usable snapshot are not needed by a restore: their problems are warnings.
        for (long idx : indexes.headSet(start, false)) {
            IndexScanner.Result r = new IndexScanner(gen, idx, g.segmentsOf(idx), c.pageSize, null).scan(0, null);
            for (ReplicaProblem p : r.problems()) {
                io.walkit.io.Problem q = p.problem();
                String why = "before the first snapshot: not needed by a restore";
                c.problems.add(new ReplicaProblem(ReplicaProblem.of(p.code(), Severity.WARNING, q.file(), q.position(), q.structure(),
                        q.field(), q.expected(), q.found(), q.detail() == null ? why : q.detail() + " (" + why + ")"), null));
            }
            c.frames += r.frames();
        }
        for (long idx = start; idx <= last && idx >= 0; idx++) {
            if (broken && !meta && brokenAt >= 0 && hasSnapshot(usable, idx)) {
                // A later snapshot restarts the restorable chain after a gap.
                broken = false;
                lastGood = new ReplicaPosition(gen, idx, 0).toString();
            }
            List<SegmentFile> segs = g.segmentsOf(idx);
            if (segs.isEmpty()) {
                if (!broken) {
                    brokenAt = Math.min(brokenAt, idx);
                    c.problems.add(new ReplicaProblem(ReplicaProblem.of(Code.MISSING_INDEX, Severity.ERROR, null,
                            new io.walkit.io.Problem.Position.BackupPosition(gen, idx, 0), "WAL index " + String.format("%08x", idx),
                            "segments", "at least one (later files exist)", "none", "a restore stops here"), lastGood));
                    broken = true;
                }
                previous = null;
                continue;
            }
            IndexScanner.Result r = new IndexScanner(gen, idx, segs, c.pageSize, lastGood).scan(0, null);
            c.frames += r.frames();
            results.put(idx, r);
            for (ReplicaProblem p : r.problems()) {
                if (broken && p.isError()) {
                    // Already unreachable: still reported, with no restorable position inside.
                    c.problems.add(p.withLastGood(lastGood));
                } else {
                    c.problems.add(p);
                }
            }
            if (r.header() != null && previous != null && previousIndex == idx - 1
                    && r.header().salt1() != previous.salt1() + 1) {
                c.problems.add(new ReplicaProblem(ReplicaProblem.of(Code.SALT_DISCONTINUITY, Severity.WARNING, segs.get(0).relative(),
                        new io.walkit.io.Problem.Position.BackupPosition(gen, idx, 16), "WAL header", "salt-1",
                        String.format("0x%08x (the previous index's 0x%08x + 1)", previous.salt1() + 1, previous.salt1()),
                        String.format("0x%08x", r.header().salt1()), "the WAL was reset by something other than a checkpoint"
                                + " restart, or a WAL generation passed unseen"), lastGood));
            }
            previous = r.header();
            previousIndex = idx;
            if (!broken) {
                if (r.ok()) {
                    if (r.committedEnd() > WalFormat.HEADER_SIZE) {
                        lastGood = new ReplicaPosition(gen, idx, r.committedEnd()).toString();
                    }
                } else {
                    broken = true;
                    brokenAt = Math.min(brokenAt, idx);
                    lastGood = r.problems().stream().filter(ReplicaProblem::isError).findFirst().map(ReplicaProblem::lastGood)
                            .orElse(lastGood);
                }
            }
        }
        if (!meta) {
            crossCheckSnapshots(g, usable, usableInfo, results, brokenAt, c.problems);
        }
        if (!meta && !broken && last >= 0 && !g.segmentsOf(last).isEmpty()) {
            long from = usable.isEmpty() ? start : usable.get(usable.size() - 1).index();
            c.problems.add(new ReplicaProblem(Code.UNPROVABLE_TAIL, Severity.WARNING, null, gen, last, -1, -1,
                    "the files cannot prove that no index lost its last segment (the next index starts afresh at offset 0):"
                            + " snapshot cross-checks cover indexes before " + String.format("%08x", from) + " only where later"
                            + " writes left the lost pages unchanged, and nothing covers " + String.format("%08x", from) + ".."
                            + String.format("%08x", last) + "; the live shadow WAL (.<db>-litestream) would reveal it", lastGood));
        }
        c.restorableTo = meta ? lastGood : (firstSnapshot < 0 ? null : lastGood);
        return c;
    }

    private static boolean hasSnapshot(List<SnapshotFile> usable, long idx) {
        for (SnapshotFile s : usable) {
            if (s.index() == idx) {
                return true;
            }
        }
        return false;
    }

    /** Snapshots larger than this (decompressed) are not cross-checked. */
    static final long CROSS_CHECK_LIMIT = 256L << 20;

    /**
     * The evidence the names cannot give: for consecutive snapshots A and B with a clean chain
     * between them, restoring A through index B must give the same database as restoring B through
     * index B (snapshot B is the database after a PASSIVE checkpoint of index B's WAL, so replaying
     * all of index B over either yields index B's final state). A difference proves that frames are
     * missing between A and B, typically the last segment of an index, which no name reveals.
     */
    private static void crossCheckSnapshots(Generation g, List<SnapshotFile> usable, List<SnapshotInfo> info,
            java.util.Map<Long, IndexScanner.Result> results, long brokenAt, List<ReplicaProblem> problems) throws IOException {
        for (int i = 0; i + 1 < usable.size(); i++) {
            SnapshotFile a = usable.get(i);
            SnapshotFile b = usable.get(i + 1);
            if (a.index() == b.index()) {
                continue;
            }
            if (info.get(i).size() > CROSS_CHECK_LIMIT || info.get(i + 1).size() > CROSS_CHECK_LIMIT
                    || info.get(i).pageSize() != info.get(i + 1).pageSize()) {
                problems.add(new ReplicaProblem(Code.UNPROVABLE_TAIL, Severity.WARNING, b.relative(), g.name(), b.index(), -1, -1,
                        "snapshot cross-check skipped (larger than " + (CROSS_CHECK_LIMIT >> 20) + " MiB): missing last segments"
                                + " between indexes " + String.format("%08x", a.index()) + " and " + String.format("%08x", b.index())
                                + " cannot be excluded", null));
                continue;
            }
            List<IndexScanner.Result> chainA = new ArrayList<>();
            List<SegmentFile> segsA = new ArrayList<>();
            boolean complete = true;
            for (long idx = a.index(); idx <= b.index(); idx++) {
                IndexScanner.Result r = results.get(idx);
                if (r != null && !r.ok()) {
                    complete = false;
                    break;
                }
                if (r == null) {
                    complete = idx == a.index() && a.index() == b.index();
                    if (!complete) {
                        break;
                    }
                    continue;
                }
                chainA.add(r);
                segsA.addAll(g.segmentsOf(idx));
            }
            if (!complete) {
                continue;
            }
            ReplicaProblem p = crossCheck(g, a, info.get(i), b, info.get(i + 1), chainA, segsA, results.get(b.index()));
            if (p != null) {
                problems.add(p);
            }
        }
    }

    /**
     * Compares snapshot A restored through index B with snapshot B replayed through index B;
     * a problem when they differ, {@code null} when equal.
     */
    static ReplicaProblem crossCheck(Generation g, SnapshotFile a, SnapshotInfo ai, SnapshotFile b, SnapshotInfo bi,
            List<IndexScanner.Result> chainA, List<SegmentFile> segsA, IndexScanner.Result resultB) throws IOException {
        List<IndexScanner.Result> chainB = resultB != null ? List.of(resultB) : List.of();
        Path fa = Files.createTempFile("walkit-crosscheck-", ".db");
        Path fb = Files.createTempFile("walkit-crosscheck-", ".db");
        try {
            try (java.nio.channels.FileChannel ca = java.nio.channels.FileChannel.open(fa, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.READ);
                    java.nio.channels.FileChannel cb = java.nio.channels.FileChannel.open(fb, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.StandardOpenOption.READ)) {
                ReplicaRestore.build(new ReplicaRestore.Plan(g, a, b.index(), null, segsA), ai.pageSize(), chainA, ca);
                ReplicaRestore.build(new ReplicaRestore.Plan(g, b, b.index(), null, g.segmentsOf(b.index())), bi.pageSize(), chainB, cb);
            }
            long at = Files.mismatch(fa, fb);
            if (at < 0) {
                return null;
            }
            int ps = ai.pageSize();
            return new ReplicaProblem(ReplicaProblem.of(Code.SNAPSHOT_MISMATCH, Severity.ERROR, b.relative(),
                    new io.walkit.io.Problem.Position.BackupPosition(g.name(), b.index(), 0), "restored database",
                    "page " + (at / ps + 1) + " (byte " + at + ")",
                    "snapshot " + String.format("%08x", b.index()) + " replayed through its index",
                    "snapshot " + String.format("%08x", a.index()) + " restored through index " + String.format("%08x", b.index())
                            + " differs", "WAL frames are missing between these indexes, most likely the last segment of an index"
                            + " (which no file name reveals); restores from snapshot " + String.format("%08x", b.index())
                            + " onwards are unaffected"), new ReplicaPosition(g.name(), a.index(), 0).toString());
        } finally {
            Files.deleteIfExists(fa);
            Files.deleteIfExists(fb);
        }
    }

    /** What a snapshot decompressed to. */
    record SnapshotInfo(int pageSize, long size) {}

    /** Reads only a snapshot's database header (size unknown: reported as -1). */
    static SnapshotInfo peekSnapshot(SnapshotFile s, String gen, List<ReplicaProblem> problems) throws IOException {
        try {
            ReplicaFiles.Kind kind = ReplicaFiles.sniff(s.path());
            if (kind != ReplicaFiles.Kind.LZ4) {
                return readSnapshot(s, gen, problems);
            }
            try (InputStream in = Lz4Frames.open(s.path(), ReplicaFiles.decompressionLimit(s.size()))) {
                byte[] head = in.readNBytes(100);
                int pageSize = head.length == 100 ? databasePageSize(head) : 0;
                if (pageSize == 0) {
                    problems.add(snapshotProblem(Code.BAD_SNAPSHOT, s, gen, "database header",
                            "header string and page size", "\"SQLite format 3\" and a power of two in 512..65536",
                            "other bytes", "the snapshot does not decompress to a SQLite database"));
                    return null;
                }
                return new SnapshotInfo(pageSize, -1);
            }
        } catch (CorruptFileException e) {
            problems.add(snapshotProblem(Code.BAD_COMPRESSION, s, gen, e));
            return null;
        } catch (AccessDeniedException e) {
            problems.add(snapshotProblem(Code.UNREADABLE, s, gen, null, null, null, null, "permission denied"));
            return null;
        }
    }

    /** Reads a whole snapshot (checking its LZ4 checksum) and its database header. */
    static SnapshotInfo readSnapshot(SnapshotFile s, String gen, List<ReplicaProblem> problems) throws IOException {
        try {
            ReplicaFiles.Kind kind = ReplicaFiles.sniff(s.path());
            if (kind == ReplicaFiles.Kind.AGE) {
                problems.add(snapshotProblem(Code.ENCRYPTED, s, gen, "snapshot", "format", "LZ4 frame", "age encryption",
                        "contents cannot be verified"));
                return null;
            }
            if (kind != ReplicaFiles.Kind.LZ4) {
                problems.add(snapshotProblem(Code.BAD_COMPRESSION, s, gen, "snapshot", "format", "LZ4 frame (magic 0x184d2204)",
                        kind == ReplicaFiles.Kind.EMPTY ? "empty file" : "other bytes", null));
                return null;
            }
            try (InputStream in = Lz4Frames.open(s.path(), ReplicaFiles.decompressionLimit(s.size()))) {
                byte[] head = in.readNBytes(100);
                int pageSize = head.length == 100 ? databasePageSize(head) : 0;
                if (pageSize == 0) {
                    problems.add(snapshotProblem(Code.BAD_SNAPSHOT, s, gen, "database header",
                            "header string and page size", "\"SQLite format 3\" and a power of two in 512..65536",
                            "other bytes", "the snapshot does not decompress to a SQLite database"));
                    return null;
                }
                long size = head.length + in.transferTo(OutputSink.INSTANCE);
                if (size % pageSize != 0) {
                    problems.add(snapshotProblem(Code.BAD_SNAPSHOT, s, gen, "snapshot", "decompressed size",
                            "a multiple of the page size " + pageSize, Long.toString(size), null));
                    return null;
                }
                return new SnapshotInfo(pageSize, size);
            }
        } catch (CorruptFileException e) {
            problems.add(snapshotProblem(e.field().equals("decompressed size") ? Code.TOO_LARGE : Code.BAD_COMPRESSION, s, gen, e));
            return null;
        } catch (AccessDeniedException e) {
            problems.add(snapshotProblem(Code.UNREADABLE, s, gen, null, null, null, null, "permission denied"));
            return null;
        }
    }

    private static ReplicaProblem snapshotProblem(Code code, SnapshotFile s, String gen, String structure, String field,
            String expected, String found, String detail) {
        return new ReplicaProblem(ReplicaProblem.of(code, Severity.ERROR, s.relative(),
                new io.walkit.io.Problem.Position.BackupPosition(gen, s.index(), 0), structure, field, expected, found, detail), null);
    }

    /** A snapshot the LZ4 decoder rejects: its structure, field, expected and found; the offset is in the compressed file. */
    private static ReplicaProblem snapshotProblem(Code code, SnapshotFile s, String gen, CorruptFileException e) {
        return snapshotProblem(code, s, gen, e.structure(), e.field(), e.expected(), e.found(),
                "at " + CorruptFileException.offsetText(e.offset()) + " in the compressed snapshot");
    }

    /** The page size of a database header, or 0 when the 100 bytes are not one. */
    static int databasePageSize(byte[] head) {
        byte[] magic = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < 16; i++) {
            if (head[i] != magic[i]) {
                return 0;
            }
        }
        int raw = (head[16] & 0xFF) << 8 | (head[17] & 0xFF);
        int pageSize = raw == 1 ? 65536 : raw;
        return WalFormat.isValidPageSize(pageSize) ? pageSize : 0;
    }

    /** Discards bytes (the JDK's null stream, kept as one instance). */
    static final class OutputSink {
        static final java.io.OutputStream INSTANCE = java.io.OutputStream.nullOutputStream();

        private OutputSink() {}
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
