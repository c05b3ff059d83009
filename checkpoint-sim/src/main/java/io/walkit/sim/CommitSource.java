package io.walkit.sim;

import io.walkit.io.ByteSource;
import io.walkit.wal.Commit;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real page images for scenarios: a database file written by SQLite and a WAL whose commits were
 * made on top of it. Commit N of the WAL can be replayed in the model ({@code commit W from N}),
 * so the model's files are real b-tree databases that SQLite can open and check.
 *
 * @param name     display name ("real-pages.db + real-pages.db-wal")
 * @param pageSize page size from the database header
 * @param db       the database file
 * @param commits  the WAL's commits, oldest first, each a replay step by connection {@code W}
 *
 * <p>Immutable by convention (the {@code db} array is the source's own: do not modify it);
 * thread-safe once built.
 */
public record CommitSource(String name, int pageSize, byte[] db, List<Step.Replay> commits) {

    /**
     * The bundled source (the same files as testdata/sim/real-pages.db and real-pages.db-wal): a
     * 1024-byte-page table with an index, 40 rows, and a WAL of five commits made by SQLite 3.40.1.
     *
     * @return the bundled source
     * @throws IllegalStateException     if the resources are missing from the jar
     * @throws java.io.UncheckedIOException if reading them fails
     */
    public static CommitSource bundled() {
        try (var db = CommitSource.class.getResourceAsStream("real-pages.db");
             var wal = CommitSource.class.getResourceAsStream("real-pages.db-wal")) {
            if (db == null || wal == null) {
                throw new IllegalStateException("bundled real-pages resources are missing");
            }
            return load("real-pages.db + real-pages.db-wal", db.readAllBytes(), wal.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Loads a source: one replay step per commit of the WAL's valid prefix, each with the last
     * image of every page the commit wrote.
     *
     * @param name display name
     * @param db   the database file's bytes (copied)
     * @param wal  the WAL file's bytes
     * @return the source
     * @throws IllegalArgumentException if the database is shorter than its header, has an invalid
     *                                  page size or a partial page, or the WAL's page size differs
     */
    public static CommitSource load(String name, byte[] db, byte[] wal) {
        if (db.length < 100) {
            throw new IllegalArgumentException(name + ": database file shorter than its 100-byte header");
        }
        int raw = ((db[io.walkit.db.DbFormat.OFF_PAGE_SIZE] & 0xFF) << 8) | (db[io.walkit.db.DbFormat.OFF_PAGE_SIZE + 1] & 0xFF);
        int pageSize = io.walkit.db.DatabaseHeader.decodePageSize(raw);
        if (!WalFormat.isValidPageSize(pageSize) || db.length % pageSize != 0) {
            throw new IllegalArgumentException(name + ": database page size " + raw + " or size " + db.length + " is invalid");
        }
        WalScan scan = WalScanner.scan(ByteSource.of(wal, name));
        if (scan.commitCount() > 0 && scan.pageSize() != pageSize) {
            throw new IllegalArgumentException(name + ": WAL page size " + scan.pageSize() + " != database page size " + pageSize);
        }
        List<Step.Replay> commits = new ArrayList<>();
        for (Commit c : scan.commits()) {
            Map<Integer, byte[]> pages = new LinkedHashMap<>();
            for (int f = c.firstFrame(); f <= c.lastFrame(); f++) {
                pages.put(scan.frameHeader(f).pageNumber(),
                        scan.source().bytes(scan.frameOffset(f) + WalFormat.FRAME_HEADER_SIZE, pageSize));
            }
            List<Integer> pns = List.copyOf(pages.keySet());
            List<byte[]> images = List.copyOf(pages.values());
            commits.add(new Step.Replay("W", c.ordinal(), pns, c.databaseSize(), images));
        }
        return new CommitSource(name, pageSize, db.clone(), List.copyOf(commits));
    }

    /**
     * Commit {@code ordinal} (1-based) as a replay step by {@code conn}.
     *
     * @param conn    the committing connection
     * @param ordinal the commit's 1-based ordinal in the WAL
     * @return the step
     * @throws IllegalArgumentException if the WAL has no such commit
     */
    public Step.Replay replay(String conn, int ordinal) {
        if (ordinal < 1 || ordinal > commits.size()) {
            throw new IllegalArgumentException("the source WAL has " + commits.size() + " commits, not " + ordinal);
        }
        Step.Replay r = commits.get(ordinal - 1);
        return new Step.Replay(conn, ordinal, r.pages(), r.size(), r.images());
    }
}
