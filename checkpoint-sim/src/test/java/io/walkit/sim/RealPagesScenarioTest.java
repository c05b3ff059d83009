package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped real-page scenario: the model's copies judged by real SQLite's integrity_check. */
class RealPagesScenarioTest {

    static Path testdata() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata/sim"))) {
            p = p.getParent();
        }
        Assumptions.assumeTrue(p != null, "testdata/sim not found above the working directory");
        return p.resolve("testdata/sim");
    }

    @Test
    void partialCheckpointCopyFailsIntegrityCheckButTheInstantPairPasses(@TempDir Path dir) throws Exception {
        Path scn = testdata().resolve("real-pages-backup-race.scn");
        Scenario s = ScenarioParser.parse(Files.readString(scn), scn.getParent());
        assertEquals(1024, s.config().pageSize());
        List<ScenarioRunner.Outcome> out = new java.util.ArrayList<>();
        WalSim sim = new ScenarioRunner(false, true).run(s, out::add);
        for (ScenarioRunner.Outcome o : out) {
            assertEquals(List.of(), o.violations(), o.describe());
        }
        assertEquals("(0,18,9)", out.get(3).result().text());
        assertTrue(out.get(6).result().text().startsWith("equals no committed image"), out.get(6).result().text());
        assertEquals("equals commit 2", out.get(7).result().text());
        assertEquals("equals commit 2", out.get(11).result().text());
        // walkit's own integrity check of the same copies, and SQLite's verdicts on them (below).
        assertTrue(out.get(12).result().text().startsWith("walkit integrity_check: NOT OK"), out.get(12).result().text());
        assertTrue(out.get(12).result().text().contains("missing from index t_v"), out.get(12).result().text());
        assertEquals("walkit integrity_check: ok", out.get(13).result().text());
        assertEquals("walkit integrity_check: ok", out.get(14).result().text());
        assertFalse(RealSqliteDifferentialTest.agreedIntegrityOk(dir.resolve("alone.db"), sim.copies().get("partial.db"), null));
        assertTrue(RealSqliteDifferentialTest.agreedIntegrityOk(dir.resolve("pair.db"), sim.copies().get("partial.db"),
                sim.copies().get("partial.db-wal")));
        assertTrue(RealSqliteDifferentialTest.agreedIntegrityOk(dir.resolve("complete.db"), sim.copies().get("complete.db"), null));
    }

    @Test
    void replayingEveryCommitOfTheSourceReproducesItsWalFrames() throws Exception {
        Path dir = testdata();
        CommitSource src = CommitSource.load("real-pages", Files.readAllBytes(dir.resolve("real-pages.db")),
                Files.readAllBytes(dir.resolve("real-pages.db-wal")));
        assertEquals(5, src.commits().size());
        WalSim sim = new WalSim(WalSim.Config.defaults().withPageSize(src.pageSize()), src.db());
        for (int i = 1; i <= 5; i++) {
            assertTrue(ScenarioRunner.apply(sim, src.replay("W", i)).text().startsWith("frames "));
        }
        // Same frames (pages, commit sizes, images) as SQLite wrote; only salts and checksums differ.
        var real = io.walkit.wal.WalScanner.scan(io.walkit.io.ByteSource.of(Files.readAllBytes(dir.resolve("real-pages.db-wal")), "real"));
        var model = io.walkit.wal.WalScanner.scan(io.walkit.io.ByteSource.of(sim.walFile().bytes(), "model"));
        assertEquals(real.mxFrame(), model.mxFrame());
        for (int f = 1; f <= real.mxFrame(); f++) {
            assertEquals(real.frameHeader(f).pageNumber(), model.frameHeader(f).pageNumber());
            assertEquals(real.frameHeader(f).commitSize(), model.frameHeader(f).commitSize());
        }
        // And the model's final db after a TRUNCATE checkpoint is what SQLite made of the same WAL.
        assertEquals("(0,0,0)", sim.checkpoint("C", CheckpointMode.TRUNCATE).toString());
        DbImage expected = LogicalImage.of(src.db(), Files.readAllBytes(dir.resolve("real-pages.db-wal")), src.pageSize());
        assertTrue(DbImage.ofFile("model", sim.dbFile().bytes(), src.pageSize()).samePages(expected));
    }
}
