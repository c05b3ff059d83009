package io.walkit.replica;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes a real Litestream v0.3.13 file replica: a seeded random writer (inserts, updates, deletes
 * in transactions; now and then its own RESTART or TRUNCATE checkpoint) under
 * {@code litestream replicate} with small checkpoint thresholds, so the replica has many WAL
 * indexes, several snapshots and many segments.
 */
final class RealReplica {

    final Path dir;
    final Path db;
    final Path replica;
    final List<Instant> commitTimes = new ArrayList<>();
    final List<String> script = new ArrayList<>();

    private RealReplica(Path dir) {
        this.dir = dir;
        this.db = dir.resolve("app.db");
        this.replica = dir.resolve("replica");
    }

    /** Runs the writer for {@code rounds} transactions under a real replicator. */
    static RealReplica create(Path binary, Path dir, long seed, int rounds, String snapshotInterval) throws Exception {
        Files.createDirectories(dir);
        RealReplica r = new RealReplica(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Connection c = RealLitestream.open(r.db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v BLOB)");
            s.execute("CREATE INDEX t_k ON t(k)");
        }
        Path cfg = RealLitestream.config(dir, r.db, r.replica, snapshotInterval);
        try (RealLitestream.Replicator rep = new RealLitestream.Replicator(binary, cfg, dir.resolve("litestream.log"));
                Connection c = RealLitestream.open(r.db)) {
            Thread.sleep(400);
            c.setAutoCommit(false);
            long nextId = 1;
            for (int i = 0; i < rounds; i++) {
                int inserts = 1 + rnd.nextInt(25);
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO t(id, k, v) VALUES (?, ?, ?)")) {
                    for (int k = 0; k < inserts; k++) {
                        byte[] blob = new byte[40 + rnd.nextInt(900)];
                        rnd.nextBytes(blob);
                        ins.setLong(1, nextId++);
                        ins.setString(2, Long.toString(rnd.nextLong(), 36));
                        ins.setBytes(3, blob);
                        ins.executeUpdate();
                    }
                }
                int updates = rnd.nextInt(5);
                int deletes = rnd.nextInt(4);
                try (PreparedStatement up = c.prepareStatement("UPDATE t SET k = ? WHERE id = ?");
                        PreparedStatement del = c.prepareStatement("DELETE FROM t WHERE id = ?")) {
                    for (int k = 0; k < updates; k++) {
                        up.setString(1, "u" + rnd.nextInt(1000));
                        up.setLong(2, 1 + rnd.nextLong(nextId));
                        up.executeUpdate();
                    }
                    for (int k = 0; k < deletes; k++) {
                        del.setLong(1, 1 + rnd.nextLong(nextId));
                        del.executeUpdate();
                    }
                }
                c.commit();
                r.script.add("tx " + i + ": insert " + inserts + ", update " + updates + ", delete " + deletes);
                if (i % 17 == 16) {
                    c.setAutoCommit(true);
                    String mode = rnd.nextBoolean() ? "RESTART" : "TRUNCATE";
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
                        r.script.add("checkpoint " + mode + " -> busy=" + (rs.next() ? rs.getInt(1) : -1));
                    }
                    c.setAutoCommit(false);
                }
                Thread.sleep(40 + rnd.nextInt(80));
                r.commitTimes.add(Instant.now());
            }
            c.setAutoCommit(true);
            Thread.sleep(1200); // let the replicator ship the last transactions
        }
        if (!Files.isDirectory(r.replica.resolve("generations"))) {
            throw new IllegalStateException("litestream wrote no replica; log:\n" + Files.readString(dir.resolve("litestream.log")));
        }
        return r;
    }
}
