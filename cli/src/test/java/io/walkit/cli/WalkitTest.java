package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The root command: groups are registered lazily, yet help and errors still see all of them. */
class WalkitTest {

    @Test
    void rootHelpListsEveryGroup() {
        CliRun r = CliRun.run("--help");
        assertEquals(0, r.code(), r.toString());
        for (String group : new String[] {"wal", "shm", "db", "sim", "shadow"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(group + " ")), group + " missing:\n" + r.out());
        }
    }

    @Test
    void unknownGroupIsAUsageErrorNamingIt() {
        CliRun r = CliRun.run("wall", "info");
        assertEquals(Walkit.EXIT_USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("wall"), r.err());
    }

    @Test
    void noArgumentsIsAUsageError() {
        CliRun r = CliRun.run();
        assertEquals(Walkit.EXIT_USAGE, r.code(), r.toString());
    }

    @Test
    void aNamedGroupRunsWithOnlyItselfRegistered() {
        // the named group, and help
        assertEquals(java.util.Set.of("shm", "help"), Walkit.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()), "shm").getSubcommands().keySet());
        CliRun r = CliRun.run("wal", "info", "--json", "../testdata/wal/sample.db-wal");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\"mxFrame\":12"), r.out());
    }
}
