package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalScanner;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Constants, varints, payload formulas, header round trip and the page-source contract. */
class FormatTest {

    @Test
    void headerConstantsAgreeWithTheEncoder() {
        byte[] b = new byte[100];
        for (int i = 0; i < 100; i++) {
            b[i] = (byte) (i + 1);
        }
        DatabaseHeader h = DatabaseHeader.read(b);
        assertEquals(((DbFormat.OFF_PAGE_SIZE + 1) << 8) | (DbFormat.OFF_PAGE_SIZE + 2), h.rawPageSize());
        assertEquals(DbFormat.OFF_WRITE_VERSION + 1, h.writeVersion());
        assertEquals(DbFormat.OFF_READ_VERSION + 1, h.readVersion());
        assertEquals(DbFormat.OFF_RESERVED_BYTES + 1, h.reservedBytes());
        assertEquals(be(b, DbFormat.OFF_DATABASE_SIZE), h.databaseSize());
        assertEquals(be(b, DbFormat.OFF_FIRST_FREELIST_TRUNK), h.firstFreelistTrunk());
        assertEquals(be(b, DbFormat.OFF_LARGEST_ROOT_PAGE), h.largestRootPage());
        assertEquals(be(b, DbFormat.OFF_TEXT_ENCODING), h.textEncoding());
        assertEquals(be(b, DbFormat.OFF_VERSION_VALID_FOR), h.versionValidFor());
        assertEquals(be(b, DbFormat.OFF_SQLITE_VERSION), h.sqliteVersion());
        assertArrayEquals(b, h.encode());
    }

    static long be(byte[] b, int o) {
        return ((long) (b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    @Test
    void headerRoundTripsAnyHundredBytes() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            byte[] b = new byte[100];
            rnd.nextBytes(b);
            assertArrayEquals(b, DatabaseHeader.read(b).encode());
        }
    }

    @Test
    void pageSizeOneMeans65536AndValidationNamesFields() {
        byte[] b = new byte[100];
        System.arraycopy(DbFormat.MAGIC, 0, b, 0, 16);
        b[17] = 1;
        b[21] = 64;
        b[22] = 32;
        b[23] = 32;
        DatabaseHeader h = DatabaseHeader.read(b);
        assertEquals(65536, h.pageSize());
        assertEquals(List.of(), h.validate());
        b[21] = 63;
        b[16] = 3;
        b[17] = (byte) 0xE8;
        List<DatabaseHeader.Problem> p = DatabaseHeader.read(b).validate();
        assertEquals(List.of("page size", "max payload fraction"), p.stream().map(DatabaseHeader.Problem::field).toList());
    }

    @Test
    void varintExamplesAndRoundTrip() {
        assertEquals(127, read("7f"));
        assertEquals(128, read("8100"));
        assertEquals(256, read("8200"));
        assertEquals(0x12345678, read("8191d1ac78"));
        assertEquals(-1L, read("ffffffffffffffffff"));
        SplittableRandom rnd = new SplittableRandom(3);
        byte[] buf = new byte[9];
        for (int i = 0; i < 10000; i++) {
            long v = switch (i % 3) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextLong(1L << (1 + rnd.nextInt(62)));
                default -> rnd.nextInt(300);
            };
            int n = Varint.write(v, buf, 0);
            MemorySegment s = MemorySegment.ofArray(buf);
            assertEquals(v, Varint.read(s, 0, n), "value " + v);
            assertEquals(n, Varint.size(s, 0, 9));
            assertEquals(n, Varint.encodedSize(v));
        }
        // A varint running off its limit terminates (missing bytes read as zero).
        assertEquals(1, Varint.size(MemorySegment.ofArray(HexFormat.of().parseHex("ff")), 0, 0));
    }

    static long read(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        return Varint.read(MemorySegment.ofArray(b), 0, b.length);
    }

    @Test
    void payloadFormulasMatchTheSpecExamples() {
        assertEquals(List.of(230, 103, 989), List.of(DbFormat.maxLocal(1024), DbFormat.minLocal(1024), DbFormat.maxLeaf(1024)));
        assertEquals(List.of(1002, 489, 4061), List.of(DbFormat.maxLocal(4096), DbFormat.minLocal(4096), DbFormat.maxLeaf(4096)));
        assertEquals(List.of(16422, 8199, 65501), List.of(DbFormat.maxLocal(65536), DbFormat.minLocal(65536), DbFormat.maxLeaf(65536)));
        // 4096-byte table leaf: a 5000-byte payload keeps M + (P − M) mod (U − 4) = 489 + 4511 % 4092 = 908 local.
        assertEquals(908, DbFormat.localPayload(5000, 4061, 489, 4096));
        assertEquals(1, DbFormat.overflowPageCount(5000, 908, 4096));
        assertEquals(4061, DbFormat.localPayload(4061, 4061, 489, 4096));
        assertEquals(262145, DbFormat.lockBytePage(4096));
        // Pointer maps: the first is page 2; with U = 1024, J = 205 pages per map plus the map.
        assertEquals(2, DbFormat.ptrmapPageFor(3, 1024, 1024));
        assertEquals(2 + 205, DbFormat.ptrmapPageFor(2 + 205, 1024, 1024));
        assertEquals(2, DbFormat.ptrmapPageFor(2 + 204, 1024, 1024));
    }

    /** The contract every page source keeps, checked for all three implementations. */
    @Test
    void pageSourcesAgree(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("p.db");
        try (var c = Sqlite.open(db); var s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(x)");
            s.execute("INSERT INTO t VALUES(zeroblob(5000))");
        }
        byte[] image = Files.readAllBytes(db);
        byte[] wal = Files.readAllBytes(WalViewTest.projectRoot().resolve("testdata/wal/sample.db-wal"));
        try (FilePageSource mapped = FilePageSource.map(db); FilePageSource heap = FilePageSource.of(image, "heap");
             WalPageSource none = new WalPageSource(FilePageSource.of(image, "w"),
                     WalScanner.scan(ByteSource.of(wal, "x-wal")), 0)) {
            for (PageSource src : List.of(mapped, heap, none)) {
                assertEquals(1024, src.pageSize());
                assertEquals(image.length / 1024, src.pageCount());
                for (long p = 1; p <= src.pageCount(); p++) {
                    MemorySegment page = src.page(p);
                    assertEquals(1024, page.byteSize());
                    assertArrayEquals(java.util.Arrays.copyOfRange(image, (int) (p - 1) * 1024, (int) p * 1024),
                            page.toArray(ValueLayout.JAVA_BYTE), src.name() + " page " + p);
                }
                assertThrows(IndexOutOfBoundsException.class, () -> src.page(0));
                assertThrows(IndexOutOfBoundsException.class, () -> src.page(src.pageCount() + 1));
            }
        }
        // A partial last page is zero-padded; pages beyond the file (through a WAL) read as zeros.
        try (FilePageSource cut = FilePageSource.of(java.util.Arrays.copyOf(image, image.length - 100), "cut")) {
            byte[] last = cut.page(cut.pageCount()).toArray(ValueLayout.JAVA_BYTE);
            for (int i = 924; i < 1024; i++) {
                assertEquals(0, last[i]);
            }
            assertEquals(924, cut.directReadBytes(cut.pageCount()));
        }
        Path sample = WalViewTest.projectRoot().resolve("testdata/wal/sample.db");
        try (PageSource w = Database.openPages(sample, sample.resolveSibling("sample.db-wal"), 6)) {
            assertEquals(3, w.pageCount());
            assertTrue(w.origin(3).startsWith("WAL frame 12"), w.origin(3));
        }
    }

    /** A sparse 3 GiB file: pages beyond 2 GiB are read through the mapping with long offsets. */
    @Test
    void mapsFilesOver2GiB(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("big.db");
        try (var c = Sqlite.open(db); var s = c.createStatement()) {
            s.execute("PRAGMA page_size=4096");
            s.execute("CREATE TABLE t(x)");
            s.execute("INSERT INTO t VALUES('below 2 GiB')");
        }
        long page = (3L << 30) / 4096 + 7;
        byte[] marker = "a page beyond 2 GiB".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (var ch = java.nio.channels.FileChannel.open(db, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(marker), (page - 1) * 4096 + 100);
        }
        try (FilePageSource src = FilePageSource.map(db)) {
            assertEquals(page, src.pageCount());
            byte[] got = src.page(page).asSlice(100, marker.length).toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(marker, got);
            // The header's size (2 pages) is trusted, so the database itself is unchanged.
            try (Database d = Database.open(src)) {
                assertEquals(2, d.pageCount());
                Object[][] row = new Object[1][];
                TableReader.open(d, "t").scan((id, v) -> {
                    row[0] = v;
                    return true;
                });
                assertEquals("below 2 GiB", row[0][0]);
            }
        }
    }
}
