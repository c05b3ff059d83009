package io.walkit.forensics;

import static org.junit.jupiter.api.Assertions.fail;

import io.walkit.db.Database;
import io.walkit.io.CorruptFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile pages: a real database with deleted rows, mutated by seeded random byte flips, overwritten
 * stretches (random bytes, 0x00, 0xFF) and varint-like runs, is carved without an unchecked exception
 * (a {@link CorruptFileException} is the only accepted failure) and in bounded time. A failure prints
 * the seed and the mutation.
 */
class CarverHostileInputTest {

    @TempDir
    Path dir;

    @Test
    void mutatedDatabasesNeverThrowUnchecked() throws Exception {
        Path db = dir.resolve("base.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB)");
            s.execute("CREATE TABLE u(x, y TEXT)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<300) "
                    + "INSERT INTO t(b, c, d) SELECT printf('row%d-%s', i, hex(randomblob(i % 50))), i * 1.5, randomblob(i % 700) FROM n");
            s.execute("INSERT INTO u SELECT a, b FROM t WHERE a % 3 = 0");
            s.execute("DELETE FROM t WHERE a % 4 = 1");
            s.execute("DROP TABLE u");
        }
        byte[] base = Files.readAllBytes(db);
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] b = base.clone();
            String what;
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    int n = 1 + rnd.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        b[100 + rnd.nextInt(b.length - 100)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    what = n + " bit flips";
                }
                case 1 -> {
                    int at = 100 + rnd.nextInt(b.length - 200);
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(2000));
                    for (int i = 0; i < len; i++) {
                        b[at + i] = (byte) rnd.nextInt(256);
                    }
                    what = "random bytes at " + at + " len " + len;
                }
                case 2 -> {
                    int at = 100 + rnd.nextInt(b.length - 200);
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(3000));
                    byte fill = rnd.nextBoolean() ? (byte) 0xFF : (byte) 0x81;
                    java.util.Arrays.fill(b, at, at + len, fill);
                    what = "fill 0x" + Integer.toHexString(fill & 0xFF) + " at " + at + " len " + len;
                }
                default -> {
                    // Free-block chains and cell pointers aimed at arbitrary places.
                    int page = 1 + rnd.nextInt(b.length / 1024 - 1);
                    int hdr = page * 1024;
                    b[hdr + 1] = (byte) rnd.nextInt(256);
                    b[hdr + 2] = (byte) rnd.nextInt(256);
                    b[hdr + 5] = (byte) rnd.nextInt(256);
                    b[hdr + 6] = (byte) rnd.nextInt(256);
                    what = "page " + (page + 1) + " header freeblock/content pointers";
                }
            }
            Path m = dir.resolve("m.db");
            Files.write(m, b);
            try (Database d = Database.open(m, null, null)) {
                Carver.carve(d, m.toString());
            } catch (CorruptFileException e) {
                // a checked report is fine
            } catch (RuntimeException | StackOverflowError e) {
                fail("seed " + seed + " (" + what + "): " + e, e);
            }
        }
    }
}
