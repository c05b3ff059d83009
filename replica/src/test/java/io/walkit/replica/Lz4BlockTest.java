package io.walkit.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.walkit.io.CorruptFileException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-written LZ4 block decoder and streaming xxHash32 against lz4-java (the reference), and
 * {@link Lz4Frames#copy} against {@link Lz4Frames#decompress} on good and damaged frames. Seeded.
 */
class Lz4BlockTest {

    @TempDir Path dir;

    /** Data with runs, repeats at short and long distances (overlapping matches) and noise. */
    static byte[] mixed(SplittableRandom r, int size) {
        byte[] d = new byte[size];
        int p = 0;
        while (p < size) {
            int n = Math.min(size - p, r.nextInt(1, 3000));
            switch (r.nextInt(4)) {
                case 0 -> { byte[] x = new byte[n]; r.nextBytes(x); System.arraycopy(x, 0, d, p, n); }
                case 1 -> java.util.Arrays.fill(d, p, p + n, (byte) r.nextInt(256));
                default -> {
                    int dist = r.nextInt(1, Math.max(2, Math.min(p, 70_000)));
                    for (int i = 0; i < n; i++) {
                        d[p + i] = p + i - dist >= 0 ? d[p + i - dist] : (byte) i;
                    }
                }
            }
            p += n;
        }
        return d;
    }

    @Test
    void decodesWhatLz4JavaCompresses() throws Exception {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] data = mixed(r, r.nextInt(0, 300_000));
            var c = seed % 2 == 0 ? LZ4Factory.safeInstance().fastCompressor() : LZ4Factory.safeInstance().highCompressor();
            byte[] comp = c.compress(data);
            byte[] out = new byte[data.length];
            int n = Lz4Block.decode(comp, 0, comp.length, out, 0, out.length, "t", 0);
            assertEquals(data.length, n, "seed " + seed);
            assertArrayEquals(data, out, "seed " + seed);
        }
    }

    @Test
    void streamingXxHash32EqualsTheLibraryWhateverTheSplits() {
        var ref = XXHashFactory.safeInstance().hash32();
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] data = new byte[r.nextInt(0, 5000)];
            r.nextBytes(data);
            Lz4Block.XxHash32 h = new Lz4Block.XxHash32(0);
            int p = 0;
            while (p < data.length) {
                int n = r.nextInt(0, Math.min(40, data.length - p) + 1);
                h.update(data, p, n);
                p += n;
            }
            assertEquals(ref.hash(data, 0, data.length, 0), h.digest(), "seed " + seed + ", " + data.length + " bytes");
        }
    }

    @Test
    void malformedBlocksAreCorruptNeverUnchecked() {
        SplittableRandom r = new SplittableRandom(3);
        byte[] data = mixed(r, 20_000);
        byte[] comp = LZ4Factory.safeInstance().fastCompressor().compress(data);
        byte[] out = new byte[data.length];
        for (int i = 0; i < 3000; i++) {
            byte[] bad = comp.clone();
            int cut = r.nextInt(3) == 0 ? r.nextInt(bad.length) : bad.length;
            bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            try {
                Lz4Block.decode(bad, 0, cut, out, 0, out.length, "t", 0);
            } catch (CorruptFileException e) {
                assertEquals("LZ4 block", e.structure());
            }
        }
        // A match reaching before the block's start.
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Lz4Block.decode(new byte[] {0x10, 'a', 5, 0, 0x00}, 0, 5, new byte[64], 0, 64, "t", 100));
        assertEquals("match offset", e.field());
        assertEquals(102, e.offset());
    }

    @Test
    void copyEqualsDecompressAndFailsWhereItFails() throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        byte[] data = mixed(r, 9 << 20 / 2); // more than one 4 MiB block
        byte[] lz4 = Lz4FramesTest.compress(data);
        Path f = dir.resolve("s.lz4");
        Files.write(f, lz4);
        assertArrayEquals(data, copied(f, Long.MAX_VALUE));
        assertThrows(CorruptFileException.class, () -> copied(f, data.length - 1));
        byte[] small = Lz4FramesTest.compress(mixed(r, 5000));
        for (int i = 0; i < 400; i++) {
            byte[] bad = small.clone();
            int at = r.nextInt(bad.length);
            bad[at] ^= (byte) (1 << r.nextInt(8));
            Path g = dir.resolve("b.lz4");
            Files.write(g, r.nextInt(4) == 0 ? java.util.Arrays.copyOf(bad, at) : bad);
            boolean refOk;
            byte[] ref = null;
            try {
                ref = Lz4Frames.decompress(g, 1 << 20);
                refOk = true;
            } catch (CorruptFileException e) {
                refOk = false;
            }
            try {
                byte[] got = copied(g, 1 << 20);
                assertEquals(true, refOk, "copy accepted what decompress refused (flip at " + at + ")");
                assertArrayEquals(ref, got);
            } catch (CorruptFileException e) {
                assertEquals(false, refOk, "copy refused what decompress accepted (flip at " + at + "): " + e.getMessage());
            }
        }
    }

    private static byte[] copied(Path f, long limit) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Lz4Frames.copy(f, limit, bos::write);
        return bos.toByteArray();
    }
}
