package io.walkit.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walkit.io.ByteSource;
import io.walkit.testkit.Corrupt;
import io.walkit.testkit.Seeds;
import io.walkit.testkit.Sqlite;
import io.walkit.testkit.WalSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * walkit's frame listing equals SQLite's {@code showwal} (from sqlite3-tools) for the same files:
 * page number, commit size, salts, stored checksums and showwal's re-seeded checksum verdict.
 * Skipped when {@code showwal} is not installed.
 */
class ShowwalTest {

    @TempDir
    Path tmp;

    private static final Pattern FRAME = Pattern.compile(
            "^Frame\\s+(\\d+):\\s+(\\d+)\\s+(\\d+) 0x([0-9a-f]{8}),([0-9a-f]{8}) 0x([0-9a-f]{8}),([0-9a-f]{8})\\s*(cksum-fail)?\\s*$");

    record Line(long frame, long page, long commit, int salt1, int salt2, int ck1, int ck2, boolean fail) {}

    static String showwal(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("showwal", file.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    static boolean showwalInstalled() {
        try {
            Process p = new ProcessBuilder("showwal").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static List<Line> parse(String out) {
        List<Line> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            Matcher m = FRAME.matcher(l);
            if (m.matches()) {
                lines.add(new Line(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        Integer.parseUnsignedInt(m.group(4), 16), Integer.parseUnsignedInt(m.group(5), 16),
                        Integer.parseUnsignedInt(m.group(6), 16), Integer.parseUnsignedInt(m.group(7), 16),
                        m.group(8) != null));
            }
        }
        return lines;
    }

    /** showwal's per-frame verdict: frame checksum re-seeded from the previous frame's stored checksum. */
    static boolean reseededMismatch(WalScan scan, long f) {
        long seed = f == 1 ? scan.header().storedChecksum() : scan.frameHeader(f - 1).storedChecksum();
        long c = WalChecksum.frame(scan.source().segment(), scan.frameOffset(f), scan.pageSize(),
                scan.header().bigEndianChecksum(), seed);
        return c != scan.frameHeader(f).storedChecksum();
    }

    private static final Pattern HEADER = Pattern.compile("^ 0([0-9a-f]{2}): (?:[0-9a-f]{2} ){4}\\s*(\\S+)\\s+(.*)$");

    /** showwal's WAL-header decode: field offset → value column (decimal or 0x hex). */
    static java.util.Map<Integer, Long> parseHeader(String out) {
        java.util.Map<Integer, Long> m = new java.util.HashMap<>();
        for (String l : out.split("\n")) {
            Matcher h = HEADER.matcher(l);
            if (h.matches()) {
                String v = h.group(2);
                m.put(Integer.parseInt(h.group(1), 16), v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v));
            }
        }
        return m;
    }

    static void assertSameListing(Path file, String ctx) throws Exception {
        String out = showwal(file);
        List<Line> lines = parse(out);
        try (ByteSource src = ByteSource.map(file)) {
            WalScan scan = WalScanner.scan(src);
            java.util.Map<Integer, Long> header = parseHeader(out);
            WalHeader h0 = scan.header();
            assertEquals(java.util.Map.of(0, Integer.toUnsignedLong(h0.magic()), 4, Integer.toUnsignedLong(h0.formatVersion()),
                    8, Integer.toUnsignedLong(h0.pageSize()), 12, Integer.toUnsignedLong(h0.checkpointSequence()),
                    16, Integer.toUnsignedLong(h0.salt1()), 20, Integer.toUnsignedLong(h0.salt2()),
                    24, Integer.toUnsignedLong(h0.checksum1()), 28, Integer.toUnsignedLong(h0.checksum2())), header, ctx);
            assertEquals(scan.frameCount(), lines.size(), ctx);
            for (Line l : lines) {
                WalFrameHeader h = scan.frameHeader(l.frame());
                String c = ctx + " frame " + l.frame();
                assertEquals(l.page(), Integer.toUnsignedLong(h.pageNumber()), c);
                assertEquals(l.commit(), Integer.toUnsignedLong(h.commitSize()), c);
                assertEquals(l.salt1(), h.salt1(), c);
                assertEquals(l.salt2(), h.salt2(), c);
                assertEquals(l.ck1(), h.checksum1(), c);
                assertEquals(l.ck2(), h.checksum2(), c);
                assertEquals(l.fail(), reseededMismatch(scan, l.frame()), c);
            }
        }
    }

    @Test
    void frameListingEqualsShowwalForSqliteAndWalWriterFiles() throws Exception {
        assumeTrue(showwalInstalled(), "showwal (Debian sqlite3-tools) is not installed; skipping");
        for (long seed : Seeds.get(3)) {
            Path dir = Files.createTempDirectory(tmp, "s");
            Sqlite.Capture cap = Sqlite.workload(dir, 1024, seed, 8, 5);
            assertSameListing(cap.wal(), "sqlite workload " + cap.script());
            // A damaged copy: showwal flags the damaged frame, walkit's re-seeded check agrees.
            byte[] wal = Files.readAllBytes(cap.wal());
            Path bad = dir.resolve("bad.db-wal");
            Files.write(bad, Corrupt.flip(wal, WalFormat.frameOffset(3, 1024) + 100));
            assertSameListing(bad, "flipped frame 3 " + cap.script());
            for (boolean big : new boolean[] {false, true}) {
                WalSpec spec = WalSpec.random(new SplittableRandom(seed), 512, 8, 6, true).order(
                        big ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
                Path f = dir.resolve("spec-" + big + ".db-wal");
                spec.writer().writeTo(f);
                assertSameListing(f, spec.script());
            }
        }
    }
}
