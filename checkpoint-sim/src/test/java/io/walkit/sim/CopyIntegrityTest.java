package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link CopyIntegrity}: which pages it reads (db alone, db through the WAL) and that damaged input becomes a verdict. */
class CopyIntegrityTest {

    private static byte[] file(String name) throws Exception {
        return Files.readAllBytes(RealPagesScenarioTest.testdata().resolve(name));
    }

    @Test
    void readsTheDatabaseThroughEveryCommitOfTheWal() throws Exception {
        byte[] db = file("real-pages.db");
        byte[] wal = file("real-pages.db-wal");
        CopyIntegrity.Verdict alone = CopyIntegrity.check(db, null);
        assertTrue(alone.ok(), alone.summary(5));
        assertEquals(0, alone.throughWal());
        CopyIntegrity.Verdict pair = CopyIntegrity.check(db, wal);
        assertTrue(pair.ok(), pair.summary(5));
        assertEquals(5, pair.throughWal());
        assertEquals("ok", pair.summary(3));
    }

    @Test
    void aWalWithoutACommitOrBesideAnEmptyDatabaseAddsNothing() throws Exception {
        byte[] db = file("real-pages.db");
        byte[] header = Arrays.copyOf(file("real-pages.db-wal"), 32);
        assertEquals(0, CopyIntegrity.check(db, header).throughWal());
        // SQLite deletes a WAL found beside a zero-length database: the database is empty and fine.
        CopyIntegrity.Verdict empty = CopyIntegrity.check(new byte[0], file("real-pages.db-wal"));
        assertTrue(empty.ok());
        assertEquals(0, empty.throughWal());
    }

    @Test
    void theWalMattersForAPartialCheckpointCopy() {
        var n = Scenarios.forumBackupRace();
        CopyIntegrity.Verdict alone = CopyIntegrity.check(n.files().get("real-partial.db"), null);
        assertFalse(alone.ok());
        assertTrue(alone.summary(2).startsWith("NOT OK: "), alone.summary(2));
        assertTrue(alone.summary(2).contains("missing from index t_v"), alone.summary(2));
        assertTrue(CopyIntegrity.check(n.files().get("real-partial.db"), n.files().get("real-partial.db-wal")).ok());
    }

    @Test
    void damagedCopiesGiveAVerdictNeverAnException() throws Exception {
        byte[] db = file("real-pages.db");
        byte[] wal = file("real-pages.db-wal");
        assertFalse(CopyIntegrity.check(new byte[50], null).ok(), "shorter than a header");
        assertFalse(CopyIntegrity.check(Arrays.copyOf(db, 100), null).ok(), "header only");
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            byte[] d = db.clone();
            byte[] w = wal.clone();
            for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
                if (rnd.nextBoolean()) {
                    d[rnd.nextInt(d.length)] ^= (byte) (1 + rnd.nextInt(255));
                } else {
                    w[rnd.nextInt(w.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            byte[] cut = Arrays.copyOf(d, rnd.nextInt(d.length + 1));
            CopyIntegrity.check(d, w); // must return
            CopyIntegrity.Verdict v = CopyIntegrity.check(cut, rnd.nextBoolean() ? w : null, 5);
            assertTrue(v.report().problems().size() <= 5);
        }
    }
}
