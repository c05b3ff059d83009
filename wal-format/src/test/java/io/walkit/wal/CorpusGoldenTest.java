package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walkit.io.ByteSource;
import io.walkit.testkit.SharedCorpora;
import io.walkit.testkit.Sqlite;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden reports for the shared third-party corpora (litestream's WAL-reader fixtures and
 * sqlite-dissect's chinook WAL/-shm). The expectations were read off walkit and checked against
 * {@code showwal} and against SQLite's own recovery (which this test repeats for the valid frame
 * count). The corpus files are not copied into this repository.
 */
class CorpusGoldenTest {

    @TempDir
    Path tmp;

    private static Path corpus(String first, String... more) {
        Optional<Path> c = SharedCorpora.find();
        assumeTrue(c.isPresent(), SharedCorpora.ABSENT);
        Path p = c.get().resolve(Path.of(first, more));
        assumeTrue(Files.exists(p), p + " is absent; skipping");
        return p;
    }

    /** One frame's expectation: page, commit size, chain status. */
    record F(int frame, int page, int commit, StaleFrames.ChainStatus chain) {}

    private static final StaleFrames.ChainStatus UNSEEDED = StaleFrames.ChainStatus.UNSEEDED;
    private static final StaleFrames.ChainStatus VALID = StaleFrames.ChainStatus.VALID;
    private static final StaleFrames.ChainStatus MISMATCH = StaleFrames.ChainStatus.MISMATCH;
    private static final StaleFrames.ChainStatus SALT_CHANGE = StaleFrames.ChainStatus.VALID_AFTER_SALT_CHANGE;

    private static List<F> frames(StaleGroup g) {
        return g.frames().stream().map(f -> new F(f.frameNumber(), f.pageNumber(), f.commitSize(), f.chain())).toList();
    }

    /** SQLite's recovered mxFrame for {@code wal} placed next to an empty WAL-mode database of {@code pageSize}. */
    private long sqliteMxFrame(Path wal, int pageSize) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "db");
        Path db = dir.resolve("d.db");
        try (Connection c = Sqlite.openWal(db, pageSize, 0); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE x(y)");
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
            }
            Files.copy(db, dir.resolve("base.db"));
        }
        return Sqlite.recoveredMxFrame(dir.resolve("base.db"), Files.readAllBytes(wal), tmp);
    }

    private static final int LS_SALT1 = 0x4875a40b;
    private static final int LS_SALT2 = 0xa38de4f5;

    @Test
    void litestreamOk() throws Exception {
        Path wal = corpus("litestream-wal-reader", "ok", "wal");
        try (ByteSource src = ByteSource.map(wal)) {
            WalScan scan = WalScanner.scan(src);
            assertEquals(4096, scan.pageSize());
            assertEquals(false, scan.header().bigEndianChecksum());
            assertEquals(LS_SALT1, scan.header().salt1());
            assertEquals(LS_SALT2, scan.header().salt2());
            assertEquals(3, scan.frameCount());
            assertEquals(3, scan.mxFrame());
            assertEquals(List.of(new Commit(1, 1, 2, 2), new Commit(2, 3, 3, 2)), scan.commits());
            assertEquals(StopReason.END_OF_FILE, scan.stopReason());
            assertEquals(12392, scan.stopOffset());
            assertEquals(0, StaleFrames.find(scan).frameCount());
            assertEquals(sqliteMxFrame(wal, 4096), scan.mxFrame());
        }
    }

    @Test
    void litestreamFrameChecksumMismatch() throws Exception {
        Path wal = corpus("litestream-wal-reader", "frame-checksum-mismatch", "wal");
        try (ByteSource src = ByteSource.map(wal)) {
            WalScan scan = WalScanner.scan(src);
            assertEquals(0, scan.mxFrame());
            assertEquals(1, scan.lastValidFrame());
            assertEquals(1, scan.uncommittedTail());
            assertEquals(StopReason.CHECKSUM_MISMATCH, scan.stopReason());
            assertEquals(2, scan.stopFrame());
            assertEquals(4152, scan.stopOffset());
            StaleFrames stale = StaleFrames.find(scan);
            assertEquals(1, stale.groups().size());
            StaleGroup g = stale.groups().getFirst();
            assertEquals(StaleGroup.Kind.CURRENT_SALTS, g.kind());
            assertEquals(List.of(new F(2, 2, 2, MISMATCH), new F(3, 2, 2, MISMATCH)), frames(g));
            assertEquals(sqliteMxFrame(wal, 4096), scan.mxFrame());
        }
    }

    @Test
    void litestreamSaltMismatch() throws Exception {
        Path wal = corpus("litestream-wal-reader", "salt-mismatch", "wal");
        try (ByteSource src = ByteSource.map(wal)) {
            WalScan scan = WalScanner.scan(src);
            assertEquals(0, scan.mxFrame());
            assertEquals(StopReason.SALT_MISMATCH, scan.stopReason());
            assertEquals(4152, scan.stopOffset());
            StaleFrames stale = StaleFrames.find(scan);
            assertEquals(2, stale.groups().size());
            StaleGroup damaged = stale.groups().get(0);
            assertEquals(StaleGroup.Kind.OTHER_SALTS, damaged.kind());
            assertEquals(0, damaged.salt1());
            assertEquals(LS_SALT2, damaged.salt2());
            // Salt-1 of frame 2 was zeroed, yet frames 2 and 3 still chain: the salts were altered.
            assertEquals(List.of(new F(2, 2, 2, SALT_CHANGE)), frames(damaged));
            assertEquals(List.of(new F(3, 2, 2, SALT_CHANGE)), frames(stale.groups().get(1)));
            assertEquals(StaleGroup.Kind.CURRENT_SALTS, stale.groups().get(1).kind());
            assertEquals(sqliteMxFrame(wal, 4096), scan.mxFrame());
        }
    }

    @Test
    void litestreamFrameSaltsHoldsTwoEarlierGenerations() throws Exception {
        Path wal = corpus("litestream-wal-reader", "frame-salts", "wal");
        try (ByteSource src = ByteSource.map(wal)) {
            WalScan scan = WalScanner.scan(src);
            assertEquals(2, scan.header().checkpointSequence());
            assertEquals(0x1b9a294b, scan.header().salt1());
            assertEquals(0x37f91916, scan.header().salt2());
            assertEquals(10, scan.frameCount());
            assertEquals(2, scan.mxFrame());
            assertEquals(2, scan.commitCount());
            assertEquals(StopReason.SALT_MISMATCH, scan.stopReason());
            assertEquals(8272, scan.stopOffset());
            StaleFrames stale = StaleFrames.find(scan);
            assertEquals(8, stale.frameCount());
            assertEquals(2, stale.groups().size());
            StaleGroup g1 = stale.groups().get(0);
            assertEquals(0x1b9a294a, g1.salt1());
            assertEquals(0x031f195e, g1.salt2());
            assertEquals(List.of(new F(3, 2, 2, UNSEEDED), new F(4, 2, 2, VALID), new F(5, 2, 2, VALID)), frames(g1));
            assertEquals(ByteOrder.LITTLE_ENDIAN, g1.wordOrder());
            StaleGroup g2 = stale.groups().get(1);
            assertEquals(0x1b9a2949, g2.salt1());
            assertEquals(0x13b3dd67, g2.salt2());
            assertEquals(List.of(new F(6, 2, 2, UNSEEDED), new F(7, 2, 2, VALID), new F(8, 2, 2, VALID),
                    new F(9, 2, 2, VALID), new F(10, 2, 2, VALID)), frames(g2));
            assertEquals(sqliteMxFrame(wal, 4096), scan.mxFrame());
        }
    }

    @Test
    void sqliteDissectChinookWalAndShm() throws Exception {
        Path wal = corpus("sqlite-dissect", "chinook.sqlite-wal");
        Path shm = corpus("sqlite-dissect", "chinook.sqlite-shm");
        try (ByteSource w = ByteSource.map(wal); ByteSource s = ByteSource.map(shm)) {
            WalScan scan = WalScanner.scan(w);
            assertEquals(4096, scan.pageSize());
            assertEquals(0x50af7bf8, scan.header().salt1());
            assertEquals(0xfac5e992, scan.header().salt2());
            assertEquals(List.of(new Commit(1, 1, 1, 224)), scan.commits());
            assertEquals(1, scan.pageIndex().newestFrame(27));
            assertEquals(1, scan.pageIndex().pageCount());
            assertEquals(StopReason.END_OF_FILE, scan.stopReason());

            WalIndex idx = WalIndex.read(s);
            assertEquals(ByteOrder.LITTLE_ENDIAN, idx.byteOrder());
            assertTrue(idx.headerUsable());
            WalIndexHeader h = idx.header();
            assertEquals(1, h.change());
            assertEquals(1, h.mxFrame());
            assertEquals(224, h.nPage());
            assertEquals(4096, h.pageSize());
            assertEquals(0xf2942062, h.frameChecksum1());
            assertEquals(0xb2b87566, h.frameChecksum2());
            assertEquals(0, idx.checkpointInfo().nBackfill());
            assertEquals(List.of(0, 0, -1, -1, -1), java.util.Arrays.stream(idx.checkpointInfo().aReadMark()).boxed().toList());
            assertEquals(List.of(), idx.checkHeader());
            assertEquals(List.of(), idx.checkHashTables(1));
            assertEquals(List.of(), idx.crossCheck(scan));
            assertEquals(1, idx.findFrame(27, 1, 1).frame());
            assertEquals(0, idx.findFrame(1, 1, 1).frame());
            assertEquals(27, idx.pageOfFrame(1));
        }
    }
}
