package io.walkit.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.walkit.db.Database;
import io.walkit.db.DbFormat;
import io.walkit.db.FilePageSource;
import io.walkit.db.Record;
import io.walkit.io.CorruptFileException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzz targets (Jazzer) for the carver, whose input is by definition hostile: the
 * freed bytes of pages nothing checks. In a plain {@code mvn test} they replay the committed seeds under
 * {@code src/test/resources/io/walkit/forensics/CarveFuzzTestInputs/} (pages and whole databases made
 * by SQLite with deleted rows, a dropped table and overflow chains); with {@code JAZZER_FUZZ=1} one
 * target is fuzzed (see docs/forensics.md, "Fuzzing the carver"). Only {@link CorruptFileException} is
 * allowed; any other exception, a hang or an out-of-memory is a finding. The page target also checks
 * what every carved cell must satisfy, so a carver that reports cells outside the region it was asked
 * about, or payloads that do not parse as records of the shape it claims, fails here.
 */
class CarveFuzzTest {

    private static final List<RecordShape> SHAPES = List.of(
            RecordShape.of("t", "CREATE TABLE t(a INTEGER, b TEXT, c REAL, d INTEGER)"),
            RecordShape.of("u", "CREATE TABLE u(id INTEGER PRIMARY KEY, x NUMERIC, y BLOB)"),
            RecordShape.of("w", "CREATE TABLE w(k TEXT)"),
            RecordShape.schemaTable());

    private static final int[] ORDER = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};

    /**
     * One hostile page image (the first 512 or 1024 bytes of the input) carved every way the
     * {@link Carver} does: whole cells over the page, a freeblock anchored at an offset taken from the
     * input, the unanchored gap search, and the rebuild of cells with lost first bytes. Overflow reads
     * return bytes from the input itself (or nothing), bounded by the requested size.
     */
    @FuzzTest(maxDuration = "60s")
    void pageCarver(byte[] data) {
        if (data.length < 8) {
            return;
        }
        int size = data.length > 1024 ? 1024 : 512;
        byte[] page = Arrays.copyOf(data, size);
        int usable = size - (data[0] & 0x1F);
        int a = (data[1] & 0xFF) * usable / 256;
        int b = a + (data[2] & 0xFF) * (usable - a) / 255;
        PageCarver.OverflowReader overflow = (first, bytes) -> {
            assertTrue(bytes > 0, "overflow read of " + bytes + " bytes");
            if ((first & 1) == 0 || bytes > data.length) {
                return null;
            }
            return Arrays.copyOf(data, (int) bytes);
        };
        PageCarver pc = new PageCarver(page, usable, overflow);
        checkAll(pc.scanWhole(0, usable, SHAPES, true), 0, usable, usable, true);
        checkAll(pc.scanWhole(a, b, SHAPES, false), a, b, usable, false);
        checkAll(pc.scanFreeblock(a, b, SHAPES, (data[3] & 1) == 0, ORDER, true), a, b, usable, (data[3] & 1) == 0);
        checkAll(pc.scanFreeblock(a, b, SHAPES, false, ORDER, false), a, b, usable, false);
        for (RecordShape s : SHAPES) {
            checkAll(pc.rebuild(a, b, s, ORDER), a, b, usable, false);
            checkAll(pc.earliestChain(a, b, s, ORDER), a, b, usable, false);
        }
    }

    /** Every cell lies inside {@code [a, b)}, has a payload that parses as a record, and (unless shape-free) fits its shape's field count. */
    private static void checkAll(List<PageCarver.Carved> cells, int a, int b, int usable, boolean shapeFree) {
        Record rec = Record.forEncoding(1);
        for (PageCarver.Carved c : cells) {
            assertTrue(c.offset() >= a && c.offset() < c.end() && c.end() <= Math.min(b, usable),
                    "cell [" + c.offset() + ", " + c.end() + ") outside [" + a + ", " + b + ")");
            assertNotNull(c.payload());
            assertNotNull(c.confidence());
            assertTrue(shapeFree || c.shape() != null, "a cell without a shape where one is required");
            if (c.shape() != null && rec.parse(MemorySegment.ofArray(c.payload()), 0, c.payload().length) == null) {
                assertEquals(c.shape().fieldCount(), rec.columnCount(), "field count of a carved " + c.shape().table() + " record");
                rec.values();
            }
        }
    }

    /**
     * A hostile small database (a 512-byte-page header forced legal so the fuzzer reaches the b-trees,
     * freelist and orphan pages) carved whole, as {@code walkit db carve} does.
     */
    @FuzzTest(maxDuration = "60s")
    void carveDatabase(byte[] data) {
        byte[] image = legalHeader(data);
        if (image == null) {
            return;
        }
        try (FilePageSource src = FilePageSource.of(image, "fuzz.db"); Database db = Database.open(src)) {
            for (RecoveredRecord r : Carver.carve(db, "fuzz.db")) {
                assertNotNull(r.values());
                assertNotNull(r.source());
                assertTrue(r.source().pageNumber() >= 1 && r.source().pageNumber() <= db.pageCount(), "page " + r.source().pageNumber());
            }
        } catch (CorruptFileException expected) {
            // a checked report is an allowed outcome
        }
    }

    /** The input with magic, page size 512 and payload fractions made legal; null when too short or too long. */
    static byte[] legalHeader(byte[] data) {
        if (data.length < DbFormat.HEADER_SIZE || data.length > 256 << 10) {
            return null;
        }
        byte[] b = data.clone();
        System.arraycopy(DbFormat.MAGIC, 0, b, 0, 16);
        b[16] = 2;
        b[17] = 0;
        b[20] = (byte) Math.min(b[20] & 0xFF, 32);
        b[21] = 64;
        b[22] = 32;
        b[23] = 32;
        return b;
    }
}
