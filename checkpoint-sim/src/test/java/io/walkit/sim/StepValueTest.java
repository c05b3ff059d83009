package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Steps and scenarios are values: equal by content, printed as their script line, never sharing mutable state. */
class StepValueTest {

    private static final String SCRIPT = """
            set page-size 512
            set autocheckpoint 5
            set db-pages 4
            native-order W2 be
            begin R1
            spill W pages 2,3,2
            commit W pages 2,3,5 size 5
            write-lock W2
            rollback W2
            checkpoint C RESTART wait
            crash-at ckpt-page-written 2
            checkpoint C FULL
            crash db=torn wal=random seed=9
            copy db as c.db
            copy wal as c.db-wal
            copy shm as c.db-shm
            check c.db c.db-wal
            integrity c.db
            replicator down
            replicator up
            end R1
            close W
            """;

    @Test
    void parsedScenariosAreEqualAndPrintAsTheirScript() {
        Scenario a = ScenarioParser.parse(SCRIPT);
        Scenario b = ScenarioParser.parse(SCRIPT);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(SCRIPT, a.toString());
        for (Step s : a.steps()) {
            assertEquals(s.script(), s.toString());
            assertEquals(s, ScenarioParser.parse(s.script()).steps().getFirst(), s.script());
        }
        assertNotEquals(a, a.withSteps(a.steps().subList(1, a.steps().size())));
    }

    @Test
    void commitsCopyTheirPagesAndImages() {
        List<Integer> pages = new ArrayList<>(List.of(1, 2));
        byte[] image = new byte[512];
        List<byte[]> images = new ArrayList<>(List.of(image, new byte[512]));
        Step.Commit c = new Step.Commit("W", pages, 2, images);
        pages.add(3);
        image[0] = 7;
        images.clear();
        assertEquals(List.of(1, 2), c.pages());
        assertEquals(0, c.image(0)[0]);
        c.image(0)[0] = 9;
        assertEquals(0, c.image(0)[0], "image(k) returns a copy");
        c.images().get(0)[0] = 9;
        assertEquals(0, c.image(0)[0], "images() returns copies: the step's own arrays never leave it");
        Step.Replay r = new Step.Replay("W", 1, List.of(1, 2), 2, List.of(new byte[512], new byte[512]));
        r.images().get(1)[0] = 9;
        assertEquals(0, r.images().get(1)[0], "a replay's images() returns copies too");
        assertThrows(UnsupportedOperationException.class, () -> c.pages().add(4));
        byte[] other = new byte[512];
        other[5] = 1;
        assertEquals(c, new Step.Commit("W", List.of(1, 2), 2, List.of(new byte[512], new byte[512])));
        assertNotEquals(c, new Step.Commit("W", List.of(1, 2), 2, List.of(new byte[512], other)));
        assertNotEquals(c, new Step.Commit("W", List.of(1, 2), 2));
        assertThrows(IllegalArgumentException.class, () -> new Step.Commit("W", List.of(1, 2), 2, List.of(new byte[512])));
    }

    @Test
    void scenariosCopyTheirFiles() {
        byte[] db = new byte[1024];
        Scenario s = new Scenario(WalSim.Config.defaults().withPageSize(512), 0, db, List.of());
        db[0] = 1;
        assertEquals(0, s.initialDb()[0]);
        s.initialDb()[0] = 2;
        assertEquals(0, s.initialDb()[0]);
        assertArrayEquals(new byte[1024], s.newModel().dbFile().bytes());
        assertEquals(s, new Scenario(WalSim.Config.defaults().withPageSize(512), 0, new byte[1024], List.of()));
    }

    @Test
    void crashPointsAndFileKindsRoundTripTheirScriptNames() {
        for (CrashPoint p : CrashPoint.values()) {
            assertEquals(p, CrashPoint.parse(p.scriptName()).orElseThrow());
        }
        for (SimFileKind k : SimFileKind.values()) {
            assertEquals(k, SimFileKind.parse(k.scriptName()).orElseThrow());
        }
        assertThrows(IllegalArgumentException.class, () -> ScenarioParser.parse("crash-at nowhere"));
    }

    @Test
    void durabilityVerdictsDoNotDependOnLabels() {
        // The recovered image's origin, not its label, says whether a crash lost the acknowledged commit.
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withFsync(FsyncMode.LYING), 3);
        sim.commit("W", List.of(new WalSim.PageWrite(2, null)), 3);
        DbImage rec = sim.crash(CrashPolicy.loseUnsynced());
        assertEquals(DbImage.Origin.RECOVERED_COMMITTED, rec.origin());
        assertEquals("recovered = initial", rec.label());
        WalSim honest = WalSim.withSyntheticDb(WalSim.Config.defaults(), 3);
        honest.armCrash(CrashPoint.WAL_COMMIT_SYNCED, 1);
        assertThrows(WalSim.CrashPointReached.class, () -> honest.commit("W", List.of(new WalSim.PageWrite(2, null)), 3));
        assertEquals(DbImage.Origin.RECOVERED_IN_FLIGHT, honest.crash(CrashPolicy.loseUnsynced()).origin());
    }
}
