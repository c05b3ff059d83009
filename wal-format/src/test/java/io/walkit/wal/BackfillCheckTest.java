package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Seeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link BackfillCheck} on spec-built files: a database, a WAL written by {@link WalWriter} and a
 * -shm from {@link WalIndexBuilder} with nBackfill set as a checkpoint (or the WAL-reset race)
 * leaves it.
 */
class BackfillCheckTest {

    private static final int P = 512;

    /** Page image {@code version} of page {@code page}: every byte differs between versions. */
    private static byte[] page(int page, int version) {
        byte[] b = new byte[P];
        Arrays.fill(b, (byte) (page * 16 + version));
        return b;
    }

    /** Frames 1..6: commit {1,2,3} size 3; commit {2,4} size 4; commit {3} size 4. */
    private static WalWriter wal() {
        WalWriter w = WalWriter.create(P, ByteOrder.LITTLE_ENDIAN, 0, 0x01020304, 0x05060708);
        w.commit(pages(1, 1, 2, 1, 3, 1), 3);
        w.commit(pages(2, 2, 4, 2), 4);
        w.commit(pages(3, 3), 4);
        return w;
    }

    private static TreeMap<Integer, byte[]> pages(int... pageVersion) {
        TreeMap<Integer, byte[]> m = new TreeMap<>();
        for (int i = 0; i < pageVersion.length; i += 2) {
            m.put(pageVersion[i], page(pageVersion[i], pageVersion[i + 1]));
        }
        return m;
    }

    /** The database file after checkpointing the given page versions over version 0 of pages 1..n. */
    private static byte[] db(int n, int... pageVersion) {
        byte[] db = new byte[n * P];
        for (int p = 1; p <= n; p++) {
            System.arraycopy(page(p, 0), 0, db, (p - 1) * P, P);
        }
        for (int i = 0; i < pageVersion.length; i += 2) {
            System.arraycopy(page(pageVersion[i], pageVersion[i + 1]), 0, db, (pageVersion[i] - 1) * P, P);
        }
        return db;
    }

    private static List<String> check(WalWriter w, int nBackfill, byte[] db) {
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "t.db-wal"));
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(shm).order(ByteOrder.LITTLE_ENDIAN).putInt(96, nBackfill).putInt(128, nBackfill);
        WalIndex index = WalIndex.read(ByteSource.of(shm, "t.db-shm"));
        return BackfillCheck.check(index, scan, ByteSource.of(db, "t.db")).stream().map(p -> p.code().id()).toList();
    }

    @Test
    void acceptsACompleteCheckpoint() {
        assertEquals(List.of(), check(wal(), 6, db(4, 1, 1, 2, 2, 3, 3, 4, 2)));
    }

    @Test
    void acceptsAPartialCheckpointWhosePagesAreInTheDatabase() {
        // nBackfill 5 (frames 1..5 copied): page 3's newest frame is 6, above nBackfill: not judged,
        // even though the database holds version 1 of it.
        assertEquals(List.of(), check(wal(), 5, db(4, 1, 1, 2, 2, 3, 1, 4, 2)));
        // ... and a database that still holds version 0 of page 3 is fine as well (frame 3 was skipped).
        assertEquals(List.of(), check(wal(), 5, db(4, 1, 1, 2, 2, 4, 2)));
    }

    @Test
    void reportsAPageClaimedBackfilledThatTheDatabaseLacks() {
        // nBackfill 6 claims frames 4 and 5 (pages 2 and 4, version 2) were copied; the database
        // still holds version 1 of page 2: what a checkpoint working from a stale header leaves.
        List<String> codes = check(wal(), 6, db(4, 1, 1, 2, 1, 3, 3, 4, 2));
        assertEquals(List.of("backfilled-page-differs", "wal-reset-race"), codes);
    }

    @Test
    void namesPageFrameAndOffsetOfTheDifference() {
        WalWriter w = wal();
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "t.db-wal"));
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(shm).order(ByteOrder.LITTLE_ENDIAN).putInt(96, 6);
        byte[] db = db(4, 1, 1, 2, 2, 3, 3, 4, 2);
        db[3 * P + 7] ^= 1; // page 4, byte 7
        List<io.walkit.io.Problem> fs = BackfillCheck.check(WalIndex.read(ByteSource.of(shm, "t.db-shm")), scan,
                ByteSource.of(db, "t.db"));
        io.walkit.io.Problem p = fs.getFirst();
        assertEquals(BackfillCheck.Code.BACKFILLED_PAGE_DIFFERS, p.code());
        assertEquals("t.db", p.file());
        assertEquals(new io.walkit.io.Problem.Position.FileOffset(0x607), p.position());
        assertEquals("database page 4", p.structure());
        assertTrue(p.message().startsWith("page 4 must be the image of WAL frame 5 (nBackfill 6 claims it was checkpointed)"),
                p.message());
        assertTrue(p.toString().contains("offset=0x607 (1543)"), p.toString());
    }

    @Test
    void reportsNBackfillPastMxFrameAsTheRace() {
        // After a restart the new log holds one commit (frame 1), but the stale checkpoint stored
        // nBackfill 6 (the old log's mxFrame).
        WalWriter w = wal();
        w.restart(new java.util.SplittableRandom(1));
        w.commit(pages(1, 7), 4);
        assertEquals(List.of("wal-reset-race"), check(w, 6, db(4, 1, 7, 2, 2, 3, 3, 4, 2)));
    }

    @Test
    void reportsAShortDatabase() {
        assertEquals(List.of("backfill-not-in-database", "wal-reset-race"), check(wal(), 6, db(3, 1, 1, 2, 2, 3, 3)));
    }

    @Test
    void saysNothingWithoutAClaimOrForAnotherGeneration() {
        assertEquals(List.of(), check(wal(), 0, db(1)));
        WalWriter w = wal();
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "t.db-wal"));
        byte[] shm = WalIndexBuilder.recover(scan, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(shm).order(ByteOrder.LITTLE_ENDIAN).putInt(96, 6);
        w.restart(new java.util.SplittableRandom(2));
        w.commit(pages(1, 9), 4);
        WalScan other = WalScanner.scan(ByteSource.of(w.toByteArray(), "t.db-wal"));
        assertEquals(List.of(), BackfillCheck.check(WalIndex.read(ByteSource.of(shm, "t.db-shm")), other,
                ByteSource.of(db(1), "t.db")));
    }

    @Test
    void boundsThePerPageFindings() {
        WalWriter w = WalWriter.create(P, ByteOrder.LITTLE_ENDIAN, 0, 1, 2);
        TreeMap<Integer, byte[]> all = new TreeMap<>();
        for (int p = 1; p <= 40; p++) {
            all.put(p, page(p, 1));
        }
        w.commit(all, 40);
        List<String> codes = check(w, 40, db(40));
        assertEquals(BackfillCheck.MAX_PAGE_FINDINGS + 2, codes.size());
        assertEquals("more-backfilled-pages-differ", codes.get(BackfillCheck.MAX_PAGE_FINDINGS));
    }

    @Test
    void anySingleByteChangeToAnyOfTheThreeFilesGivesABoundedReport() {
        // Bit-flip property: a changed byte in the -shm, the WAL or the database never makes the
        // check throw, and the report stays bounded; the seed and the change are printed on failure.
        WalWriter w = wal();
        byte[] walBytes = w.toByteArray();
        byte[] shmBytes = WalIndexBuilder.recover(WalScanner.scan(ByteSource.of(walBytes, "w")), ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(shmBytes).order(ByteOrder.LITTLE_ENDIAN).putInt(96, 6);
        byte[] dbBytes = db(4, 1, 1, 2, 2, 3, 3, 4, 2);
        for (long seed : Seeds.get(3000, 3001, 3002, 3003)) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
            for (int k = 0; k < 500; k++) {
                byte[][] files = {shmBytes.clone(), walBytes.clone(), dbBytes.clone()};
                int which = r.nextInt(3);
                int at = r.nextInt(which == 0 ? 136 : files[which].length);
                files[which][at] ^= (byte) (1 + r.nextInt(255));
                String ctx = "seed " + seed + " change " + k + ": file " + which + " offset " + at;
                try {
                    List<io.walkit.io.Problem> ps = BackfillCheck.check(WalIndex.read(ByteSource.of(files[0], "s")),
                            WalScanner.scan(ByteSource.of(files[1], "w")), ByteSource.of(files[2], "d"));
                    assertTrue(ps.size() <= BackfillCheck.MAX_PAGE_FINDINGS + 2, ctx);
                } catch (RuntimeException e) {
                    throw new AssertionError(ctx, e);
                }
            }
        }
    }
}
