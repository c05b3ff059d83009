package io.walkit.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A v0.5 LTX replica built with walkit's writer from real SQLite database states (snapshot at
 * level 9, one incremental file per later state at level 0, checksums chained): verify is clean,
 * restore equals each real state, and a missing file or a broken checksum chain is reported and
 * refused.
 */
class LtxReplicaTest {

    @TempDir
    Path tmp;

    /** Database images after each of {@code states} transactions (rollback-journal mode, so the file is the state). */
    List<byte[]> states(int states) throws Exception {
        Path db = tmp.resolve("src.db");
        List<byte[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
            for (int i = 0; i < states; i++) {
                s.execute("WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < " + (5 + i * 7)
                        + ") INSERT INTO t(v) SELECT randomblob(300) FROM n");
                if (i == states - 1) {
                    s.execute("DELETE FROM t WHERE id % 3 = 0");
                    s.execute("VACUUM"); // shrinks the database: the last file has a smaller commit
                }
                out.add(Files.readAllBytes(db));
            }
        }
        return out;
    }

    static long dbChecksum(byte[] image, int pageSize) {
        long db = LtxHeader.CHECKSUM_FLAG;
        long lock = 0x40000000L / pageSize + 1;
        for (int p = 1; p <= image.length / pageSize; p++) {
            if (p != lock) {
                db = LtxChecksum.fold(db, LtxChecksum.page(p, Arrays.copyOfRange(image, (p - 1) * pageSize, p * pageSize)));
            }
        }
        return db;
    }

    Path replica(List<byte[]> states) throws Exception {
        int ps = 1024;
        Path root = tmp.resolve("replica");
        Files.createDirectories(root.resolve("ltx/9"));
        Files.createDirectories(root.resolve("ltx/0"));
        byte[] first = states.get(0);
        SortedMap<Integer, byte[]> all = new TreeMap<>();
        for (int p = 1; p <= first.length / ps; p++) {
            all.put(p, Arrays.copyOfRange(first, (p - 1) * ps, p * ps));
        }
        Files.write(root.resolve("ltx/9/0000000000000001-0000000000000001.ltx"), LtxWriter.encode(LtxEncoding.V3, LtxWriter.V3Style.BLOCK,
                new LtxHeader(LtxHeader.MAGIC, 0, ps, first.length / ps, 1, 1, 1000, 0, 0, 0, 0, 0, 0), all, 0));
        for (int i = 1; i < states.size(); i++) {
            byte[] prev = states.get(i - 1);
            byte[] cur = states.get(i);
            SortedMap<Integer, byte[]> changed = new TreeMap<>();
            for (int p = 1; p <= cur.length / ps; p++) {
                byte[] page = Arrays.copyOfRange(cur, (p - 1) * ps, p * ps);
                if ((long) p * ps > prev.length || !Arrays.equals(page, Arrays.copyOfRange(prev, (p - 1) * ps, p * ps))) {
                    changed.put(p, page);
                }
            }
            long txid = i + 1;
            LtxHeader h = new LtxHeader(LtxHeader.MAGIC, 0, ps, cur.length / ps, txid, txid, 1000 + txid, dbChecksum(prev, ps),
                    0, 0, 0, 0, 0);
            Files.write(root.resolve(String.format("ltx/0/%016x-%016x.ltx", txid, txid)),
                    LtxWriter.encode(i % 2 == 0 ? LtxEncoding.V3 : LtxEncoding.V2, LtxWriter.V3Style.FRAME, h, changed, dbChecksum(cur, ps)));
        }
        return root;
    }

    @Test
    void verifiesAndRestoresEveryStateByTxid() throws Exception {
        List<byte[]> states = states(5);
        Path root = replica(states);
        ReplicaReport r = ReplicaVerifier.verify(root);
        assertEquals(ReplicaLayout.LTX, r.layout());
        assertTrue(r.ok(), r.problems().toString());
        for (int i = 0; i < states.size(); i++) {
            Path out = tmp.resolve("out-" + i + ".db");
            var o = ReplicaRestore.restore(ReplicaDirectory.open(root), new ReplicaRestore.Target(null, (long) i + 1, null, null), out,
                    false, true);
            assertInstanceOf(ReplicaRestore.Restored.class, o, o.toString());
            assertArrayEquals(states.get(i), Files.readAllBytes(out), "state after TXID " + (i + 1));
        }
    }

    @Test
    void aMissingFileIsATxidGapAndRestorePastItIsRefused() throws Exception {
        Path root = replica(states(5));
        Files.delete(root.resolve("ltx/0/0000000000000003-0000000000000003.ltx"));
        ReplicaReport r = ReplicaVerifier.verify(root);
        assertFalse(r.ok());
        assertTrue(r.problems().stream().anyMatch(p -> p.code() == ReplicaProblem.Code.TXID_GAP
                && p.severity() == io.walkit.io.Problem.Severity.ERROR
                && p.position() instanceof io.walkit.io.Problem.Position.Txid t && t.txid() == 3), r.problems().toString());
        assertEquals(Long.valueOf(2), r.restorableTxid(), "the report says how far a restore safely reaches");
        Path out = tmp.resolve("out.db");
        var o = ReplicaRestore.restore(ReplicaDirectory.open(root), ReplicaRestore.Target.latest(), out, false, true);
        assertInstanceOf(ReplicaRestore.Refused.class, o);
        assertFalse(Files.exists(out));
        assertInstanceOf(ReplicaRestore.Restored.class, ReplicaRestore.restore(ReplicaDirectory.open(root),
                new ReplicaRestore.Target(null, 2L, null, null), out, false, true));
    }

    @Test
    void aBrokenChecksumChainIsReported() throws Exception {
        Path root = replica(states(4));
        Path f = root.resolve("ltx/0/0000000000000003-0000000000000003.ltx");
        LtxFile orig = LtxFile.read(f, null);
        SortedMap<Integer, byte[]> pages = new TreeMap<>();
        LtxFile.read(f, (pgno, data) -> pages.put(pgno, data.clone()));
        LtxHeader h = orig.header();
        LtxHeader wrong = new LtxHeader(h.magic(), h.flags(), h.pageSize(), h.commit(), h.minTxid(), h.maxTxid(), h.timestamp(),
                h.preApplyChecksum() ^ 0x10, 0, 0, 0, 0, 0);
        Files.write(f, LtxWriter.encode(orig.encoding(), LtxWriter.V3Style.FRAME, wrong, pages, orig.postApplyChecksum()));
        ReplicaReport r = ReplicaVerifier.verify(root);
        io.walkit.io.Problem p = r.problems().stream().filter(q -> q.code() == ReplicaProblem.Code.CHECKSUM_CHAIN).findFirst()
                .orElseThrow(() -> new AssertionError(r.problems().toString()));
        // Real fields, not prose: the pre-apply checksum expected (the previous post-apply) and found.
        assertEquals("LTX header", p.structure());
        assertEquals("pre-apply checksum", p.field());
        assertEquals(String.format("0x%016x", h.preApplyChecksum() ^ 0x10), p.found());
        assertTrue(p.expected().startsWith(String.format("0x%016x", h.preApplyChecksum())), p.expected());
        assertEquals(new io.walkit.io.Problem.Position.Txid(3), p.position());
        assertEquals("ltx/0/0000000000000003-0000000000000003.ltx", p.file());
    }

    @Test
    void aDamagedFileChecksumNamesTheTrailerFieldExpectedAndFound() throws Exception {
        Path root = replica(states(2));
        Path f = root.resolve("ltx/0/0000000000000002-0000000000000002.ltx");
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1;
        Files.write(f, b);
        LtxFile damaged = LtxFile.read(f, null);
        io.walkit.io.Problem p = damaged.problems().getFirst();
        assertEquals(ReplicaProblem.Code.BAD_LTX, p.code());
        assertEquals("LTX trailer", p.structure());
        assertEquals("file checksum", p.field());
        assertEquals(String.format("0x%016x", damaged.computedFileChecksum()), p.expected());
        assertEquals(String.format("0x%016x", damaged.fileChecksum()), p.found());
        assertEquals(new io.walkit.io.Problem.Position.FileOffset(b.length - 8), p.position());
        ReplicaReport r = ReplicaVerifier.verify(root);
        assertTrue(r.problems().stream().anyMatch(q -> q.code() == ReplicaProblem.Code.BAD_LTX && "file checksum".equals(q.field())
                && "ltx/0/0000000000000002-0000000000000002.ltx".equals(q.file())), r.problems().toString());
    }
}
