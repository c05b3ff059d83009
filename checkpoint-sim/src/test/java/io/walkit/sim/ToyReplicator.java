package io.walkit.sim;

import io.walkit.io.ByteSource;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.util.Arrays;

/**
 * A toy Litestream-style replicator for the oracle's tests (the same one examples/toy-replicator
 * ships): a base image taken at each snapshot plus a shadow WAL of the committed frames copied
 * since. It continues only when its whole shadow is still a byte prefix of the live WAL, and
 * otherwise takes a new snapshot, which is always safe. With {@code trustFrameCount} it carries the
 * deliberate bug: it also continues whenever the live WAL has at least as many committed frames
 * as its shadow, missing WAL restarts.
 */
final class ToyReplicator implements ReplicatorUnderTest {

    private final boolean trustFrameCount;
    private int pageSize;
    private byte[] base;
    private byte[] shadow;

    ToyReplicator(boolean trustFrameCount) {
        this.trustFrameCount = trustFrameCount;
    }

    @Override
    public SyncDecision sync(Step step, StepResult result, LiveFiles files) {
        pageSize = files.pageSize();
        byte[] wal = files.wal();
        if (base == null) {
            snapshot(files);
            return SyncDecision.FIRST_SNAPSHOT;
        }
        if (shadow == null || wal == null || wal.length < WalFormat.HEADER_SIZE) {
            snapshot(files);
            return SyncDecision.NEW_SNAPSHOT;
        }
        WalScan live = WalScanner.scan(ByteSource.of(wal, "wal"));
        int have = (shadow.length - WalFormat.HEADER_SIZE) / WalFormat.frameSize(pageSize);
        boolean prefixIntact = wal.length >= shadow.length && Arrays.equals(shadow, 0, shadow.length, wal, 0, shadow.length);
        if (prefixIntact || trustFrameCount && live.mxFrame() >= have) {
            if (live.mxFrame() > have) {
                int end = (int) WalFormat.frameOffset(live.mxFrame() + 1L, pageSize);
                byte[] grown = Arrays.copyOf(shadow, end);
                System.arraycopy(wal, shadow.length, grown, shadow.length, end - shadow.length);
                shadow = grown;
            }
            return SyncDecision.CONTINUE;
        }
        snapshot(files);
        return SyncDecision.NEW_SNAPSHOT;
    }

    private void snapshot(LiveFiles files) {
        base = files.impliedDatabase();
        byte[] wal = files.wal();
        shadow = null;
        if (wal != null && wal.length >= WalFormat.HEADER_SIZE) {
            WalScan scan = WalScanner.scan(ByteSource.of(wal, "wal"));
            if (scan.headerAccepted() && scan.pageSize() == pageSize) {
                shadow = Arrays.copyOf(wal, (int) WalFormat.frameOffset(scan.mxFrame() + 1L, pageSize));
            }
        }
    }

    @Override
    public byte[] restore() {
        return base == null ? null : LogicalImage.of(base, shadow, pageSize).toFileBytes(pageSize);
    }

    @Override
    public byte[] shadowWal() {
        return shadow == null ? null : shadow.clone();
    }
}
