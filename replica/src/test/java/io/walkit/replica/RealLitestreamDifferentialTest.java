package io.walkit.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * walkit's pure-Java restore equals real Litestream v0.3.13's restore, byte for byte and by the
 * sqlite3 shell's {@code .sha3sum}, on a replica real Litestream wrote under a random writer:
 * latest, at eight WAL indexes, and at several timestamps; and walkit's verify finds it clean.
 */
class RealLitestreamDifferentialTest {

    @TempDir
    Path tmp;

    @Test
    void restoreEqualsLitestreamLatestAtIndexesAndAtTimestamps() throws Exception {
        Optional<Path> bin = RealLitestream.binary();
        Assumptions.assumeTrue(bin.isPresent(), RealLitestream.ABSENT);
        Assumptions.assumeTrue(RealLitestream.hasSqlite3(), "sqlite3 shell not on PATH; skipping");
        long seed = Long.getLong("walkit.seed", 0x11L);
        System.out.println("RealLitestreamDifferentialTest seed=" + seed);
        RealReplica r = RealReplica.create(bin.get(), tmp.resolve("w"), seed, 70, "2s");

        ReplicaDirectory dir = ReplicaDirectory.open(r.replica);
        assertEquals(ReplicaLayout.V03, dir.layout());
        ReplicaReport report = ReplicaVerifier.verify(dir);
        assertTrue(report.ok(), () -> "verify: " + report.problems() + "\n" + String.join("\n", r.script));
        assertEquals(1, dir.generations().size(), "one generation expected");
        ReplicaDirectory.Generation g = dir.generations().get(0);
        assertTrue(g.maxIndex() >= 3, "expected several WAL indexes, got " + g.maxIndex());

        // Latest: equals Litestream's restore and the source database.
        Path ours = tmp.resolve("ours.db");
        Path theirs = tmp.resolve("theirs.db");
        assertInstanceOf(ReplicaRestore.Restored.class, ReplicaRestore.restore(dir, ReplicaRestore.Target.latest(), ours, false, true));
        RealLitestream.Run lr = RealLitestream.restore(bin.get(), r.replica, theirs);
        assertEquals(0, lr.code(), lr.out());
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours), "latest restore differs from Litestream's");
        String digest = RealLitestream.digest(ours, tmp);
        assertTrue(digest.endsWith("ok"), digest);
        assertEquals(RealLitestream.digest(theirs, tmp), digest);
        assertEquals(RealLitestream.digest(r.db, tmp), digest, "restore differs from the source database");

        // Eight indexes spread over the generation (first, last and between).
        TreeSet<Long> all = new TreeSet<>();
        g.segments().forEach(s -> all.add(s.index()));
        List<Long> list = new ArrayList<>(all);
        TreeSet<Long> indexes = new TreeSet<>();
        for (int i = 0; i < 8; i++) {
            indexes.add(list.get((int) ((long) i * (list.size() - 1) / 7)));
        }
        System.out.println("indexes " + all.size() + ", segments " + g.segments().size() + ", snapshots " + g.snapshots().size()
                + "; checked indexes " + indexes);
        for (long idx : indexes) {
            if (idx < g.snapshots().get(0).index()) {
                continue;
            }
            Path o = tmp.resolve("ours-" + idx + ".db");
            Path t = tmp.resolve("theirs-" + idx + ".db");
            var out = ReplicaRestore.restore(dir, new ReplicaRestore.Target(g.name(), idx, null, null), o, false, true);
            assertInstanceOf(ReplicaRestore.Restored.class, out, () -> "index " + idx + ": " + out);
            RealLitestream.Run run = RealLitestream.restore(bin.get(), r.replica, t, "-generation", g.name(), "-index",
                    Long.toHexString(idx));
            assertEquals(0, run.code(), run.out());
            assertArrayEquals(Files.readAllBytes(t), Files.readAllBytes(o), "index " + idx + " differs from Litestream's");
        }

        // Timestamps: exact file times of some segments, and points between commits.
        List<Instant> points = new ArrayList<>();
        List<ReplicaDirectory.SegmentFile> segs = g.segments();
        for (int i = segs.size() / 5; i < segs.size(); i += Math.max(1, segs.size() / 4)) {
            points.add(segs.get(i).modified());
        }
        points.add(r.commitTimes.get(r.commitTimes.size() / 2));
        int n = 0;
        for (Instant ts : points) {
            Path o = tmp.resolve("ours-ts-" + n + ".db");
            Path t = tmp.resolve("theirs-ts-" + n + ".db");
            n++;
            RealLitestream.Run run = RealLitestream.restore(bin.get(), r.replica, t, "-timestamp", ts.toString());
            var out = ReplicaRestore.restore(dir, new ReplicaRestore.Target(null, null, null, ts), o, false, true);
            if (run.code() != 0) {
                // Litestream refuses timestamps before its first snapshot; walkit must refuse too.
                assertInstanceOf(ReplicaRestore.Refused.class, out, () -> "timestamp " + ts + ": Litestream failed ("
                        + run.out() + ") but walkit restored");
                continue;
            }
            assertInstanceOf(ReplicaRestore.Restored.class, out, () -> "timestamp " + ts + ": " + out);
            assertArrayEquals(Files.readAllBytes(t), Files.readAllBytes(o), "timestamp " + ts + " differs from Litestream's");
        }
    }
}
