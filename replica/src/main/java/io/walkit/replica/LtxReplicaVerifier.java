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
        List<ReplicaProblem> problems = new ArrayList<>(dir.problems());
        List<Entry> entries = load(dir, problems, true);
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
                    problems.add(new ReplicaProblem(gap ? Code.TXID_GAP : Code.BAD_LTX, Severity.WARNING, e.ref().relative(),
                            Integer.toString(lv.getKey()), -1, -1, e.ref().minTxid(), String.format(gap
                                    ? "level %d: TXIDs 0x%x..0x%x are missing between this file and the previous one"
                                    : "level %d: TXID range overlaps the previous file's (which ends at 0x%x)", lv.getKey(),
                                    gap ? p.ref().maxTxid() + 1 : p.ref().maxTxid(), e.ref().minTxid() - 1), null));
                } else if (p.ok() && e.ok() && !p.header().noChecksum() && !e.header().noChecksum()
                        && e.header().preApplyChecksum() != p.postApply()) {
                    problems.add(new ReplicaProblem(Code.CHECKSUM_CHAIN, Severity.ERROR, e.ref().relative(), Integer.toString(lv.getKey()),
                            -1, 40, e.ref().minTxid(), String.format("pre-apply checksum 0x%016x differs from the previous file's"
                                    + " post-apply checksum 0x%016x", e.header().preApplyChecksum(), p.postApply()),
                            String.format("0x%016x", p.ref().maxTxid())));
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
            problems.add(new ReplicaProblem(Code.NO_SNAPSHOT, Severity.ERROR, "ltx", null, -1, -1, -1, "no LTX files: nothing to restore", null));
        } else if (chain.files().isEmpty()) {
            problems.add(new ReplicaProblem(Code.NO_SNAPSHOT, Severity.ERROR, null, null, -1, -1, -1,
                    "no valid snapshot (a file with min TXID 1): nothing can be restored", null));
        } else if (chain.reached() < latest) {
            problems.add(new ReplicaProblem(Code.TXID_GAP, Severity.ERROR, null, null, -1, -1, chain.reached() + 1, String.format(
                    "no valid file at any level starts at TXID 0x%x, but files reach TXID 0x%x: a restore stops at 0x%x",
                    chain.reached() + 1, latest, chain.reached()), String.format("0x%016x", chain.reached())));
        }
        return new ReplicaReport(dir.root(), dir.layout(), List.of(), levels, problems);
    }

    /** Decodes every file's header and checks; problems go to {@code problems} when {@code report}. */
    static List<Entry> load(ReplicaDirectory dir, List<ReplicaProblem> problems, boolean report) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (LtxFileRef ref : dir.ltxFiles()) {
            String lv = Integer.toString(ref.level());
            try {
                if (ReplicaFiles.sniff(ref.path()) == ReplicaFiles.Kind.AGE) {
                    problems.add(new ReplicaProblem(Code.ENCRYPTED, Severity.ERROR, ref.relative(), lv, -1, 0, ref.minTxid(),
                            "encrypted (age): contents cannot be verified", null));
                    continue;
                }
                LtxFile f = LtxFile.read(ref.path(), null);
                LtxHeader h = f.header();
                boolean ok = f.ok();
                if (report) {
                    for (LtxFile.Problem p : f.problems()) {
                        problems.add(new ReplicaProblem(Code.BAD_LTX, Severity.ERROR, ref.relative(), lv, -1, p.offset(), ref.minTxid(),
                                p.message(), null));
                    }
                }
                if (h.minTxid() != ref.minTxid() || h.maxTxid() != ref.maxTxid()) {
                    ok = false;
                    if (report) {
                        problems.add(new ReplicaProblem(Code.BAD_LTX, Severity.ERROR, ref.relative(), lv, -1, 16, ref.minTxid(),
                                String.format("header TXIDs 0x%x..0x%x differ from the file name's", h.minTxid(), h.maxTxid()), null));
                    }
                }
                entries.add(new Entry(ref, h, f.postApplyChecksum(), ok));
            } catch (CorruptFileException e) {
                problems.add(new ReplicaProblem(Code.BAD_LTX, Severity.ERROR, ref.relative(), lv, -1, e.offset(), ref.minTxid(),
                        e.getMessage(), null));
            } catch (AccessDeniedException e) {
                problems.add(new ReplicaProblem(Code.UNREADABLE, Severity.ERROR, ref.relative(), lv, -1, -1, ref.minTxid(),
                        "permission denied", null));
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
