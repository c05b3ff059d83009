package io.walkit.wal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.walkit.io.ByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Coverage-guided fuzzing of the -shm reader: header copies, checkpoint info, hash-table checks,
 * lookups and the cross-check against a WAL. {@code rawShm} takes the input as the whole file;
 * {@code patchedShm} lays the input's first 136 bytes over a real SQLite -shm and applies the rest
 * as 3-byte patches (big-endian u16 offset, value) to its hash tables and page arrays, so the fuzzer
 * reaches the region code without producing 32 KiB inputs. Fuzz one with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl wal-format -am test -Dtest='ShmFuzzTest#patchedShm' -Djazzer.max_duration=60s}.
 */
class ShmFuzzTest {

    private static final byte[] WAL = resource("templates/small.db-wal");
    private static final byte[] SHM = resource("templates/small.db-shm");
    private static final WalScan SCAN = WalScanner.scan(ByteSource.of(WAL, "small.db-wal"));

    private static byte[] resource(String name) {
        try (InputStream in = ShmFuzzTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void rawShm(byte[] data) {
        exercise(data);
    }

    @FuzzTest(maxDuration = "60s")
    void patchedShm(byte[] data) {
        byte[] shm = SHM.clone();
        int head = Math.min(data.length, WalFormat.SHM_TOTAL_HEADER_SIZE);
        System.arraycopy(data, 0, shm, 0, head);
        for (int i = head; i + 2 < data.length; i += 3) {
            int off = ((data[i] & 0xFF) << 8 | (data[i + 1] & 0xFF)) % shm.length;
            shm[off] = data[i + 2];
        }
        exercise(shm);
    }

    private static void exercise(byte[] shm) {
        WalIndex idx = WalIndex.read(ByteSource.of(shm, "fuzz.db-shm"));
        idx.checkHeader();
        idx.corruptHeader();
        idx.crossCheck(SCAN);
        if (idx.copyA() != null) {
            long mx = Integer.toUnsignedLong(idx.copyA().mxFrame());
            idx.checkHashTables(mx);
            for (int p = 0; p <= 4; p++) {
                WalIndex.Lookup l = idx.findFrame(p, 1, mx);
                WalFuzzTest.check(l.frame() == 0 || idx.pageOfFrame(l.frame()) == p, "lookup returned another page");
                WalFuzzTest.check(l.frame() <= mx, "lookup beyond mxFrame");
                long linear = idx.findFrameLinear(p, 1, mx);
                WalFuzzTest.check(linear == 0 || idx.pageOfFrame(linear) == p, "linear lookup returned another page");
                // Through the hash table a lookup can miss an entry (unreachable slot) but never find a newer one.
                WalFuzzTest.check(l.error() != null || l.frame() <= linear, "hash lookup newer than the linear scan");
            }
        }
    }
}
