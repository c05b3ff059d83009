package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.sim.CheckpointMode;
import io.walkit.sim.WalSim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShadowVerifyCommandTest {

    private static void commit(WalSim sim, int... pages) {
        List<WalSim.PageWrite> w = new java.util.ArrayList<>();
        for (int p : pages) {
            w.add(new WalSim.PageWrite(p, null));
        }
        assertTrue(sim.commit("W", w, 4).ok());
    }

    @Test
    void continueWhenTheWalOnlyGrew(@TempDir Path dir) throws Exception {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 4);
        commit(sim, 1, 2);
        Files.write(dir.resolve("shadow"), sim.walFile().bytes());
        commit(sim, 3);
        Files.write(dir.resolve("wal"), sim.walFile().bytes());
        var r = SimCommandsTest.run("shadow", "verify", "--shadow", dir.resolve("shadow").toString(),
                "--wal", dir.resolve("wal").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"verdict\":\"continue\""), r.out());
        assertTrue(r.out().contains("\"lastFrame\":2"), r.out());
        assertTrue(r.out().contains("\"continueAtFrame\":3"), r.out());
        assertTrue(r.out().contains("\"unseenCommittedFrames\":1"), r.out());
    }

    @Test
    void positionLostWhenARestartOverwroteTheLastCopiedFrame(@TempDir Path dir) throws Exception {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 4);
        commit(sim, 1, 2);
        Files.write(dir.resolve("shadow"), sim.walFile().bytes());
        sim.checkpoint("C", CheckpointMode.PASSIVE);
        commit(sim, 3, 4);
        Files.write(dir.resolve("wal"), sim.walFile().bytes());
        var r = SimCommandsTest.run("shadow", "verify", "--shadow", dir.resolve("shadow").toString(),
                "--wal", dir.resolve("wal").toString(), "--json");
        assertEquals(Walkit.EXIT_PROBLEMS, r.code(), r.out());
        assertTrue(r.out().contains("\"verdict\":\"position-lost\""), r.out());
        assertTrue(r.out().contains("\"reason\":\"wal overwritten by another process\""), r.out());
        assertTrue(r.out().contains("\"unseenCommittedFrames\":2"), r.out());
    }

    @Test
    void newWalWhenTheRestartLeftTheLastFrame(@TempDir Path dir) throws Exception {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 4);
        commit(sim, 1, 2, 3);
        Files.write(dir.resolve("shadow"), sim.walFile().bytes());
        sim.checkpoint("C", CheckpointMode.PASSIVE);
        commit(sim, 4);
        Files.write(dir.resolve("wal"), sim.walFile().bytes());
        var r = SimCommandsTest.run("shadow", "verify", "--shadow", dir.resolve("shadow").toString(),
                "--wal", dir.resolve("wal").toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("verdict:          new-wal"), r.out());
        assertTrue(r.out().contains("continue at frame: 1"), r.out());
    }

    @Test
    void strictChecksCatchAnUnseenGenerationThatLitestreamMisses(@TempDir Path dir) throws Exception {
        // Shadow: 4 frames of generation A. Then two restarts: B writes 3 frames, C writes 1.
        // Frame 4 of A survives, so Litestream says new-wal; frames 2..3 carry B's salts: a third generation.
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 4);
        commit(sim, 1, 2, 3, 4);
        Files.write(dir.resolve("shadow"), sim.walFile().bytes());
        sim.checkpoint("C", CheckpointMode.PASSIVE);
        commit(sim, 1, 2, 3);
        sim.checkpoint("C", CheckpointMode.PASSIVE);
        commit(sim, 4);
        Files.write(dir.resolve("wal"), sim.walFile().bytes());
        var r = SimCommandsTest.run("shadow", "verify", "--shadow", dir.resolve("shadow").toString(),
                "--wal", dir.resolve("wal").toString(), "--json", "--strict");
        assertEquals(Walkit.EXIT_PROBLEMS, r.code(), r.out());
        assertTrue(r.out().contains("\"verdict\":\"new-wal\""), r.out());
        assertTrue(r.out().contains("\"strictVerdict\":\"position-lost\""), r.out());
        assertTrue(r.out().contains("third-salt"), r.out());
        assertTrue(r.out().contains("salt-jump"), r.out());
    }

    @Test
    void missingWalIsAVerdict(@TempDir Path dir) throws Exception {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 4);
        commit(sim, 1);
        Files.write(dir.resolve("shadow"), sim.walFile().bytes());
        var r = SimCommandsTest.run("shadow", "verify", "--shadow", dir.resolve("shadow").toString(),
                "--wal", dir.resolve("nope").toString(), "--json");
        assertEquals(Walkit.EXIT_PROBLEMS, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("no such file"), r.out());
    }

    @Test
    void positionInsteadOfAShadowFile(@TempDir Path dir) throws Exception {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults(), 4);
        commit(sim, 1, 2);
        String pos = io.walkit.replica.ShadowPosition.of(sim.walFile().bytes()).toString();
        commit(sim, 3);
        Files.write(dir.resolve("wal"), sim.walFile().bytes());
        var r = SimCommandsTest.run("shadow", "verify", "--position", pos, "--wal", dir.resolve("wal").toString(), "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("\"verdict\":\"continue\""), r.out());
        assertTrue(r.out().contains("\"unseenCommittedFrames\":1"), r.out());
        var bad = SimCommandsTest.run("shadow", "verify", "--position", "salt1=1", "--wal", dir.resolve("wal").toString());
        assertEquals(Walkit.EXIT_USAGE, bad.code(), bad.err());
        var both = SimCommandsTest.run("shadow", "verify", "--position", pos, "--shadow", "x", "--wal", dir.resolve("wal").toString());
        assertEquals(Walkit.EXIT_USAGE, both.code(), both.err());
    }
}
