package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.Commit;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PageApplier} against real SQLite: the image as of every commit of a SQLite-made WAL equals,
 * byte for byte, what SQLite's own checkpoint writes when the WAL is cut right after that commit
 * (so SQLite's recovery stops there); plus the hostile cases.
 */
class PageApplierTest {

    /** A WAL-mode database whose WAL grows and shrinks the file (blobs, deletes, VACUUM, DROP). */
    private static byte[][] makeDbAndWal(Path dir, long seed, int pageSize) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path live = dir.resolve("live" + seed + ".db");
        try (Connection c = Sqlite.open(live)) {
            Exec s = sql -> {
                try (Statement st = c.createStatement()) {
                    st.execute(sql);
                }
            };
            s.execute("PRAGMA page_size=" + pageSize);
            s.execute("CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT, b BLOB)");
            s.execute("CREATE INDEX av ON a(v)");
            s.execute("INSERT INTO a(v) VALUES('before the wal')");
            s.execute("CREATE TABLE pre(x)");
            s.execute("INSERT INTO pre SELECT randomblob(3000) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i<40) SELECT i FROM r)");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            for (int k = 0; k < 14; k++) {
                switch (rnd.nextInt(6)) {
                    case 0 -> s.execute("INSERT INTO a(v, b) VALUES('big" + k + "', randomblob(" + rnd.nextInt(20_000) + "))");
                    case 1 -> s.execute("DELETE FROM a WHERE id % " + (2 + rnd.nextInt(3)) + " = 0");
                    case 2 -> {
                        s.execute("CREATE TABLE IF NOT EXISTS t" + k + "(x)");
                        s.execute("INSERT INTO t" + k + " VALUES(" + k + ")");
                    }
                    case 3 -> s.execute("VACUUM");
                    case 4 -> s.execute("UPDATE a SET v = v || 'x' WHERE id % 2 = 1");
                    default -> s.execute("INSERT INTO a(v) SELECT 'row' || id FROM a LIMIT 50");
                }
            }
            s.execute("DELETE FROM a");
            s.execute("DROP TABLE pre");
            s.execute("VACUUM");
            return new byte[][] {Files.readAllBytes(live), Files.readAllBytes(dir.resolve("live" + seed + ".db-wal"))};
        }
    }

    private interface Exec {
        void execute(String sql) throws java.sql.SQLException;
    }

    /** What SQLite's checkpoint makes of {@code db} + {@code wal}, on copies in a fresh directory. */
    private static byte[] sqliteCheckpoint(Path dir, String name, byte[] db, byte[] wal) throws Exception {
        Path d = dir.resolve(name + ".db");
        Files.write(d, db);
        Files.write(dir.resolve(name + ".db-wal"), wal);
        try (Connection c = Sqlite.open(d); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return Files.readAllBytes(d);
    }

    @Test
    void imageAsOfEveryCommitEqualsSqlitesCheckpoint(@TempDir Path dir) throws Exception {
        int compared = 0;
        for (long seed : new long[] {1, 2, 3}) {
            int pageSize = seed == 2 ? 512 : seed == 3 ? 65536 : 1024;
            byte[][] pair = makeDbAndWal(dir, seed, pageSize);
            byte[] db = pair[0];
            byte[] wal = pair[1];
            WalScan scan = WalScanner.scan(ByteSource.of(wal, "live.db-wal"));
            assertTrue(scan.commitCount() >= 10, "seed " + seed + ": the WAL holds commits");
            boolean shrank = false;
            for (Commit commit : scan.commits()) {
                byte[] cut = Arrays.copyOf(wal, (int) WalFormat.frameOffset(commit.lastFrame() + 1L, pageSize));
                byte[] expected = sqliteCheckpoint(dir, "s" + seed + "c" + commit.ordinal(), db, cut);
                PageApplier a = PageApplier.onto(ByteSource.of(db, "live.db"), pageSize).applyWal(scan, commit);
                assertEquals(commit.databaseSize(), a.nPage());
                byte[] got = a.toByteArray();
                assertEquals(expected.length, got.length, "seed " + seed + " commit " + commit);
                assertArrayEquals(expected, got, "seed " + seed + " commit " + commit);
                shrank |= commit.databaseSize() < db.length / pageSize;
                compared++;
            }
            assertTrue(shrank || seed != 1, "seed 1 covers a commit that shrinks the file below the base");
        }
        System.out.println("PageApplier: " + compared + " commits byte-identical to SQLite's checkpoint");
    }

    /**
     * Bit-flip property: any single-byte change to a SQLite-made WAL (or its database) yields, for
     * every commit the damaged WAL still holds, either an image of exactly nPage pages or the
     * checked exception; never an unchecked exception. Commits before the damaged frame give the
     * same image as the undamaged pair (the change is invisible to them).
     */
    @Test
    void damagedPairsGiveAnImageOrTheCheckedException(@TempDir Path dir) throws Exception {
        byte[][] pair = makeDbAndWal(dir, 5, 512);
        byte[] db = pair[0];
        byte[] wal = pair[1];
        WalScan clean = WalScanner.scan(ByteSource.of(wal, "clean"));
        SplittableRandom r = new SplittableRandom(55);
        int images = 0;
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            boolean inWal = r.nextInt(4) != 0;
            byte[] d = inWal ? db : db.clone();
            byte[] w = inWal ? wal.clone() : wal;
            int off = r.nextInt(inWal ? w.length : d.length);
            (inWal ? w : d)[off] ^= (byte) (1 + r.nextInt(255));
            String ctx = "seed 55 case " + i + ": xor at " + (inWal ? "wal" : "db") + " offset " + off;
            WalScan scan = WalScanner.scan(ByteSource.of(w, "w.db-wal"));
            for (Commit c : scan.commits()) {
                try {
                    PageApplier a = PageApplier.onto(ByteSource.of(d, "d.db"), 512).applyWal(scan, c);
                    byte[] image = a.toByteArray();
                    assertEquals(a.nPage() * 512, image.length, ctx);
                    long firstDamaged = inWal && off >= WalFormat.HEADER_SIZE
                            ? (off - WalFormat.HEADER_SIZE) / WalFormat.frameSize(512) + 1 : Long.MAX_VALUE;
                    if (inWal && c.lastFrame() < firstDamaged && off >= WalFormat.HEADER_SIZE) {
                        assertArrayEquals(PageApplier.onto(ByteSource.of(db, "d"), 512)
                                .applyWal(clean, c.lastFrame()).toByteArray(), image, ctx + ", " + c);
                    }
                    images++;
                } catch (CorruptFileException e) {
                    refused++;
                } catch (RuntimeException e) {
                    throw new AssertionError(ctx + ", " + c, e);
                }
            }
        }
        System.out.println("PageApplier bit flips: " + images + " images, " + refused + " refused");
        assertTrue(images > 0);
    }

    @Test
    void writeToEqualsToByteArrayAndNeverReplacesByDefault(@TempDir Path dir) throws Exception {
        byte[][] pair = makeDbAndWal(dir, 4, 1024);
        WalScan scan = WalScanner.scan(ByteSource.of(pair[1], "w"));
        PageApplier a = PageApplier.onto(ByteSource.of(pair[0], "d"), 1024).applyWal(scan, scan.mxFrame());
        Path out = dir.resolve("out.db");
        a.writeTo(out, false);
        assertArrayEquals(a.toByteArray(), Files.readAllBytes(out));
        byte[] before = Files.readAllBytes(out);
        PageApplier other = PageApplier.empty(1024).nPage(1);
        assertThrows(FileAlreadyExistsException.class, () -> other.writeTo(out, false));
        assertArrayEquals(before, Files.readAllBytes(out), "an existing file is not touched");
        other.writeTo(out, true);
        assertArrayEquals(new byte[1024], Files.readAllBytes(out));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    void truncatesExtendsAndIgnoresPagesAboveNPage() throws Exception {
        byte[] base = new byte[3 * 512 + 100];
        Arrays.fill(base, (byte) 7);
        PageApplier a = PageApplier.onto(ByteSource.of(base, "base"), 512);
        assertEquals(4, a.nPage(), "a partial last page counts, zero-padded");
        byte[] img = new byte[512];
        Arrays.fill(img, (byte) 9);
        a.apply(new PageApplier.PageImage(2, MemorySegment.ofArray(img), "j", 0));
        a.apply(new PageApplier.PageImage(6, MemorySegment.ofArray(img), "j", 600));
        a.nPage(5);
        assertEquals(1, a.ignoredImages());
        byte[] out = a.toByteArray();
        assertEquals(5 * 512, out.length);
        assertEquals(7, out[0]);
        assertEquals(9, out[512]);
        assertEquals(7, out[3 * 512 + 99]);
        assertEquals(0, out[3 * 512 + 100], "the base's partial last page is zero-padded");
        assertEquals(0, out[4 * 512 + 3], "a page nothing supplies is zeros");
        a.nPage(1);
        assertArrayEquals(Arrays.copyOf(base, 512), a.toByteArray(), "truncated to nPage");
        assertEquals(2, a.ignoredImages(), "the images of pages 2 and 6 were cut off");
        a.nPage(3);
        assertArrayEquals(Arrays.copyOf(Arrays.copyOf(base, 512), 3 * 512), a.toByteArray(),
                "a truncation is for good: extending again brings zeros, not the old base pages or images");
        a.nPage(1);
        byte[] first = new byte[512];
        first[0] = 1;
        a.apply(new PageApplier.PageImage(1, MemorySegment.ofArray(first), "j", 0));
        a.apply(new PageApplier.PageImage(1, MemorySegment.ofArray(img), "j", 0));
        assertArrayEquals(img, a.toByteArray(), "the later image of a page wins");
    }

    @Test
    void rejectsHostileImagesAndSizes() {
        PageApplier a = PageApplier.empty(1024);
        CorruptFileException zero = assertThrows(CorruptFileException.class,
                () -> a.apply(new PageApplier.PageImage(0, MemorySegment.ofArray(new byte[1024]), "x.db-journal", 0x230)));
        assertTrue(zero.getMessage().contains("x.db-journal") && zero.getMessage().contains("0x230")
                && zero.getMessage().contains("page number"), zero.getMessage());
        assertThrows(CorruptFileException.class,
                () -> a.apply(new PageApplier.PageImage(1L << 32, MemorySegment.ofArray(new byte[1024]), "j", 8)));
        assertThrows(CorruptFileException.class,
                () -> a.apply(new PageApplier.PageImage(3, MemorySegment.ofArray(new byte[1000]), "j", 8)));
        CorruptFileException big = assertThrows(CorruptFileException.class, () -> a.nPage(1L << 32, "x.db-wal", 36));
        assertTrue(big.getMessage().contains("nPage"), big.getMessage());
        assertThrows(CorruptFileException.class, () -> a.nPage(-1, "x.db-wal", 36));
        assertThrows(IllegalArgumentException.class, () -> PageApplier.empty(1000));
        assertEquals(0, a.nPage(), "nothing changed");
    }

    @Test
    void imageTooLargeForAnArrayIsWrittenSparse(@TempDir Path dir) throws Exception {
        byte[] page = new byte[65536];
        page[0] = 42;
        PageApplier a = PageApplier.empty(65536)
                .apply(new PageApplier.PageImage(3, MemorySegment.ofArray(page), "w", 0)).nPage(40_000);
        assertEquals(40_000L * 65536, a.imageSize());
        assertThrows(IllegalStateException.class, a::toByteArray);
        Path out = dir.resolve("big.db");
        a.writeTo(out, false);
        assertEquals(40_000L * 65536, Files.size(out));
        try (ByteSource s = ByteSource.map(out)) {
            assertEquals(42, s.u8(2L * 65536));
            assertEquals(0, s.u8(39_999L * 65536 + 5));
        }
    }

    @Test
    void refusesACommitSizeSqlitesCheckpointCallsCorrupt() throws Exception {
        io.walkit.wal.WalWriter w = io.walkit.wal.WalWriter.create(1024, java.nio.ByteOrder.LITTLE_ENDIAN, 0, 1, 2);
        java.util.TreeMap<Integer, byte[]> pages = new java.util.TreeMap<>();
        pages.put(1, new byte[1024]);
        w.commit(pages, 1);
        w.commit(pages, 64 + 2); // db 0 bytes + 64 KiB + 2 frames of 1 KiB: exactly what SQLite still accepts
        w.commit(pages, 1_000_000); // a damaged nTruncate
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "w.db-wal"));
        assertEquals(66, PageApplier.empty(1024).applyWal(scan, 2).nPage());
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> PageApplier.empty(1024).applyWal(scan, 3));
        assertTrue(e.getMessage().contains("w.db-wal") && e.getMessage().contains("1000000")
                && e.getMessage().contains("0x" + Long.toHexString(WalFormat.frameOffset(3, 1024) + 4)), e.getMessage());
    }

    /** The same limit is real SQLite's: its checkpoint of such a WAL fails as corrupt. */
    @Test
    void sqlitesCheckpointAlsoRefusesTheCommitSize(@TempDir Path dir) throws Exception {
        Path made = dir.resolve("made.db");
        try (Connection c = Sqlite.open(made); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE t(x)");
        }
        byte[] db = Files.readAllBytes(made);
        for (int nTruncate : new int[] {64 + 1 + db.length / 1024, 64 + 2 + db.length / 1024}) {
            io.walkit.wal.WalWriter w = io.walkit.wal.WalWriter.create(1024, java.nio.ByteOrder.LITTLE_ENDIAN, 0, 5, 6);
            java.util.TreeMap<Integer, byte[]> pages = new java.util.TreeMap<>();
            pages.put(1, Arrays.copyOf(db, 1024));
            w.commit(pages, nTruncate);
            byte[] wal = w.toByteArray();
            WalScan scan = WalScanner.scan(ByteSource.of(wal, "w.db-wal"));
            boolean walkitRefuses;
            try {
                PageApplier.onto(ByteSource.of(db, "d.db"), 1024).applyWal(scan, 1);
                walkitRefuses = false;
            } catch (CorruptFileException e) {
                walkitRefuses = true;
            }
            Path d = dir.resolve("n" + nTruncate + ".db");
            Files.write(d, db);
            Files.write(dir.resolve("n" + nTruncate + ".db-wal"), wal);
            boolean sqliteRefuses;
            try (Connection c = Sqlite.open(d); Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                sqliteRefuses = false;
            } catch (java.sql.SQLException e) {
                sqliteRefuses = e.getMessage().contains("malformed");
            }
            assertEquals(nTruncate == 64 + 2 + db.length / 1024, sqliteRefuses, "SQLite, nTruncate " + nTruncate);
            assertEquals(sqliteRefuses, walkitRefuses, "walkit agrees with SQLite, nTruncate " + nTruncate);
        }
    }

    @Test
    void refusesAWalOfAnotherPageSizeAndANonCommitFrame() throws Exception {
        io.walkit.wal.WalWriter w = io.walkit.wal.WalWriter.create(1024, java.nio.ByteOrder.BIG_ENDIAN, 0, 1, 2);
        java.util.TreeMap<Integer, byte[]> pages = new java.util.TreeMap<>();
        pages.put(1, new byte[1024]);
        pages.put(2, new byte[1024]);
        w.commit(pages, 2);
        WalScan scan = WalScanner.scan(ByteSource.of(w.toByteArray(), "w.db-wal"));
        assertThrows(CorruptFileException.class, () -> PageApplier.empty(4096).applyWal(scan, 2));
        assertThrows(IllegalArgumentException.class, () -> PageApplier.empty(1024).applyWal(scan, 1));
        assertThrows(IllegalArgumentException.class, () -> PageApplier.empty(1024).applyWal(scan, 3));
        assertEquals(List.of(2L), List.of(PageApplier.empty(1024).applyWal(scan, 2).nPage()));
    }
}
