package io.walkit.replica;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.walkit.io.CorruptFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Coverage-guided fuzzing of the LTX decoder, the LZ4 paths (stream and single-frame decoder) and
 * the replica-directory walk + verify + restore. In CI the committed seeds under
 * {@code ReplicaFuzzTestInputs/} replay; fuzz one target with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl replica -am test -Dtest='ReplicaFuzzTest#ltx' -Djazzer.max_duration=60s}.
 * Every target accepts only results or {@link CorruptFileException}; anything else is a finding.
 */
class ReplicaFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void ltx(byte[] data) throws IOException {
        try {
            int[] pages = {0};
            LtxFile f = LtxFile.decode(data, "fuzz.ltx", (pgno, page) -> pages[0]++);
            check(pages[0] == f.frames().size(), "visited pages differ from frames");
            check(f.ok() == f.problems().isEmpty(), "ok() disagrees with problems()");
            if (f.ok()) {
                check(f.fileChecksum() == f.computedFileChecksum(), "ok with a wrong file checksum");
            }
        } catch (CorruptFileException expected) {
            check(expected.getMessage().contains("fuzz.ltx"), "error does not name the file");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void lz4(byte[] data) throws IOException {
        try {
            byte[] out = Lz4Frames.decompress(new ByteArrayInputStream(data), 1 << 20, "fuzz.lz4");
            check(out.length <= 1 << 20, "limit exceeded");
        } catch (CorruptFileException expected) {
            // reported
        }
        if (data.length > 0) {
            byte[] page = new byte[512 << (data[0] & 3)];
            try {
                int end = Lz4Frames.decodeFrame(data, 1, data.length, page, LZ4Factory.safeInstance().safeDecompressor(),
                        XXHashFactory.safeInstance().hash32(), "fuzz.lz4");
                check(end > 1 && end <= data.length, "frame end outside the input");
            } catch (CorruptFileException expected) {
                // reported
            }
        }
    }

    /**
     * Builds a small replica directory from the input (file names and contents chosen by the
     * fuzzer, under the names Litestream uses), then lists, verifies and restores it.
     */
    @FuzzTest(maxDuration = "60s")
    void replicaDirectory(FuzzedDataProvider in) throws IOException {
        Path root = Files.createTempDirectory("walkit-fuzz-replica");
        Path out = Files.createTempDirectory("walkit-fuzz-out").resolve("restored.db");
        try {
            Path gen = root.resolve("generations").resolve("0123456789abcdef");
            Files.createDirectories(gen.resolve("snapshots"));
            Files.createDirectories(gen.resolve("wal"));
            int files = in.consumeInt(0, 8);
            for (int i = 0; i < files; i++) {
                boolean snapshot = in.consumeBoolean();
                int index = in.consumeInt(0, 3);
                int offset = in.consumeInt(0, 70_000);
                byte[] content = in.consumeBytes(in.consumeInt(0, 20_000));
                Path p = snapshot ? gen.resolve("snapshots").resolve(String.format("%08x.snapshot.lz4", index))
                        : gen.resolve("wal").resolve(String.format("%08x_%08x.wal.lz4", index, offset));
                Files.write(p, content);
            }
            ReplicaReport r = ReplicaVerifier.verify(root);
            check(r.layout() == ReplicaLayout.V03, "layout changed");
            ReplicaRestore.Outcome o = ReplicaRestore.restore(ReplicaDirectory.open(root), ReplicaRestore.Target.latest(), out, false, true);
            check(o instanceof ReplicaRestore.Restored == Files.exists(out), "restore outcome disagrees with the output file");
        } catch (CorruptFileException expected) {
            // reported
        } finally {
            delete(root);
            delete(out.getParent());
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
