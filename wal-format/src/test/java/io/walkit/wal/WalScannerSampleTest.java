package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.walkit.io.ByteSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bundled sample made by real SQLite reads as its sidecar note says. */
class WalScannerSampleTest {

    static Path sample() {
        return Path.of("..", "testdata", "wal", "sample.db-wal");
    }

    @Test
    void readsBundledSampleAsDocumented() throws Exception {
        try (ByteSource src = ByteSource.map(sample())) {
            WalScan scan = WalScanner.scan(src);
            assertEquals(WalFormat.MAGIC_LE, scan.header().magic());
            assertEquals(4096, scan.pageSize());
            assertEquals(12, scan.frameCount());
            assertEquals(12, scan.mxFrame());
            assertEquals(6, scan.commitCount());
            assertEquals(3, scan.databaseSize());
            assertEquals(StopReason.END_OF_FILE, scan.stopReason());
            assertEquals(49472, scan.stopOffset());
            assertEquals(3, scan.pageIndex().newestFrame(1));
            assertEquals(11, scan.pageIndex().newestFrame(2));
            assertEquals(12, scan.pageIndex().newestFrame(3));
            assertEquals(new Commit(2, 3, 4, 3), scan.commit(2));
            assertEquals(2, scan.pageIndexAsOf(4).newestFrame(2));
        }
    }
}
