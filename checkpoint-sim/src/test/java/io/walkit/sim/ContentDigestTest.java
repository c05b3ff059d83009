package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ContentDigest} equals what the real {@code sqlite3} shell's {@code .sha3sum} prints. */
class ContentDigestTest {

    @TempDir
    Path dir;

    /** Every value type, an INTEGER PRIMARY KEY, a REAL column holding integral values, names needing quotes and lowering. */
    private static final String SCHEMA_AND_ROWS = """
            CREATE TABLE t(id INTEGER PRIMARY KEY, i INT, r REAL, s TEXT, b BLOB, n);
            INSERT INTO t VALUES(1, -9223372036854775808, 2.0, 'héllo', x'00ff10', NULL);
            INSERT INTO t VALUES(7, 9223372036854775807, -0.5, '', x'', 3.25);
            INSERT INTO t(i, r, s) VALUES(42, 1e300, 'x''y');
            CREATE INDEX t_s ON t(s);
            CREATE TABLE "Mixed ""Case""\"(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
            INSERT INTO "Mixed ""Case""\" VALUES('b', 1), ('a', 2.5), ('c', NULL);
            CREATE TABLE empty(x);
            CREATE TABLE added(a);
            INSERT INTO added VALUES(1);
            ALTER TABLE added ADD COLUMN d DEFAULT 'dflt';
            INSERT INTO added VALUES(2, 'own');
            CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
            INSERT INTO seq(v) VALUES('a'), ('b');
            """;

    @Test
    void equalsSqlite3Sha3sumOnEveryValueType() throws Exception {
        Path db = make("types.db", SCHEMA_AND_ROWS);
        byte[] image = Files.readAllBytes(db);
        for (int bits : List.of(224, 256)) {
            String want = sqlite3(db, bits == 224 ? ".sha3sum" : ".sha3sum --sha3-256");
            assertEquals(Optional.of(want), ContentDigest.sha3sum(image, "types.db", bits), "SHA3-" + bits);
        }
    }

    @Test
    void equalsSha3QueryOverTheDocumentedStatements() throws Exception {
        Path db = make("q.db", SCHEMA_AND_ROWS);
        String sql = "SELECT * FROM \"added\" NOT INDEXED;SELECT * FROM \"empty\" NOT INDEXED;"
                + "SELECT * FROM \"mixed \"\"case\"\"\" NOT INDEXED;SELECT * FROM \"seq\" NOT INDEXED;"
                + "SELECT * FROM \"t\" NOT INDEXED;";
        String want = sqlite3(db, "SELECT lower(hex(sha3_query('" + sql.replace("'", "''") + "', 256)));");
        assertEquals(Optional.of(want), ContentDigest.sha3sum(Files.readAllBytes(db), "q.db", 256));
    }

    @Test
    void changesWithOneValueAndIgnoresIndexesAndFreeSpace() throws Exception {
        Path a = make("a.db", "CREATE TABLE t(x); INSERT INTO t VALUES(1),(2);");
        Path b = make("b.db", "CREATE TABLE t(x); INSERT INTO t VALUES(1),(3);");
        Path c = make("c.db", "CREATE TABLE t(x); INSERT INTO t VALUES(1),(2),(9); CREATE INDEX i ON t(x); DELETE FROM t WHERE x=9;");
        String da = ContentDigest.sha3sum(Files.readAllBytes(a), "a").orElseThrow();
        assertNotEquals(da, ContentDigest.sha3sum(Files.readAllBytes(b), "b").orElseThrow());
        assertEquals(da, ContentDigest.sha3sum(Files.readAllBytes(c), "c").orElseThrow());
    }

    @Test
    void syntheticPagesHaveNoContentDigest() {
        WalSim sim = WalSim.withSyntheticDb(WalSim.Config.defaults().withPageSize(512), 3);
        assertTrue(ContentDigest.sha3sum(sim.latestImage().toFileBytes(512), "synthetic").isEmpty());
    }

    private Path make(String name, String sql) throws Exception {
        Path db = dir.resolve(name);
        sqlite3(db, sql);
        return db;
    }

    static String sqlite3(Path db, String input) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "sqlite3 CLI not installed (apt-get install sqlite3): " + e.getMessage());
            throw e;
        }
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
