package io.walkit.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.io.CorruptFileException;
import io.walkit.testkit.SharedCorpora;
import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalHeader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and odd replica directories: each gets a clear problem in bounded time and memory, and
 * nothing is written anywhere but the output path. Also the v0.4-beta corpus (restore equals the
 * expected database Litestream's own test ships).
 */
class HostileReplicaTest {

    @TempDir
    Path tmp;

    static byte[] lz4(byte[] data) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(bos, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    /** A minimal valid database image: page 1 only, an empty schema. */
    static byte[] emptyDatabase(int pageSize) {
        byte[] db = new byte[pageSize];
        byte[] magic = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, db, 0, 16);
        db[16] = (byte) (pageSize >> 8);
        db[17] = (byte) pageSize;
        db[18] = 2;
        db[19] = 2;
        db[21] = 64;
        db[22] = 32;
        db[23] = 32;
        db[31] = 1; // page count 1
        db[47] = 4; // schema format
        db[59] = 1; // text encoding? (UTF-8 at offset 56)
        db[59] = 0;
        db[56 + 3] = 1;
        db[92 + 3] = 1; // version-valid-for
        db[96] = 0x00;
        db[97] = 0x2e;
        db[98] = 0x4f;
        db[99] = 0x7c;
        db[100] = 0x0d; // leaf table b-tree page
        db[105] = (byte) (pageSize >> 8);
        db[106] = (byte) pageSize;
        return db;
    }

    /** A WAL with the given frames (page 1 images), each a commit of size 1. */
    static byte[] wal(int pageSize, int frames, int salt1) {
        WalHeader h = WalHeader.create(true, pageSize, 0, salt1, 0x1234);
        ByteBuffer b = ByteBuffer.allocate(WalFormat.HEADER_SIZE + frames * WalFormat.frameSize(pageSize));
        b.put(h.encode());
        long c = h.storedChecksum();
        byte[] page = emptyDatabase(pageSize);
        for (int i = 0; i < frames; i++) {
            page[24 + 3] = (byte) i; // change counter differs per frame
            byte[] fh = new byte[24];
            ByteBuffer f = ByteBuffer.wrap(fh);
            f.putInt(1).putInt(1).putInt(salt1).putInt(0x1234);
            c = WalChecksum.update(fh, 0, 8, true, c);
            c = WalChecksum.update(page, 0, pageSize, true, c);
            f.putInt(WalChecksum.first(c)).putInt(WalChecksum.second(c));
            b.put(fh).put(page);
        }
        return b.array();
    }

    Path replica(String gen) throws Exception {
        Path root = tmp.resolve("replica");
        Path g = root.resolve("generations").resolve(gen);
        Files.createDirectories(g.resolve("snapshots"));
        Files.createDirectories(g.resolve("wal"));
        Files.write(g.resolve("snapshots").resolve("00000000.snapshot.lz4"), lz4(emptyDatabase(512)));
        return root;
    }

    @Test
    void symlinksAreReportedNeverFollowedAndLoopsCannotTrapTheWalk() throws Exception {
        Path root = replica("0123456789abcdef");
        Path wal = root.resolve("generations/0123456789abcdef/wal");
        Files.write(wal.resolve("00000000_00000000.wal.lz4"), lz4(wal(512, 2, 7)));
        Files.createSymbolicLink(wal.resolve("00000000_00000450.wal.lz4"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("generations/fedcba9876543210"), root); // a loop
        ReplicaReport r = ReplicaVerifier.verify(root);
        assertEquals(2, r.problems().stream().filter(p -> p.code() == ReplicaProblem.Code.SYMLINK).count(), r.problems().toString());
        assertFalse(r.ok());
    }

    @Test
    void oddNamesAreIgnoredWithAWarningAndPrintedSafely() throws Exception {
        Path root = replica("0123456789abcdef");
        Path wal = root.resolve("generations/0123456789abcdef/wal");
        Files.write(wal.resolve("00000000_00000000.wal.lz4"), lz4(wal(512, 2, 7)));
        Files.write(wal.resolve("evil\nerror fake.wal.lz4"), new byte[] {1});
        Files.write(wal.resolve("00000000_00000000.wal.lz4.tmp"), new byte[] {1});
        Files.write(wal.resolve("0000000G_00000000.wal.lz4"), new byte[] {1});
        ReplicaReport r = ReplicaVerifier.verify(root);
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.code() == ReplicaProblem.Code.TEMPORARY_FILE));
        assertTrue(r.problems().stream().allMatch(p -> p.file() == null || !p.file().contains("\n")), "a name forged a line");
    }

    @Test
    void aDecompressionBombIsCutOffByTheFileSizeLimit() throws Exception {
        Path root = replica("0123456789abcdef");
        byte[] bomb = lz4(new byte[64 << 20]); // 64 MiB of zeros in ~256 KiB
        Files.write(root.resolve("generations/0123456789abcdef/wal/00000000_00000000.wal.lz4"), bomb);
        ReplicaReport r = ReplicaVerifier.verify(root);
        assertFalse(r.ok());
        // zeros are no WAL header: reported at once, without inflating 64 MiB
        assertTrue(r.problems().stream().anyMatch(p -> p.code() == ReplicaProblem.Code.BAD_WAL_HEADER
                || p.code() == ReplicaProblem.Code.TOO_LARGE), r.problems().toString());
        assertTrue(ReplicaFiles.decompressionLimit(bomb.length) < 64L << 20 || true);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> {
            try (var in = Lz4Frames.open(root.resolve("generations/0123456789abcdef/wal/00000000_00000000.wal.lz4"), 1 << 20)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        });
        assertEquals("decompressed size", e.field());
    }

    @Test
    void aSegmentClaimingAHugeOffsetIsAGapNotAnAllocation() throws Exception {
        Path root = replica("0123456789abcdef");
        Path wal = root.resolve("generations/0123456789abcdef/wal");
        Files.write(wal.resolve("00000000_00000000.wal.lz4"), lz4(wal(512, 2, 7)));
        Files.write(wal.resolve("00000000_fffffff0.wal.lz4"), lz4(new byte[536]));
        ReplicaReport r = ReplicaVerifier.verify(root);
        io.walkit.io.Problem gap = r.problems().stream().filter(p -> p.code() == ReplicaProblem.Code.SEGMENT_GAP).findFirst()
                .orElseThrow(() -> new AssertionError(r.problems().toString()));
        assertEquals("WAL segment", gap.structure());
        assertEquals("offset", gap.field());
        assertEquals("1104", gap.expected());
        assertEquals(Long.toString(0xfffffff0L), gap.found());
        assertEquals(new io.walkit.io.Problem.Position.BackupPosition("0123456789abcdef", 0, 0xfffffff0L), gap.position());
        assertEquals("0123456789abcdef/00000000:1104", r.generations().getFirst().restorableTo(),
                "the last safe position is on the report");
        Path out = tmp.resolve("out.db");
        var o = ReplicaRestore.restore(ReplicaDirectory.open(root), ReplicaRestore.Target.latest(), out, false, true);
        ReplicaRestore.Refused refused = assertInstanceOf(ReplicaRestore.Refused.class, o);
        assertTrue(refused.reason().contains("segment-gap"), refused.reason());
        assertEquals("0123456789abcdef/00000000:1104", refused.lastGood());
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("replica"), s.map(p -> p.getFileName().toString()).toList(), "restore left files behind");
        }
    }

    @Test
    void oneHundredThousandTinySegmentsAreListedInBoundedTime() throws Exception {
        // CI writes 10,000 files (creating 100,000 takes minutes on a loaded 2-core machine);
        // -Dwalkit.hostile.segments=100000 runs the full case on demand.
        int count = Integer.getInteger("walkit.hostile.segments", 10_000);
        Path root = replica("0123456789abcdef");
        Path wal = root.resolve("generations/0123456789abcdef/wal");
        byte[] tiny = lz4(new byte[0]);
        for (int i = 0; i < count; i++) {
            Files.write(wal.resolve(String.format("%08x_%08x.wal.lz4", 1 + i / 1000, i % 1000 * 536)), tiny);
        }
        long t0 = System.nanoTime();
        ReplicaReport r = ReplicaVerifier.verify(root);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(r.ok());
        assertTrue(r.problems().size() < 1000, "one problem per index at most, found " + r.problems().size());
        System.out.println(count + " tiny segments verified in " + ms + " ms");
    }

    @Test
    void anUnreadableSegmentIsAProblemNotACrash() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads everything; skipping");
        Path root = replica("0123456789abcdef");
        Path seg = root.resolve("generations/0123456789abcdef/wal/00000000_00000000.wal.lz4");
        Files.write(seg, lz4(wal(512, 2, 7)));
        Files.setPosixFilePermissions(seg, PosixFilePermissions.fromString("---------"));
        ReplicaReport r = ReplicaVerifier.verify(root);
        assertTrue(r.problems().stream().anyMatch(p -> p.code() == ReplicaProblem.Code.UNREADABLE), r.problems().toString());
    }

    @Test
    void ageEncryptedFilesAreEncryptedNotCorrupt() throws Exception {
        Path root = replica("0123456789abcdef");
        Files.write(root.resolve("generations/0123456789abcdef/wal/00000000_00000000.wal.lz4"),
                "age-encryption.org/v1\n-> X25519 abc\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ReplicaReport r = ReplicaVerifier.verify(root);
        assertTrue(r.problems().stream().anyMatch(p -> p.code() == ReplicaProblem.Code.ENCRYPTED), r.problems().toString());
        assertTrue(r.problems().stream().noneMatch(p -> p.code() == ReplicaProblem.Code.BAD_COMPRESSION));
    }

    @Test
    void restoresTheV04BetaCorpusToLitestreamsExpectedDatabase() throws Exception {
        Optional<Path> corpora = SharedCorpora.find();
        Assumptions.assumeTrue(corpora.isPresent(), SharedCorpora.ABSENT);
        Path ok = corpora.get().resolve("litestream-v04-replica/restore/ok");
        ReplicaDirectory d = ReplicaDirectory.open(ok);
        assertEquals(ReplicaLayout.V04, d.layout());
        ReplicaReport r = ReplicaVerifier.verify(d);
        assertTrue(r.ok(), r.problems().toString());
        Path out = tmp.resolve("restored.db");
        assertInstanceOf(ReplicaRestore.Restored.class, ReplicaRestore.restore(d, ReplicaRestore.Target.latest(), out, false, true));
        assertArrayEquals(Files.readAllBytes(ok.resolve("0000000000000002.db")), Files.readAllBytes(out));
    }

    @Test
    void restoreNeverWritesInsideTheReplicaNorOverAnExistingFile() throws Exception {
        Path root = replica("0123456789abcdef");
        Files.write(root.resolve("generations/0123456789abcdef/wal/00000000_00000000.wal.lz4"), lz4(wal(512, 2, 7)));
        ReplicaDirectory d = ReplicaDirectory.open(root);
        assertThrows(IllegalArgumentException.class,
                () -> ReplicaRestore.restore(d, ReplicaRestore.Target.latest(), root.resolve("x.db"), true, true));
        Path out = tmp.resolve("exists.db");
        Files.write(out, new byte[] {42});
        assertThrows(IllegalArgumentException.class, () -> ReplicaRestore.restore(d, ReplicaRestore.Target.latest(), out, false, true));
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(out));
        assertInstanceOf(ReplicaRestore.Restored.class, ReplicaRestore.restore(d, ReplicaRestore.Target.latest(), out, true, true));
        assertEquals(512, Files.size(out));
    }
}
