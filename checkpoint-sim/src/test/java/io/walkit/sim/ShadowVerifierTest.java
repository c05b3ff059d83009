package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;


import io.walkit.replica.ShadowPosition;
import io.walkit.replica.ShadowVerdict;
import io.walkit.replica.ShadowVerifier;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShadowVerifierTest {

    private static WalSim sim() {
        return WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(512), 4);
    }

    private static void commit(WalSim sim, int... pages) {
        List<WalSim.PageWrite> w = new java.util.ArrayList<>();
        for (int p : pages) {
            w.add(new WalSim.PageWrite(p, null));
        }
        assertTrue(sim.commit("W", w, 4).ok());
    }

    @Test
    void identicalFilesContinueAfterTheLastFrame() {
        WalSim sim = sim();
        commit(sim, 1, 2, 3);
        ShadowVerdict v = ShadowVerifier.verify(sim.walFile().bytes(), sim.walFile().bytes());
        assertEquals(ShadowVerdict.Verdict.CONTINUE, v.verdict());
        assertEquals(3, v.lastFrame());
        assertEquals(4, v.continueAtFrame());
        assertEquals(0, v.unseenCommittedFrames());
        assertEquals(List.of(), v.findings());
    }

    @Test
    void shadowLongerThanTheWalIsTruncatedByAnotherProcess() {
        WalSim sim = sim();
        commit(sim, 1, 2, 3);
        byte[] shadow = sim.walFile().bytes();
        sim.checkpoint("C", CheckpointMode.TRUNCATE);
        commit(sim, 1);
        ShadowVerdict v = ShadowVerifier.verify(shadow, sim.walFile().bytes());
        assertEquals(ShadowVerdict.Verdict.POSITION_LOST, v.verdict());
        assertEquals("wal truncated by another process", v.reason());
        assertEquals(6, v.litestreamCheck());
    }

    @Test
    void headerOnlyShadowWithAnotherHeaderIsLost() {
        WalSim sim = sim();
        commit(sim, 1);
        byte[] shadow = Arrays.copyOf(sim.walFile().bytes(), 32);
        sim.checkpoint("C", CheckpointMode.PASSIVE);
        commit(sim, 2);
        ShadowVerdict v = ShadowVerifier.verify(shadow, sim.walFile().bytes());
        assertEquals("wal header only, mismatched", v.reason());
    }

    @Test
    void earlierFrameChangedIsCaughtOnlyByTheStrictCheck() {
        WalSim sim = sim();
        commit(sim, 1, 2, 3);
        byte[] shadow = sim.walFile().bytes();
        byte[] wal = sim.walFile().bytes();
        wal[32 + 24 + 100] ^= 1; // frame 1's page image differs, frame 3 (the last) is intact
        ShadowVerdict v = ShadowVerifier.verify(shadow, wal);
        assertEquals(ShadowVerdict.Verdict.CONTINUE, v.verdict());
        assertEquals(ShadowVerdict.Verdict.POSITION_LOST, v.strictVerdict());
        assertEquals("earlier-frame-changed", v.findings().get(0).code().id());
    }

    @Test
    void newWalCountsOldTailAndNewFramesAsUnseen() {
        WalSim sim = sim();
        commit(sim, 1, 2);
        byte[] shadow = sim.walFile().bytes();
        commit(sim, 3);             // frame 3, old generation, never copied
        commit(sim, 4);             // frame 4
        sim.checkpoint("C", CheckpointMode.PASSIVE);
        commit(sim, 1);             // restart: new frame 1; old frames 2..4 stay
        ShadowVerdict v = ShadowVerifier.verify(shadow, sim.walFile().bytes());
        // Frame 1 was overwritten but the shadow's last frame (2) survived.
        assertEquals(ShadowVerdict.Verdict.NEW_WAL, v.verdict());
        assertEquals(3, v.unseenCommittedFrames()); // old frames 3, 4 + new frame 1
        assertTrue(v.unseenFrameList().contains("frame 3 (page 3, old WAL)"), v.unseenFrameList().toString());
        assertTrue(v.unseenFrameList().contains("frame 1 (page 1, new WAL)"), v.unseenFrameList().toString());
        assertEquals(ShadowVerdict.Verdict.NEW_WAL, v.strictVerdict(), v.findings().toString());
    }

    @Test
    void anyDamageYieldsAVerdictNeverAnException() {
        WalSim sim = sim();
        commit(sim, 1, 2);
        byte[] shadow = sim.walFile().bytes();
        commit(sim, 3);
        byte[] wal = sim.walFile().bytes();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            byte[] s = shadow.clone();
            byte[] w = wal.clone();
            byte[] target = r.nextBoolean() ? s : w;
            target[r.nextInt(target.length)] ^= (byte) (1 << r.nextInt(8));
            int cut = r.nextInt(4);
            if (cut == 0) {
                s = Arrays.copyOf(s, r.nextInt(s.length + 1));
            } else if (cut == 1) {
                w = Arrays.copyOf(w, r.nextInt(w.length + 1));
            }
            assertNotNull(ShadowVerifier.verify(s, w).verdict());
        }
    }

    @Test
    void aBarePositionGivesTheSameVerdictAsTheShadowFile() {
        int[] verdicts = new int[3];
        for (long seed = 0; seed < 300; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            WalSim sim = sim();
            commit(sim, 1);
            byte[] shadow = null;
            for (int step = 0; step < 12; step++) {
                int op = r.nextInt(10);
                if (op < 5) {
                    commit(sim, 1 + r.nextInt(4));
                } else if (op < 8) {
                    sim.checkpoint("C", CheckpointMode.values()[r.nextInt(4)]);
                } else if (shadow == null && sim.walFile().size() > 32) {
                    // The replicator's copy: the header and the committed frames of the valid prefix.
                    byte[] all = sim.walFile().bytes();
                    int valid = io.walkit.wal.WalScanner.scan(io.walkit.io.ByteSource.of(all, "wal")).mxFrame();
                    shadow = Arrays.copyOf(all, (int) io.walkit.wal.WalFormat.frameOffset(valid + 1L, 512));
                }
            }
            if (shadow == null) {
                continue;
            }
            byte[] wal = sim.walFile().exists() ? sim.walFile().bytes() : null;
            ShadowVerdict a = ShadowVerifier.verify(shadow, wal);
            ShadowPosition pos = ShadowPosition.of(shadow);
            assertEquals(pos, ShadowPosition.parse(pos.toString()));
            ShadowVerdict b = ShadowVerifier.verify(pos, wal);
            String where = "seed " + seed + " " + pos + " shadow: " + a.reason() + " position: " + b.reason() + " " + shadow.length;
            assertEquals(a.verdict(), b.verdict(), where);
            assertEquals(a.litestreamCheck(), b.litestreamCheck(), where);
            assertEquals(a.unseenCommittedFrames(), b.unseenCommittedFrames(), where);
            assertEquals(a.unseenFrameList(), b.unseenFrameList(), where);
            verdicts[a.verdict().ordinal()]++;
        }
        // The random runs reach all three verdicts.
        assertTrue(verdicts[0] > 0 && verdicts[1] > 0 && verdicts[2] > 0, Arrays.toString(verdicts));
    }

    @FuzzTest(maxDuration = "30s")
    void fuzzVerify(FuzzedDataProvider data) {
        byte[] shadow = data.consumeBytes(data.consumeInt(0, 4000));
        byte[] wal = data.consumeBoolean() ? null : data.consumeRemainingAsBytes();
        ShadowVerdict v = ShadowVerifier.verify(shadow, wal);
        assertNotNull(v.verdict());
        assertTrue(v.unseenFrameList().size() <= 100);
    }
}
