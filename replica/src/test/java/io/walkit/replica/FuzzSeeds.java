package io.walkit.replica;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Writes the committed seed inputs of {@link ReplicaFuzzTest} (run once by hand:
 * {@code ./mvnw -pl replica -am test -Dtest=FuzzSeeds -Dwalkit.writeSeeds=true}); a no-op otherwise.
 */
class FuzzSeeds {

    @org.junit.jupiter.api.Test
    void write() throws Exception {
        if (!Boolean.getBoolean("walkit.writeSeeds")) {
            return;
        }
        Path base = Path.of("src/test/resources/io/walkit/replica/ReplicaFuzzTestInputs");
        Path ltx = Files.createDirectories(base.resolve("ltx"));
        Path lz4 = Files.createDirectories(base.resolve("lz4"));
        SplittableRandom rnd = new SplittableRandom(5);
        for (LtxFileTest.Case c : LtxFileTest.CASES) {
            SortedMap<Integer, byte[]> pages = LtxFileTest.pages(rnd, 512, 3, true);
            byte[] f = LtxWriter.encode(c.encoding(), c.style(), LtxFileTest.header(512, 3, 1, 2, true, 0), pages, 0);
            Files.write(ltx.resolve("snapshot-" + c.encoding().name().toLowerCase() + (c.style() == null ? "" : "-" + c.style().name().toLowerCase())), f);
        }
        Files.copy(LtxFileTest.FIXTURE, ltx.resolve("litestream-fixture-v1.ltx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] page = new byte[512];
        rnd.nextBytes(page);
        byte[] frame = LtxWriter.frame(page);
        byte[] seed = new byte[frame.length + 1];
        System.arraycopy(frame, 0, seed, 1, frame.length);
        Files.write(lz4.resolve("one-page-frame"), seed);
        Files.write(lz4.resolve("zeros-frame"), LtxWriter.frame(new byte[3000]));
    }
}
