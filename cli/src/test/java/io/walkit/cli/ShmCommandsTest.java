package io.walkit.cli;

import static io.walkit.cli.WalCommandsTest.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Corrupt;
import io.walkit.testkit.WalSpec;
import io.walkit.wal.WalIndexBuilder;
import io.walkit.wal.WalScanner;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShmCommandsTest {

    @TempDir
    Path dir;

    private Path wal;
    private Path shm;

    private void files(ByteOrder order) throws Exception {
        byte[] w = WalSpec.pageSize(4096).salts(7, 8).commit(3, 1, 2, 3).commit(3, 2).uncommitted(3).build();
        wal = dir.resolve("x.db-wal");
        shm = dir.resolve("x.db-shm");
        Files.write(wal, w);
        Files.write(shm, WalIndexBuilder.recover(WalScanner.scan(ByteSource.of(w, "w")), order));
    }

    @Test
    void infoJsonDecodesBothCopiesAndCheckpointInfo() throws Exception {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            files(order);
            CliRun r = CliRun.run("shm", "info", "--json", shm.toString(), "--wal", wal.toString());
            assertEquals(0, r.code(), r.toString());
            String j = r.out();
            assertEquals("\"decoded\"", field(j, "status"));
            assertEquals(order == ByteOrder.BIG_ENDIAN ? "\"big\"" : "\"little\"", field(j, "byteOrder"));
            assertEquals("true", field(j, "copiesIdentical"));
            assertEquals("true", field(j, "headerUsable"));
            assertEquals("4", field(j, "mxFrame"));
            assertEquals("3", field(j, "nPage"));
            assertEquals("4096", field(j, "pageSize"));
            assertEquals("\"0x00000007\"", field(j, "salt1"));
            assertEquals("true", field(j, "checksumValid"));
            assertEquals("0", field(j, "nBackfill"));
            assertTrue(j.contains("\"aReadMark\":[0,4,null,null,null]"), j);
            assertEquals("4", field(j, "nBackfillAttempted"));
            assertEquals("1", field(j, "regions"));
            assertTrue(j.contains("\"wal\":{"), j);
            assertTrue(j.contains("\"code\":\"entries-above-mxframe\""), j);
            assertTrue(!j.contains("\"level\":\"error\""), j);
        }
    }

    @Test
    void reportsWhereTheShmDisagreesWithTheWal() throws Exception {
        files(ByteOrder.LITTLE_ENDIAN);
        Path other = dir.resolve("other.db-wal");
        Files.write(other, WalSpec.pageSize(4096).salts(9, 9).commit(1, 1).build());
        CliRun r = CliRun.run("shm", "info", shm.toString(), "--wal", other.toString());
        assertEquals(1, r.code(), "ERROR findings exit 1 like db check: " + r);
        assertTrue(r.out().contains("ERROR salt-mismatch"), r.out());
        assertTrue(r.out().contains("ERROR mxframe-past-valid-end"), r.out());
    }

    @Test
    void crossChecksTheSiblingWalByDefault() throws Exception {
        files(ByteOrder.LITTLE_ENDIAN);
        // Replace the sibling WAL with another generation: the default cross-check must notice.
        Files.write(wal, WalSpec.pageSize(4096).salts(9, 9).commit(1, 1).build());
        CliRun r = CliRun.run("shm", "info", shm.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("ERROR salt-mismatch"), r.out());
        CliRun none = CliRun.run("shm", "info", "--no-wal", shm.toString());
        assertTrue(!none.out().contains("salt-mismatch"), none.out());
    }

    @Test
    void shortShmIsNormal() throws Exception {
        Path three = dir.resolve("three.db-shm");
        Files.write(three, new byte[] {0x18, (byte) 0xE2, 0x2D});
        CliRun r = CliRun.run("shm", "info", "--json", three.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("\"short\"", field(r.out(), "status"));
        assertTrue(r.out().contains("\"headerA\":null"), r.out());
        Path empty = dir.resolve("empty.db-shm");
        Files.write(empty, new byte[0]);
        assertEquals(0, CliRun.run("shm", "info", empty.toString()).code());
    }

    @Test
    void garbageHeaderExitsWithThree() throws Exception {
        files(ByteOrder.LITTLE_ENDIAN);
        Path bad = dir.resolve("bad.db-shm");
        byte[] b = Files.readAllBytes(shm);
        for (int i = 0; i < 96; i++) {
            b[i] = (byte) (i * 37 + 1);
        }
        Files.write(bad, b);
        CliRun r = CliRun.run("shm", "info", bad.toString());
        assertEquals(Walkit.EXIT_CORRUPT, r.code(), r.toString());
        assertTrue(r.out().contains("unknown-byte-order"), r.out());
        // Both copies with a bad checksum: corrupt too.
        Path badSum = dir.resolve("badsum.db-shm");
        byte[] c = Corrupt.flip(Corrupt.flip(Files.readAllBytes(shm), 20), 68);
        Files.write(badSum, c);
        assertEquals(Walkit.EXIT_CORRUPT, CliRun.run("shm", "info", badSum.toString()).code());
    }

    @Test
    void missingFilesAndUsage() throws Exception {
        files(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Walkit.EXIT_IO, CliRun.run("shm", "info", dir.resolve("nope").toString()).code());
        assertEquals(Walkit.EXIT_IO, CliRun.run("shm", "info", shm.toString(), "--wal", dir.resolve("nope").toString()).code());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("shm", "info").code());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("shm").code());
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("shm", "info", shm.toString(), "--wal").code());
    }
}
