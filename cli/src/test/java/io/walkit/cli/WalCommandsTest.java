package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.testkit.Corrupt;
import io.walkit.testkit.WalSpec;
import io.walkit.wal.WalFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCommandsTest {

    @TempDir
    Path dir;

    /** Generation 1: frames 1..6; restart; generation 2: frames 1..2 (mxFrame 2); 4 stale frames. */
    private Path restartedWal(boolean bigEndian) throws Exception {
        WalSpec spec = WalSpec.pageSize(1024).salts(100, 200).checkpointSequence(3)
                .commit(2, 1, 2).commit(4, 3, 4).commit(4, 1, 4).restart(0xCAFE).commit(4, 2, 3);
        if (bigEndian) {
            spec.bigEndian();
        }
        Path p = dir.resolve((bigEndian ? "be" : "le") + ".db-wal");
        Files.write(p, spec.build());
        return p;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\"[^\"]*\"|[^,}\\]]+)").matcher(json);
        assertTrue(m.find(), "no field " + name + " in " + json);
        return m.group(1);
    }

    @Test
    void infoJsonCarriesTheIssueFields() throws Exception {
        for (boolean be : new boolean[] {false, true}) {
            CliRun r = CliRun.run("wal", "info", "--json", restartedWal(be).toString());
            assertEquals(0, r.code(), r.toString());
            String j = r.out().strip();
            assertTrue(j.startsWith("{") && j.endsWith("}"), j);
            assertEquals("1024", field(j, "pageSize"));
            assertEquals(be ? "\"big\"" : "\"little\"", field(j, "byteOrder"));
            assertEquals("3007000", field(j, "formatVersion"));
            assertEquals("4", field(j, "checkpointSequence"));
            assertEquals("\"0x00000065\"", field(j, "salt1"));
            assertEquals("\"0x0000cafe\"", field(j, "salt2"));
            assertEquals("6", field(j, "frameCount"));
            assertEquals("2", field(j, "mxFrame"));
            assertEquals("1", field(j, "commits"));
            assertEquals("0", field(j, "uncommittedTail"));
            assertEquals("\"salt-mismatch\"", field(j, "stopReason"));
            assertEquals(String.valueOf(WalFormat.frameOffset(3, 1024)), field(j, "stopOffset"));
            assertEquals("4", field(j, "staleFrames"));
            assertTrue(!j.contains("framesAfterValidPrefix"), j);
        }
    }

    @Test
    void infoTextMentionsStaleFrames() throws Exception {
        CliRun r = CliRun.run("wal", "info", restartedWal(false).toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("stale frames:       4 (4 with older salts, 0 with zero salts"), r.out());
    }

    @Test
    void staleListsTheOlderGenerationWithItsChain() throws Exception {
        CliRun r = CliRun.run("wal", "stale", "--json", restartedWal(true).toString());
        assertEquals(0, r.code(), r.toString());
        String j = r.out();
        assertEquals("4", field(j, "staleFrames"));
        assertEquals("\"other-salts\"", field(j, "kind"));
        assertEquals("\"0x00000064\"", field(j, "salt1"));
        assertEquals("\"0x000000c8\"", field(j, "salt2"));
        assertEquals("3", field(j, "firstFrame"));
        assertEquals("6", field(j, "lastFrame"));
        assertEquals("\"big\"", field(j, "byteOrder"));
        assertEquals("3", field(j, "chainValid"));
        assertEquals("1", field(j, "chainUnseeded"));
        assertTrue(j.contains("{\"frameNumber\":3,\"offset\":" + WalFormat.frameOffset(3, 1024)
                + ",\"pageNumber\":3,\"commitSize\":0,"), j);
        assertTrue(j.contains("\"chain\":\"unseeded\",\"byteOrder\":null}"), j);
        assertTrue(j.contains("\"chain\":\"valid\",\"byteOrder\":\"big\"}"), j);

        CliRun text = CliRun.run("wal", "stale", restartedWal(false).toString());
        assertEquals(0, text.code());
        assertTrue(text.out().contains("other-salts salts 0x00000064,0x000000c8: 4 frames, frames 3..6"), text.out());
    }

    @Test
    void framesJsonIsOneObjectPerLine() throws Exception {
        CliRun r = CliRun.run("wal", "frames", "--json", restartedWal(false).toString());
        assertEquals(0, r.code(), r.toString());
        String j = r.out().strip();
        assertEquals(6, j.lines().count(), j);
        assertTrue(j.lines().allMatch(l -> l.startsWith("{\"frameNumber\":") && l.endsWith("}")), j);
        assertTrue(j.contains("\"frameNumber\":2,"), j);
        assertTrue(j.contains("\"valid\":true,\"committed\":true"), j);
        assertTrue(j.contains("\"valid\":false,\"committed\":false"), j);
    }

    @Test
    void corruptHeaderExitsWithThree() throws Exception {
        Path p = dir.resolve("bad.db-wal");
        Files.write(p, Corrupt.flip(WalSpec.pageSize(512).commit(1, 1).build(), 0));
        for (String verb : new String[] {"info", "frames", "stale"}) {
            CliRun r = CliRun.run("wal", verb, p.toString());
            assertEquals(Walkit.EXIT_CORRUPT, r.code(), verb + ": " + r);
        }
        CliRun j = CliRun.run("wal", "info", "--json", p.toString());
        assertEquals("\"bad-magic\"", field(j.out(), "stopReason"));
    }

    @Test
    void emptyAndHeaderOnlyWalsAreReadable() throws Exception {
        Path empty = dir.resolve("empty.db-wal");
        Files.write(empty, new byte[0]);
        assertEquals(0, CliRun.run("wal", "info", empty.toString()).code());
        Path header = dir.resolve("header.db-wal");
        Files.write(header, Corrupt.truncate(WalSpec.pageSize(512).commit(1, 1).build(), 32));
        CliRun r = CliRun.run("wal", "stale", "--json", header.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("0", field(r.out(), "staleFrames"));
    }

    @Test
    void missingFileExitsWithFourAndUsageErrorsWithTwo() {
        for (String verb : new String[] {"info", "frames", "stale"}) {
            CliRun r = CliRun.run("wal", verb, dir.resolve("nope.db-wal").toString());
            assertEquals(Walkit.EXIT_IO, r.code(), r.toString());
            assertTrue(r.err().contains("no such file"), r.err());
            assertEquals(Walkit.EXIT_USAGE, CliRun.run("wal", verb).code());
            assertEquals(Walkit.EXIT_USAGE, CliRun.run("wal", verb, "--bogus", "x").code());
        }
        assertEquals(Walkit.EXIT_USAGE, CliRun.run("wal").code());
    }
}
