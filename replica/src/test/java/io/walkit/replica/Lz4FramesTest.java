package io.walkit.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.CorruptFileException;
import io.walkit.testkit.SharedCorpora;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** LZ4 frame decompression is exact on Litestream's files and bounded on hostile ones. */
class Lz4FramesTest {

    static byte[] compress(byte[] data) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        // Litestream's framing: 4 MiB independent blocks, xxHash32 content checksum.
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(bos, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void roundTripsAndStopsAtTheLimit() throws Exception {
        byte[] data = new byte[300_000];
        new SplittableRandom(7).nextBytes(data);
        Arrays.fill(data, 1000, 200_000, (byte) 'x');
        byte[] lz4 = compress(data);
        assertArrayEquals(data, Lz4Frames.decompress(new ByteArrayInputStream(lz4), data.length, "t"));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Lz4Frames.decompress(new ByteArrayInputStream(lz4), data.length - 1, "t.lz4"));
        assertEquals("decompressed size", e.field());
        assertTrue(e.getMessage().contains("file=t.lz4"), e.getMessage());
    }

    @Test
    void aZipBombIsCutOffWithoutMaterialisingIt() throws Exception {
        byte[] lz4 = compress(new byte[64 << 20]); // 64 MiB of zeros compress to ~256 KiB
        assertTrue(lz4.length < 1 << 20);
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Lz4Frames.decompress(new ByteArrayInputStream(lz4), 1 << 20, "bomb.lz4"));
        assertTrue(e.offset() < lz4.length, "stopped before consuming the whole input: " + e.offset());
    }

    @Test
    void everyTruncationAndSampledFlipIsCorruptNeverUnchecked() throws Exception {
        byte[] data = new byte[6_000];
        new SplittableRandom(11).nextBytes(data);
        Arrays.fill(data, 2000, 4000, (byte) 7);
        byte[] lz4 = compress(data);
        for (int len = 0; len < lz4.length; len += len < 64 || len > lz4.length - 64 ? 1 : 17) {
            byte[] cut = Arrays.copyOf(lz4, len);
            assertThrows(CorruptFileException.class,
                    () -> Lz4Frames.decompress(new ByteArrayInputStream(cut), 1 << 20, "cut"), "length " + len);
        }
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 1000; i++) {
            byte[] flipped = lz4.clone();
            int at = r.nextInt(flipped.length);
            flipped[at] ^= (byte) (1 + r.nextInt(255));
            try {
                byte[] out = Lz4Frames.decompress(new ByteArrayInputStream(flipped), 1 << 20, "flip");
                // The content checksum (xxHash32) makes silent acceptance of changed data a 2^-32 event.
                assertArrayEquals(data, out, "flip at " + at + " accepted with different content");
            } catch (CorruptFileException expected) {
                // reported precisely
            }
        }
    }

    @Test
    void litestreamV04SegmentsDecompressToTheWalTheyWereSplitFrom() throws Exception {
        var corpora = SharedCorpora.find();
        Assumptions.assumeTrue(corpora.isPresent(), SharedCorpora.ABSENT);
        Path one = corpora.get().resolve("litestream-v04-replica/wal-downloader/one");
        Path segments = one.resolve("generations/0000000000000000/wal/0000000000000000");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (String offset : new String[] {"0000000000000000", "0000000000002050", "0000000000003068"}) {
            assertEquals(Long.parseLong(offset, 16), whole.size(), "segment name is its byte offset");
            whole.write(Lz4Frames.decompress(segments.resolve(offset + ".wal.lz4"), 1 << 20));
        }
        assertArrayEquals(Files.readAllBytes(one.resolve("0000000000000000.wal")), whole.toByteArray());
    }
}
