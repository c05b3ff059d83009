package io.walkit.replica;

import io.walkit.io.CorruptFileException;
import io.walkit.replica.ReplicaDirectory.LtxFileRef;
import io.walkit.replica.ReplicaProblem.Code;
import io.walkit.replica.ReplicaProblem.Severity;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verifies a Litestream v0.5 LTX replica ({@code ltx/<level>/<min>-<max>.ltx}): every file decodes
 * and passes {@link LtxFile}'s checks, its name matches its header, TXID ranges are contiguous
 * within each level, the pre-apply checksum of each file equals the post-apply checksum of the file
 * before it (when both track checksums), and the latest TXID is reachable from a snapshot
 * (min TXID 1) through contiguous files of any level, as Litestream's {@code CalcRestorePlan} needs.
 * Stateless.
 */
final class LtxReplicaVerifier {

    private LtxReplicaVerifier() {}

    /** A decoded file of the replica. */
    record Entry(LtxFileRef ref, LtxHeader header, long postApply, boolean ok) {}

    static ReplicaReport verify(ReplicaDirectory dir) throws IOException {
        List<io.walkit.io.Problem> problems = new ArrayList<>(dir.problems());
        List<ReplicaProblem> loaded = new ArrayList<>();
        List<Entry> entries = load(dir, loaded, true);
        loaded.forEach(p -> problems.add(p.problem()));
        Map<Integer, List<Entry>> byLevel = new TreeMap<>();
        for (Entry e : entries) {
            byLevel.computeIfAbsent(e.ref().level(), k -> new ArrayList<>()).add(e);
        }
        List<ReplicaReport.LevelSummary> levels = new ArrayList<>();
        for (Map.Entry<Integer, List<Entry>> lv : byLevel.entrySet()) {
            List<Entry> files = lv.getValue();
            long min = files.get(0).ref().minTxid();
            long max = 0;
            for (int i = 0; i < files.size(); i++) {
                Entry e = files.get(i);
                max = Math.max(max, e.ref().maxTxid());
                if (i == 0 || lv.getKey() == 9) {
                    continue;
                }
                Entry p = files.get(i - 1);
                if (e.ref().minTxid() != p.ref().maxTxid() + 1) {
                    boolean gap = e.ref().minTxid() > p.ref().maxTxid() + 1;
                    problems.add(ReplicaProblem.of(gap ? Code.TXID_GAP : Code.BAD_LTX, Severity.WARNING, e.ref().relative(),
                            new io.walkit.io.Problem.Position.Txid(e.ref().minTxid()), "LTX level " + lv.getKey(), "min TXID",
                            String.format("0x%016x (the previous file's max TXID + 1)", p.ref().maxTxid() + 1),
                            String.format("0x%016x", e.ref().minTxid()), gap
                                    ? String.format("TXIDs 0x%x..0x%x are missing at this level", p.ref().maxTxid() + 1,
                                            e.ref().minTxid() - 1)
                                    : "the TXID range overlaps the previous file's"));
                } else if (p.ok() && e.ok() && !p.header().noChecksum() && !e.header().noChecksum()
                        && e.header().preApplyChecksum() != p.postApply()) {
                    problems.add(ReplicaProblem.of(Code.CHECKSUM_CHAIN, Severity.ERROR, e.ref().relative(),
                            new io.walkit.io.Problem.Position.Txid(e.ref().minTxid()), "LTX header", "pre-apply checksum",
                            String.format("0x%016x (the previous file's post-apply checksum)", p.postApply()),
                            String.format("0x%016x", e.header().preApplyChecksum()), null));
                }
            }
            levels.add(new ReplicaReport.LevelSummary(lv.getKey(), files.size(), min, max));
        }
        Chain chain = chain(entries, Long.MAX_VALUE, null);
        long latest = 0;
        for (Entry e : entries) {
            latest = Math.max(latest, e.ref().maxTxid());
        }
        if (entries.isEmpty()) {
            problems.add(ReplicaProblem.of(Code.NO_SNAPSHOT, Severity.ERROR, "ltx", null, "LTX replica", "files", "at least one",
                    "none", "nothing to restore"));
        } else if (chain.files().isEmpty()) {
            problems.add(ReplicaProblem.of(Code.NO_SNAPSHOT, Severity.ERROR, null, null, "LTX replica", "valid snapshots (min TXID 1)",
                    "at least one", "none", "nothing can be restored"));
        } else if (chain.reached() < latest) {
            problems.add(ReplicaProblem.of(Code.TXID_GAP, Severity.ERROR, null,
                    new io.walkit.io.Problem.Position.Txid(chain.reached() + 1), "LTX replica", "valid files starting at this TXID",
                    "at least one (files reach " + String.format("0x%016x", latest) + ")", "none",
                    String.format("a restore stops at 0x%016x", chain.reached())));
        }
        return new ReplicaReport(dir.root(), dir.layout(), List.of(), levels, problems,
                chain.files().isEmpty() ? null : chain.reached());
    }

    /** Decodes every file's header and checks; problems go to {@code problems} when {@code report}. */
    static List<Entry> load(ReplicaDirectory dir, List<ReplicaProblem> problems, boolean report) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (LtxFileRef ref : dir.ltxFiles()) {
            try {
                if (ReplicaFiles.sniff(ref.path()) == ReplicaFiles.Kind.AGE) {
                    problems.add(new ReplicaProblem(ReplicaProblem.of(Code.ENCRYPTED, Severity.ERROR, ref.relative(),
                            new io.walkit.io.Problem.Position.FileOffset(0), "LTX file", "format", "LTX", "age encryption",
                            "contents cannot be verified"), null));
                    continue;
                }
                LtxFile f = LtxFile.read(ref.path(), null);
                LtxHeader h = f.header();
                boolean ok = f.ok();
                if (report) {
                    for (io.walkit.io.Problem p : f.problems()) {
                        problems.add(new ReplicaProblem(p.withFile(ref.relative()), null));
                    }
                }
                if (h.minTxid() != ref.minTxid() || h.maxTxid() != ref.maxTxid()) {
                    ok = false;
                    if (report) {
                        problems.add(new ReplicaProblem(ReplicaProblem.of(Code.BAD_LTX, Severity.ERROR, ref.relative(),
                                new io.walkit.io.Problem.Position.FileOffset(16), "LTX header", "min TXID..max TXID",
                                String.format("0x%016x..0x%016x (the file name's)", ref.minTxid(), ref.maxTxid()),
                                String.format("0x%016x..0x%016x", h.minTxid(), h.maxTxid()), null), null));
                    }
                }
                entries.add(new Entry(ref, h, f.postApplyChecksum(), ok));
            } catch (CorruptFileException e) {
                problems.add(new ReplicaProblem(io.walkit.io.Problem.of(Code.BAD_LTX, e).withFile(ref.relative()), null));
            } catch (AccessDeniedException e) {
                problems.add(new ReplicaProblem(ReplicaProblem.of(Code.UNREADABLE, Severity.ERROR, ref.relative(), null, null, null,
                        null, null, "permission denied"), null));
            }
        }
        return entries;
    }

    /**
     * A restore chain.
     *
     * @param files   the files to apply, in order
     * @param reached the last TXID reached (0 when none)
     */
    record Chain(List<Entry> files, long reached) {}

    /**
     * The chain Litestream's {@code CalcRestorePlan} would build up to {@code target}: the valid
     * snapshot (min TXID 1) with the highest max TXID at or below the target, then repeatedly the
     * valid file (any level) starting right after the TXID reached with the highest max TXID at or
     * below the target. With {@code notAfter}, only files whose header timestamp is at or before it.
     */
    static Chain chain(List<Entry> entries, long target, java.time.Instant notAfter) {
        Map<Long, Entry> bestFrom = new HashMap<>();
        Entry snap = null;
        for (Entry e : entries) {
            if (!e.ok() || e.ref().maxTxid() > target
                    || notAfter != null && java.time.Instant.ofEpochMilli(e.header().timestamp()).isAfter(notAfter)) {
                continue;
            }
            if (e.ref().minTxid() == 1 && (snap == null || e.ref().maxTxid() > snap.ref().maxTxid())) {
                snap = e;
            }
            Entry b = bestFrom.get(e.ref().minTxid());
            if (b == null || e.ref().maxTxid() > b.ref().maxTxid()) {
                bestFrom.put(e.ref().minTxid(), e);
            }
        }
        List<Entry> out = new ArrayList<>();
        if (snap == null) {
            return new Chain(out, 0);
        }
        out.add(snap);
        long cur = snap.ref().maxTxid();
        while (true) {
            Entry n = bestFrom.get(cur + 1);
            if (n == null) {
                break;
            }
            out.add(n);
            cur = n.ref().maxTxid();
        }
        return new Chain(out, cur);
    }
}
