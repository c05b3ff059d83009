package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.SharedCorpora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walkit litestream} and {@code walkit ltx}: exit codes, JSON shape, refusal, read-only inputs. */
class LitestreamCommandTest {

    @TempDir
    Path tmp;

    static final Path FIXTURE = Path.of("../testdata/litestream-ltx/000000000000000d-000000000000000d.ltx");

    Path corpus(String rel) {
        Optional<Path> c = SharedCorpora.find();
        Assumptions.assumeTrue(c.isPresent(), SharedCorpora.ABSENT);
        return c.get().resolve(rel);
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void verifyOkReplicaExitsZeroWithOneJsonObject() {
        Path ok = corpus("litestream-v04-replica/restore/ok");
        CliRun r = CliRun.run("litestream", "verify", ok.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("{\"path\":") && r.out().strip().endsWith("}") && r.out().strip().lines().count() == 1, r.out());
        assertTrue(r.out().contains("\"ok\":true") && r.out().contains("\"layout\":\"v04\"") && r.out().contains("\"problems\":["), r.out());
    }

    @Test
    void aMissingMiddleSegmentFailsVerifyAndRestoreRefusesWritingNothing() throws Exception {
        Path copy = tmp.resolve("replica");
        copyTree(corpus("litestream-v04-replica/restore/ok"), copy);
        Files.delete(copy.resolve("generations/0000000000000000/wal/0000000000000000/0000000000002050.wal.lz4"));
        CliRun v = CliRun.run("litestream", "verify", copy.toString());
        assertEquals(1, v.code(), v.toString());
        assertTrue(v.out().contains("segment-gap"), v.out());
        Path out = tmp.resolve("out.db");
        CliRun r = CliRun.run("litestream", "restore", copy.toString(), "--output", out.toString(), "--json");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("\"ok\":false") && r.out().contains("\"lastGood\":\"0000000000000000/00000000:8272\""), r.out());
        assertTrue(r.err().startsWith("walkit: restore refused, nothing written"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void restoreWritesTheFileAndNeverOverwritesWithoutForce() throws Exception {
        Path ok = corpus("litestream-v04-replica/restore/ok");
        Path out = tmp.resolve("out.db");
        CliRun r = CliRun.run("litestream", "restore", ok.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("integrity check ok"), r.out());
        assertEquals(-1, Files.mismatch(out, ok.resolve("0000000000000002.db")));
        CliRun again = CliRun.run("litestream", "restore", ok.toString(), "-o", out.toString());
        assertEquals(2, again.code(), again.toString());
        assertEquals(0, CliRun.run("litestream", "restore", ok.toString(), "-o", out.toString(), "--force").code());
    }

    @Test
    void restoreTargetsAreExclusiveAndParsed() {
        Path ok = corpus("litestream-v04-replica/restore/ok");
        Path out = tmp.resolve("o.db");
        assertEquals(2, CliRun.run("litestream", "restore", ok.toString(), "-o", out.toString(), "--index", "1", "--timestamp",
                "2024-01-01T00:00:00Z").code());
        assertEquals(2, CliRun.run("litestream", "restore", ok.toString(), "-o", out.toString(), "--timestamp", "yesterday").code());
        assertEquals(2, CliRun.run("litestream", "restore", ok.toString(), "-o", out.toString(), "--txid", "5").code());
        assertEquals(2, CliRun.run("litestream", "restore", ok.toString(), "-o", out.toString(), "--offset", "20").code());
        CliRun r = CliRun.run("litestream", "restore", ok.toString(), "-o", out.toString(), "--index", "0", "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\"position\":\"0000000000000000/00000000:"), r.out());
    }

    @Test
    void lsListsJsonLinesWithKinds() {
        Path ok = corpus("litestream-v04-replica/restore/ok");
        CliRun r = CliRun.run("litestream", "ls", ok.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().allMatch(l -> l.startsWith("{\"kind\":")), r.out());
        assertEquals(6, r.out().lines().filter(l -> l.contains("\"kind\":\"segment\"")).count(), r.out());
    }

    @Test
    void notAReplicaIsCorruptInputAndMissingIsIoError() throws Exception {
        assertEquals(3, CliRun.run("litestream", "verify", tmp.toString()).code());
        assertEquals(4, CliRun.run("litestream", "verify", tmp.resolve("nope").toString()).code());
    }

    @Test
    void ltxVerbsReadTheFixture() throws Exception {
        CliRun v = CliRun.run("ltx", "verify", FIXTURE.toString(), "--json");
        assertEquals(0, v.code(), v.toString());
        assertTrue(v.out().contains("\"encoding\":\"v1\"") && v.out().contains("\"fileChecksum\":\"0x9496a29358326fb5\""), v.out());
        CliRun d = CliRun.run("ltx", "dump", FIXTURE.toString(), "--json");
        assertEquals(4, d.out().lines().count(), d.out());
        byte[] bad = Files.readAllBytes(FIXTURE);
        bad[5000] ^= 1;
        Path badFile = tmp.resolve("bad.ltx");
        Files.write(badFile, bad);
        CliRun b = CliRun.run("ltx", "verify", badFile.toString());
        assertEquals(1, b.code(), b.toString());
        assertTrue(b.out().contains("file checksum"), b.out());
        Files.write(badFile, new byte[10]);
        assertEquals(3, CliRun.run("ltx", "info", badFile.toString()).code());
    }
}
