package io.walkit.cli;

import static io.walkit.cli.WalCommandsTest.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.testkit.WalSpec;
import io.walkit.wal.WalIndexBuilder;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walkit shm info} checks nBackfill against the database beside the -shm (the WAL-reset race's footprint). */
class ShmBackfillCheckTest {

    @TempDir
    Path dir;

    /**
     * x.db, x.db-wal (frames 1..4: commit {1,2,3}, commit {2}), x.db-shm with nBackfill 4; the
     * database holds the frames up to {@code copied}.
     */
    private Path files(int copied) throws Exception {
        byte[] w = WalSpec.pageSize(4096).salts(7, 8).commit(3, 1, 2, 3).commit(3, 2).build();
        WalScan scan = WalScanner.scan(ByteSource.of(w, "w"));
        byte[] db = new byte[3 * 4096];
        for (int f = 1; f <= copied; f++) {
            int page = scan.frameHeader(f).pageNumber();
            System.arraycopy(scan.pageImage(f).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, db, (page - 1) * 4096, 4096);
        }
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(shm).order(ByteOrder.LITTLE_ENDIAN).putInt(96, 4).putInt(128, 4);
        Files.write(dir.resolve("x.db"), db);
        Files.write(dir.resolve("x.db-wal"), w);
        Path p = dir.resolve("x.db-shm");
        Files.write(p, shm);
        return p;
    }

    @Test
    void acceptsADatabaseThatHoldsEveryBackfilledFrame() throws Exception {
        Path shm = files(4);
        CliRun r = CliRun.run("shm", "info", "--json", shm.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("\"" + dir.resolve("x.db") + "\"", field(r.out(), "database"));
        assertFalse(r.out().contains("\"level\":\"error\""), r.out());
    }

    @Test
    void reportsTheRaceWhenABackfilledFrameIsMissingFromTheDatabase() throws Exception {
        Path shm = files(3); // frame 4 (page 2, second version) claimed but never copied
        CliRun r = CliRun.run("shm", "info", shm.toString());
        assertTrue(r.out().contains("ERROR backfilled-page-differs: page 2 must be the image of WAL frame 4 (nBackfill 4"
                + " claims it was checkpointed), found another image"), r.out());
        assertTrue(r.out().contains("ERROR wal-reset-race"), r.out());
        CliRun json = CliRun.run("shm", "info", "--json", shm.toString());
        assertTrue(json.out().contains("\"code\":\"wal-reset-race\""), json.out());
        CliRun off = CliRun.run("shm", "info", "--no-db", shm.toString());
        assertFalse(off.out().contains("wal-reset-race"), off.out());
        assertTrue(off.out().contains("findings:"), off.out());
    }

    @Test
    void takesAnExplicitDatabase() throws Exception {
        Path shm = files(4);
        Path other = dir.resolve("other.db");
        Files.write(other, new byte[3 * 4096]);
        CliRun r = CliRun.run("shm", "info", "--json", shm.toString(), "--db", other.toString());
        assertTrue(r.out().contains("\"code\":\"wal-reset-race\""), r.out());
        assertTrue(r.out().contains("\"file\":\"" + other + "\""), r.out());
    }
}
