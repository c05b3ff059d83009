package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.walkit.io.ByteSource;
import io.walkit.io.CorruptFileException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-through applier is the in-memory applier's model over a file: for random sequences of
 * base, images and nPage changes (truncating, extending, raising again after a cut) both produce the
 * same bytes. Seeded; a failure prints the seed and the shortest failing prefix of the sequence.
 */
class PageApplierWriteThroughTest {

    private static final int PS = 512;

    /** One step: an image (page, fill byte) or an nPage change (page = -newNPage - 1). */
    private record Step(long page, byte fill) {
        @Override
        public String toString() {
            return page < 0 ? "nPage(" + (-page - 1) + ")" : "image(" + page + ", " + fill + ")";
        }
    }

    @TempDir Path dir;

    @Test
    void writeThroughEqualsInMemoryOnRandomSequences() throws Exception {
        for (long seed = 1; seed <= 150; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] base = new byte[r.nextInt(0, 8) * PS + (r.nextBoolean() ? 0 : r.nextInt(1, PS))];
            r.nextBytes(base);
            List<Step> steps = new ArrayList<>();
            int n = r.nextInt(1, 30);
            for (int i = 0; i < n; i++) {
                steps.add(r.nextInt(4) == 0 ? new Step(-r.nextInt(0, 12) - 1L, (byte) 0)
                        : new Step(r.nextInt(1, 14), (byte) r.nextInt(1, 256)));
            }
            if (!same(base, steps)) {
                List<Step> shrunk = steps;
                for (int len = 1; len <= steps.size(); len++) {
                    if (!same(base, steps.subList(0, len))) {
                        shrunk = steps.subList(0, len);
                        break;
                    }
                }
                throw new AssertionError("seed " + seed + ": base " + base.length + " bytes, steps " + shrunk);
            }
        }
    }

    private boolean same(byte[] base, List<Step> steps) throws Exception {
        byte[] expected;
        try (ByteSource src = ByteSource.of(base, "base")) {
            PageApplier a = base.length == 0 ? PageApplier.empty(PS) : PageApplier.onto(src, PS);
            for (Step s : steps) {
                if (s.page() < 0) {
                    a.nPage(-s.page() - 1);
                } else {
                    byte[] img = new byte[PS];
                    java.util.Arrays.fill(img, s.fill());
                    a.apply(new PageApplier.PageImage(s.page(), MemorySegment.ofArray(img), "t", 0));
                }
            }
            expected = a.toByteArray();
        }
        Path out = dir.resolve("out");
        Files.deleteIfExists(out);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            PageApplier.WriteThrough w = PageApplier.writeThrough(ch, PS);
            // The base arrives as a stream in uneven chunks, as a decompressed snapshot does.
            int at = 0;
            while (at < base.length) {
                int len = Math.min(base.length - at, 300);
                w.appendBase(base, at, len);
                at += len;
            }
            for (Step s : steps) {
                if (s.page() < 0) {
                    w.nPage(-s.page() - 1, "t", 0);
                } else {
                    byte[] img = new byte[PS + 7];
                    java.util.Arrays.fill(img, 7, PS + 7, s.fill());
                    w.apply(s.page(), img, 7, "t", 0);
                }
            }
            assertEquals(expected.length / PS, w.finish());
        }
        return java.util.Arrays.equals(expected, Files.readAllBytes(out));
    }

    @Test
    void rejectsImpossiblePageNumbersAndCountsNamingTheField() throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("x"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            PageApplier.WriteThrough w = PageApplier.writeThrough(ch, PS);
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> w.apply(0, new byte[PS], 0, "f.wal", 56));
            assertEquals("page number", e.field());
            assertEquals(56, e.offset());
            e = assertThrows(CorruptFileException.class, () -> w.nPage(0xFFFF_FFFFL, "f.wal", 36));
            assertEquals("database size in pages (nPage)", e.field());
            w.apply(3, new byte[PS], 0, "f.wal", 56);
            assertThrows(IllegalStateException.class, () -> w.appendBase(new byte[1], 0, 1));
            assertEquals(0, w.finish()); // nPage stays 0: the image above it is cut off
            assertEquals(0, ch.size());
        }
        assertArrayEquals(new byte[0], Files.readAllBytes(dir.resolve("x")));
    }
}
