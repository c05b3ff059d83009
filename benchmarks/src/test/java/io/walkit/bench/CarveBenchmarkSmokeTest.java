package io.walkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walkit.db.Database;
import io.walkit.forensics.Carver;
import io.walkit.forensics.RecoveredRecord;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The carving workload and benchmark do what RESULTS.md says, on a 2 MiB {@link CarveDb} (made by the
 * {@code sqlite3} CLI; skipped without it): the file is about the requested size, the dropped table is
 * gone from the schema, pages were freed to the freelist, {@link CarveBenchmark#carve} counts the whole
 * file and returns what {@link Carver} recovers, and that includes deleted rows of every kind of place the
 * workload makes (a deleted {@code t} row, a deleted {@code msg} row, a row of the dropped {@code tmp}).
 * No timing.
 */
class CarveBenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void workloadHasDeletedDataEverywhereAndTheBenchmarkCarvesIt() throws Exception {
        Path db;
        try {
            db = CarveDb.cached(dir, 2);
        } catch (java.io.IOException e) {
            assumeTrue(false, "sqlite3 CLI not available: " + e.getMessage());
            return;
        }
        long size = Files.size(db);
        assertTrue(size > (2 << 20) * 3 / 4 && size < (2 << 20) * 5 / 4, "size " + size + " for 2 MiB");
        byte[] header = new byte[100];
        try (var in = Files.newInputStream(db)) {
            assertEquals(100, in.readNBytes(header, 0, 100));
        }
        assertTrue(ByteBuffer.wrap(header).getInt(36) > 0, "freelist page count");
        try (Database d = Database.open(db, null, null)) {
            assertTrue(d.schema().entries().stream().noneMatch(e -> e.name().equals("tmp")), "tmp dropped");
        }

        CarveBenchmark bench = new CarveBenchmark();
        bench.sizeMiB = "0";
        bench.file = db.toString();
        bench.setUp();
        ByteCounter counter = new ByteCounter();
        int n = bench.carve(counter);
        assertEquals(size, counter.bytes);
        List<RecoveredRecord> records;
        try (Database d = Database.open(db, null, null)) {
            records = Carver.carve(d, db.toString());
        }
        assertEquals(records.size(), n);
        assertTrue(records.stream().anyMatch(r -> "t".equals(r.table()) && r.values()[3] instanceof Long v && v % 3 == 0),
                "a deleted t row (d % 3 = 0)");
        assertTrue(records.stream().anyMatch(r -> "msg".equals(r.table())), "a deleted msg row");
        // The dropped table's rows carry its name: its deleted sqlite_schema row (first four bytes lost,
        // zeroed bytes before it) is rebuilt from the right start, which gives the carver tmp's shape.
        assertTrue(records.stream().anyMatch(r -> "sqlite_schema".equals(r.table()) && "tmp".equals(r.values()[1])
                && "CREATE TABLE tmp(x TEXT, y INTEGER)".equals(r.values()[4])), "the dropped table's schema row");
        assertTrue(records.stream().anyMatch(r -> "tmp".equals(r.table()) && r.values()[0] instanceof String x && x.startsWith("tmp-")),
                "a row of the dropped table tmp, with its table name");
    }
}
