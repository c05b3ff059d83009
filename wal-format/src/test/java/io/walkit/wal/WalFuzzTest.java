package io.walkit.wal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.walkit.io.ByteSource;
import java.nio.ByteOrder;

/**
 * Coverage-guided fuzzing of the WAL header decode, frame scan, stale-frame finder and recovery
 * index builder. In CI the committed seeds under {@code WalFuzzTestInputs/} replay; fuzz with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl wal-format -am test -Dtest=WalFuzzTest -Djazzer.max_duration=60s}.
 */
class WalFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void scanAndStale(byte[] data) {
        WalScan scan = WalScanner.scan(ByteSource.of(data, "fuzz.db-wal"));
        check(scan.mxFrame() <= scan.lastValidFrame(), "mxFrame beyond the valid prefix");
        check(scan.stopOffset() >= 0 && scan.stopOffset() <= data.length, "stop offset outside the file");
        StaleFrames stale = StaleFrames.find(scan);
        long whole = scan.pageSize() == 0 ? 0 : scan.frameCount();
        check(scan.lastValidFrame() + (long) stale.frameCount() == whole, "frames lost between prefix and stale");
        for (StaleGroup g : stale.groups()) {
            for (StaleGroup.Frame f : g.frames()) {
                check(f.offset() + WalFormat.frameSize(scan.pageSize()) <= data.length, "stale frame beyond the file");
            }
            g.wordOrder();
            g.distinctPages();
        }
        for (Commit c : scan.commits()) {
            check(c.firstFrame() <= c.lastFrame(), "empty commit");
        }
        if (scan.lastValidFrame() > 0) {
            scan.pageIndexAsOf(scan.lastValidFrame());
        }
        if (scan.headerAccepted() && data.length < 4 << 20) {
            WalIndex idx = WalIndex.read(ByteSource.of(WalIndexBuilder.recover(scan, ByteOrder.BIG_ENDIAN), "built"));
            check(idx.headerUsable(), "built index unusable");
            check(idx.checkHashTables(scan.mxFrame()).isEmpty(), "built index has hash problems");
            for (int p : scan.pageIndex().pages()) {
                check(idx.findFrame(p, 1, scan.mxFrame()).frame() == scan.pageIndex().newestFrame(p),
                        "index lookup differs from the scan");
            }
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
