package io.walkit.replica;

import io.walkit.db.FilePageSource;
import io.walkit.db.IntegrityCheck;
import io.walkit.db.PageApplier;
import io.walkit.replica.ReplicaDirectory.Generation;
import io.walkit.replica.ReplicaDirectory.SegmentFile;
import io.walkit.replica.ReplicaDirectory.SnapshotFile;
import io.walkit.replica.ReplicaProblem.Code;
import io.walkit.replica.ReplicaProblem.Severity;
import io.walkit.wal.WalFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Restores a Litestream v0.3/v0.4 replica (or a meta directory's shadow WAL onto a given base)
 * in pure Java: the chosen snapshot is decompressed into a temporary file beside the output, the
 * committed frames of every WAL index from the snapshot's index to the target are written in order
 * (each index truncates the file to its last commit's database size, as SQLite's checkpoint does),
 * the file is fsynced, optionally checked with walkit's integrity check, and renamed to the output.
 *
 * <p>Target selection follows Litestream v0.3.13's {@code Restore}: the generation given, else the
 * one with the latest file time (containing the timestamp, when one is given); the latest snapshot
 * at or before the index/timestamp; every segment up to the index (inclusive) or with a file time at
 * or before the timestamp. Unlike Litestream, walkit first verifies the whole chain it is about to
 * apply and refuses (writing nothing) when the target lies past a gap or damage, naming the gap and
 * the last good position.
 *
 * <p>Nothing under the replica root is created or changed; the output must lie outside it. An
 * existing output is replaced only with {@code force}. Stateless; thread-safe.
 */
public final class ReplicaRestore {

    private ReplicaRestore() {}

    /**
     * What to restore.
     *
     * @param generation the generation, or {@code null} for Litestream's choice
     * @param index      restore through this WAL index (inclusive), or {@code null}
     * @param offset     with {@code index}: stop at this byte offset of that index (the last commit at
     *                   or before it), or {@code null}
     * @param timestamp  restore to files written at or before this time, or {@code null}
     */
    public record Target(String generation, Long index, Long offset, Instant timestamp) {

        /**
         * The latest state of the latest generation.
         *
         * @return the latest state of the latest generation
         */
        public static Target latest() {
            return new Target(null, null, null, null);
        }
    }

    /**
     * The outcome of a restore: either {@link Restored} or {@link Refused}.
     */
    public sealed interface Outcome permits Restored, Refused {}

    /**
     * The output was written.
     *
     * @param position     the position restored to ({@code <generation>/<index>:<offset>}, or the TXID for LTX)
     * @param snapshot     the snapshot used (relative path)
     * @param indexes      WAL indexes applied
     * @param frames       frames applied
     * @param pageCount    pages in the restored database
     * @param integrity    the integrity check report, or {@code null} when skipped
     */
    public record Restored(String position, String snapshot, long indexes, long frames, long pageCount,
            IntegrityCheck.Report integrity) implements Outcome {}

    /**
     * Nothing was written: the target lies past a gap or damage, or there is nothing to restore.
     *
     * @param reason   one line
     * @param problems the problems on the way to the target
     * @param lastGood the last position a restore can safely reach, or {@code null}
     */
    public record Refused(String reason, List<ReplicaProblem> problems, String lastGood) implements Outcome {}

    /** The chosen generation, snapshot and segments. */
    record Plan(Generation generation, SnapshotFile snapshot, long lastIndex, Long offsetLimit, List<SegmentFile> segments) {}

    /**
     * Restores {@code dir} to {@code output}.
     *
     * @param integrityCheck run walkit's integrity check on the result before renaming it; a failing
     *                       check refuses (nothing written)
     * @throws IllegalArgumentException for an impossible target (unknown generation, output inside
     *                                  the replica, output exists without {@code force})
     * @param dir the dir
     * @param target the target
     * @param output the output
     * @param force the force
     * @return restores {@code dir} to {@code output}
     * @throws IOException when the input cannot be read or parsed
     */
    public static Outcome restore(ReplicaDirectory dir, Target target, Path output, boolean force, boolean integrityCheck)
            throws IOException {
        if (dir.layout() == ReplicaLayout.LTX) {
            return LtxRestore.restore(dir, target, output, force, integrityCheck);
        }
        if (dir.layout() == ReplicaLayout.META) {
            throw new IllegalArgumentException("a .<db>-litestream directory holds no snapshot: restore from the replica instead");
        }
        Path absOut = output.toAbsolutePath().normalize();
        Path absRoot = dir.root().toAbsolutePath().normalize();
        if (absOut.startsWith(absRoot)) {
            throw new IllegalArgumentException("output " + output + " lies inside the replica " + dir.root()
                    + ": walkit never writes there");
        }
        if (!force && Files.exists(output, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("output " + output + " exists (use --force to replace it)");
        }
        Object planOrRefusal = plan(dir, target);
        if (planOrRefusal instanceof Refused r) {
            return r;
        }
        Plan plan = (Plan) planOrRefusal;
        String gen = plan.generation().name();

        // Verify pass over exactly what will be applied: refuse before writing anything.
        List<ReplicaProblem> problems = new ArrayList<>();
        // The snapshot's header only: its LZ4 stream is checked while it is copied (a failure refuses then).
        ReplicaVerifier.SnapshotInfo snap = ReplicaVerifier.peekSnapshot(plan.snapshot(), gen, problems);
        if (snap == null) {
            return new Refused("the snapshot " + plan.snapshot().relative() + " cannot be read", problems, null);
        }
        String lastGood = new ReplicaPosition(gen, plan.snapshot().index(), 0).toString();
        List<IndexScanner.Result> verified = new ArrayList<>();
        for (long idx = plan.snapshot().index(); idx <= plan.lastIndex(); idx++) {
            List<SegmentFile> segs = segmentsOf(plan.segments(), idx);
            if (segs.isEmpty()) {
                if (idx == plan.snapshot().index() && plan.lastIndex() == idx) {
                    break; // snapshot only
                }
                problems.add(new ReplicaProblem(Code.MISSING_INDEX, Severity.ERROR, null, gen, idx, 0, -1,
                        "WAL index " + String.format("%08x", idx) + " has no segments", lastGood));
                return new Refused("the target lies past a missing WAL index " + gen + "/" + String.format("%08x", idx)
                        + "; last good position " + lastGood, problems, lastGood);
            }
            IndexScanner.Result r = new IndexScanner(gen, idx, segs, snap.pageSize(), lastGood).scan(0, null);
            for (ReplicaProblem p : r.problems()) {
                // With an offset limit, a segment that ends inside a transaction beyond the limit is harmless.
                problems.add(p);
            }
            if (!r.ok()) {
                ReplicaProblem first = r.problems().stream().filter(ReplicaProblem::isError).findFirst().orElseThrow();
                String lg = first.lastGood();
                return new Refused("the target lies past " + first.code().label() + " at " + gen + "/"
                        + String.format("%08x", idx) + ":" + first.offset() + " (" + first.file() + "); last good position " + lg,
                        problems, lg);
            }
            if (r.committedEnd() > WalFormat.HEADER_SIZE) {
                lastGood = new ReplicaPosition(gen, idx, r.committedEnd()).toString();
            }
            verified.add(r);
        }
        ReplicaProblem cross = crossCheckAhead(plan, snap, verified, lastGood);
        if (cross != null) {
            problems.add(cross);
            return new Refused("the target lies between snapshots that disagree: " + cross.message(), problems, cross.lastGood());
        }
        if (plan.offsetLimit() != null && !verified.isEmpty()) {
            IndexScanner.Result tail = verified.get(verified.size() - 1);
            if (tail.index() == plan.lastIndex() && plan.offsetLimit() > tail.committedEnd()) {
                return new Refused("offset " + plan.offsetLimit() + " lies past the end of index "
                        + String.format("%08x", plan.lastIndex()) + " (" + tail.committedEnd() + ")", problems, lastGood);
            }
        }

        Path parent = absOut.getParent();
        Path temp = parent.resolve("." + absOut.getFileName() + ".walkit-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        long frames = 0;
        long pageCount;
        ReplicaPosition reached = new ReplicaPosition(gen, plan.snapshot().index(), 0);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                Built built;
                try {
                    built = build(plan, snap.pageSize(), verified, ch);
                } catch (io.walkit.io.CorruptFileException e) {
                    problems.add(new ReplicaProblem(e.field().equals("decompressed size") ? Code.TOO_LARGE : Code.BAD_COMPRESSION,
                            Severity.ERROR, plan.snapshot().relative(), gen, plan.snapshot().index(), 0, -1, "snapshot: " + e.getMessage(),
                            null));
                    return new Refused("the snapshot " + plan.snapshot().relative() + " is damaged (nothing written)", problems, null);
                }
                frames = built.frames();
                reached = built.reached() == null ? reached : built.reached();
                ch.force(true);
                pageCount = ch.size() / snap.pageSize();
            }
            IntegrityCheck.Report report = null;
            if (integrityCheck) {
                try (FilePageSource pages = FilePageSource.map(temp)) {
                    report = IntegrityCheck.check(pages, 100);
                }
                if (!report.ok()) {
                    List<ReplicaProblem> ip = new ArrayList<>(problems);
                    for (io.walkit.io.Problem p : report.problems()) {
                        ip.add(new ReplicaProblem(Code.BAD_SNAPSHOT, Severity.ERROR, null, gen, -1, -1, -1,
                                "restored database fails the integrity check: page " + p.position().pageNumber() + ": " + p.text(),
                                reached.toString()));
                    }
                    return new Refused("the restored database fails walkit's integrity check (nothing written)", ip, null);
                }
            }
            publish(temp, absOut, force);
            done = true;
            return new Restored(reached.toString(), plan.snapshot().relative(), verified.size(), frames, pageCount, report);
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** What {@link #build} applied. */
    record Built(long frames, ReplicaPosition reached) {}

    /**
     * Writes the plan's snapshot and the committed frames of the verified indexes into {@code ch}
     * (the image builder shared by restore and verify's snapshot cross-check).
     */
    static Built build(Plan plan, int pageSize, List<IndexScanner.Result> verified, FileChannel ch) throws IOException {
        String gen = plan.generation().name();
        long frames = 0;
        ReplicaPosition reached = null;
        PageApplier.WriteThrough sink = PageApplier.writeThrough(ch, pageSize);
        Lz4Frames.copy(plan.snapshot().path(), ReplicaFiles.decompressionLimit(plan.snapshot().size()), sink::appendBase);
        for (IndexScanner.Result v : verified) {
            long limit = v.committedEnd();
            if (plan.offsetLimit() != null && v.index() == plan.lastIndex()) {
                limit = lastCommitAtOrBefore(gen, v.index(), segmentsOf(plan.segments(), v.index()), pageSize,
                        plan.offsetLimit());
            }
            final long applyLimit = limit;
            long[] lastCommitPages = {0};
            long[] walOffset = {WalFormat.HEADER_SIZE, 0}; // this frame's offset in the index's WAL, last commit's
            String indexName = gen + "/" + String.format("%08x", v.index());
            IndexScanner.Result applied = new IndexScanner(gen, v.index(), segmentsOf(plan.segments(), v.index()),
                    pageSize, null).scan(applyLimit, (pgno, frame, ps) -> {
                        sink.apply(Integer.toUnsignedLong(pgno), frame, WalFormat.FRAME_HEADER_SIZE, indexName,
                                walOffset[0] + WalFormat.FRAME_HEADER_SIZE);
                        int commit = (frame[4] & 0xFF) << 24 | (frame[5] & 0xFF) << 16 | (frame[6] & 0xFF) << 8 | (frame[7] & 0xFF);
                        if (commit != 0) {
                            lastCommitPages[0] = Integer.toUnsignedLong(commit);
                            walOffset[1] = walOffset[0] + 4;
                        }
                        walOffset[0] += WalFormat.frameSize(ps);
                    });
            frames += applied.frames();
            if (lastCommitPages[0] > 0) {
                sink.nPage(lastCommitPages[0], indexName, walOffset[1]);
            }
            if (applied.committedEnd() > WalFormat.HEADER_SIZE) {
                reached = new ReplicaPosition(gen, v.index(), applied.committedEnd());
            }
        }
        sink.finish();
        return new Built(frames, reached);
    }

    /**
     * When a later snapshot B exists beyond the plan's snapshot A and every index from A to B is
     * clean, the snapshot cross-check of {@link ReplicaVerifier} for (A, B): a target inside A..B
     * whose chain lost the last segment of an index is refused instead of restored short.
     */
    private static ReplicaProblem crossCheckAhead(Plan plan, ReplicaVerifier.SnapshotInfo snap, List<IndexScanner.Result> verified,
            String lastGood) throws IOException {
        Generation g = plan.generation();
        SnapshotFile a = plan.snapshot();
        SnapshotFile b = null;
        for (SnapshotFile s : g.snapshots()) {
            if (s.index() > a.index()) {
                b = s;
                break;
            }
        }
        if (b == null || a.size() > ReplicaVerifier.CROSS_CHECK_LIMIT) {
            return null;
        }
        List<ReplicaProblem> scratch = new ArrayList<>();
        ReplicaVerifier.SnapshotInfo bi = ReplicaVerifier.readSnapshot(b, g.name(), scratch);
        if (bi == null || bi.size() > ReplicaVerifier.CROSS_CHECK_LIMIT || bi.pageSize() != snap.pageSize()) {
            return null;
        }
        List<IndexScanner.Result> chainA = new ArrayList<>();
        List<SegmentFile> segsA = new ArrayList<>();
        IndexScanner.Result resultB = null;
        for (long idx = a.index(); idx <= b.index(); idx++) {
            List<SegmentFile> segs = g.segmentsOf(idx);
            if (segs.isEmpty()) {
                if (idx == a.index()) {
                    continue;
                }
                return null;
            }
            IndexScanner.Result r = new IndexScanner(g.name(), idx, segs, snap.pageSize(), lastGood).scan(0, null);
            if (!r.ok()) {
                return null;
            }
            chainA.add(r);
            segsA.addAll(segs);
            resultB = idx == b.index() ? r : resultB;
        }
        return ReplicaVerifier.crossCheck(g, a, snap, b, bi, chainA, segsA, resultB);
    }

    /** Renames {@code temp} to {@code output} (no replacement unless {@code force}) and syncs the directory. */
    static void publish(Path temp, Path output, boolean force) throws IOException {
        if (force) {
            Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            try {
                // A hard link fails when the output exists, so a file created meanwhile is never replaced.
                Files.createLink(output, temp);
                Files.delete(temp);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException("output " + output + " exists (use --force to replace it)");
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(output)) {
                    throw new IllegalArgumentException("output " + output + " exists (use --force to replace it)");
                }
                Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        try (FileChannel d = FileChannel.open(output.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the file itself is synced.
        }
    }

    /** The end offset of the last commit frame at or before {@code offset} in index {@code idx}. */
    private static long lastCommitAtOrBefore(String gen, long idx, List<SegmentFile> segs, int pageSize, long offset)
            throws IOException {
        long[] best = {WalFormat.HEADER_SIZE};
        long[] end = {WalFormat.HEADER_SIZE};
        new IndexScanner(gen, idx, segs, pageSize, null).scan(offset, (pgno, frame, ps) -> {
            end[0] += WalFormat.frameSize(ps);
            int commit = (frame[4] & 0xFF) << 24 | (frame[5] & 0xFF) << 16 | (frame[6] & 0xFF) << 8 | (frame[7] & 0xFF);
            if (commit != 0) {
                best[0] = end[0];
            }
        });
        return best[0];
    }

    private static List<SegmentFile> segmentsOf(List<SegmentFile> segs, long idx) {
        List<SegmentFile> out = new ArrayList<>();
        for (SegmentFile s : segs) {
            if (s.index() == idx) {
                out.add(s);
            }
        }
        return out;
    }

    /** Chooses generation, snapshot and segments as Litestream v0.3.13 does; a {@link Plan} or a {@link Refused}. */
    static Object plan(ReplicaDirectory dir, Target t) {
        Generation g = null;
        if (t.generation() != null) {
            g = dir.generation(t.generation());
            if (g == null) {
                throw new IllegalArgumentException("no generation " + t.generation() + " in " + dir.root());
            }
        } else {
            for (Generation c : dir.generations()) {
                if (t.timestamp() != null && (t.timestamp().isBefore(c.createdAt()) || t.timestamp().isAfter(c.updatedAt()))) {
                    continue;
                }
                if (g == null || c.updatedAt().isAfter(g.updatedAt())) {
                    g = c;
                }
            }
            if (g == null) {
                return new Refused(t.timestamp() != null ? "no generation contains " + t.timestamp() : "no generations",
                        List.of(), null);
            }
        }
        SnapshotFile snap = null;
        for (SnapshotFile s : g.snapshots()) {
            if (t.index() != null && s.index() > t.index()) {
                continue;
            }
            if (t.timestamp() != null && s.modified().isAfter(t.timestamp())) {
                continue;
            }
            if (snap == null || (t.timestamp() != null ? s.modified().isAfter(snap.modified()) || s.modified().equals(snap.modified())
                    && s.index() > snap.index() : s.index() > snap.index())) {
                snap = s;
            }
        }
        if (snap == null) {
            return new Refused("generation " + g.name() + " has no snapshot at or before the target", List.of(
                    new ReplicaProblem(Code.NO_SNAPSHOT, Severity.ERROR, null, g.name(), -1, -1, -1,
                            "no snapshot at or before the target", null)), null);
        }
        List<SegmentFile> segs = new ArrayList<>();
        long last = -1;
        for (SegmentFile s : g.segments()) {
            if (t.timestamp() != null && s.modified().isAfter(t.timestamp())) {
                break; // Litestream stops at the first segment written after the timestamp
            }
            if (t.index() != null && s.index() > t.index()) {
                break;
            }
            if (s.index() < snap.index()) {
                continue;
            }
            if (t.offset() != null && s.index() == t.index() && s.offset() >= t.offset()) {
                continue;
            }
            segs.add(s);
            last = Math.max(last, s.index());
        }
        long lastIndex = Math.max(last, snap.index());
        Long offsetLimit = t.offset() != null && t.index() != null && lastIndex == t.index() ? t.offset() : null;
        return new Plan(g, snap, lastIndex, offsetLimit, segs);
    }
}
