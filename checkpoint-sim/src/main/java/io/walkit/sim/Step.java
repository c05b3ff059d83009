package io.walkit.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One step of a scenario, printable as one line of the scenario script (see {@link ScenarioParser}
 * and docs/sim.md). {@link #script()} and the parser are inverses, and {@code toString()} is the
 * script line. Every step is an immutable value ({@code equals}/{@code hashCode} by content, page
 * lists and page images copied on the way in and never exposed mutable); thread-safe.
 */
public sealed interface Step {

    /**
     * The step as a script line.
     *
     * @return one line, without a line terminator, that {@link ScenarioParser} reads back as this step
     */
    String script();

    /**
     * The connection the step acts for, or null for steps of the storage or the harness (crash, copy, check).
     *
     * @return the connection's name, or null
     */
    default String connection() {
        return null;
    }

    /**
     * {@code begin R1}: R1 begins a read transaction.
     *
     * @param conn the connection
     */
    record Begin(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public Begin { Objects.requireNonNull(conn); }
        @Override public String script() { return "begin " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code end R1}: R1 ends its read transaction.
     *
     * @param conn the connection
     */
    record End(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public End { Objects.requireNonNull(conn); }
        @Override public String script() { return "end " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code commit W pages 2,7 size 9}: W commits a transaction writing those pages, leaving the
     * database {@code size} pages long. {@code images}, when not null, holds real page images
     * (parallel to {@code pages}); the script form cannot carry them.
     *
     * @param conn   the committing connection
     * @param pages  page numbers written (1-based), in the order given
     * @param size   the database size in pages after the commit
     * @param images page images parallel to {@code pages}, or null for synthetic pages
     */
    record Commit(String conn, List<Integer> pages, int size, List<byte[]> images) implements Step {
        /** Copies the lists (and page images); checks that images, if any, parallel the pages. */
        public Commit {
            Objects.requireNonNull(conn);
            pages = List.copyOf(pages);
            images = copyImages(images, pages.size());
        }

        /**
         * A commit of synthetic pages.
         *
         * @param conn  the committing connection
         * @param pages page numbers written (1-based), in order
         * @param size  the database size in pages after the commit
         */
        public Commit(String conn, List<Integer> pages, int size) {
            this(conn, pages, size, null);
        }

        /**
         * Page image {@code k} (a copy), or null for a synthetic page.
         *
         * @param k 0-based index into {@code pages}
         * @return a fresh copy of the image, or null when the commit has no images
         */
        public byte[] image(int k) {
            return images == null ? null : images.get(k).clone();
        }

        /**
         * The page images, each a fresh copy (the step's own arrays never leave it).
         *
         * @return copies of the images parallel to {@code pages}, or null for synthetic pages
         */
        @Override public List<byte[]> images() {
            return copyImages(images, pages.size());
        }

        @Override public String script() {
            return "commit " + conn + " pages " + join(pages) + " size " + size;
        }
        @Override public String connection() { return conn; }
        @Override public boolean equals(Object o) {
            return o instanceof Commit c && conn.equals(c.conn) && pages.equals(c.pages) && size == c.size
                    && sameImages(images, c.images);
        }
        @Override public int hashCode() { return Objects.hash(conn, pages, size, imagesHash(images)); }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code commit W from 3}: W commits the pages of commit 3 of the scenario's source WAL (real
     * page images, see {@link CommitSource}).
     *
     * @param conn    the committing connection
     * @param ordinal the commit's 1-based ordinal in the source WAL
     * @param pages   page numbers written
     * @param size    the database size in pages after the commit
     * @param images  page images parallel to {@code pages}
     */
    record Replay(String conn, int ordinal, List<Integer> pages, int size, List<byte[]> images) implements Step {
        /** Copies the lists and page images. */
        public Replay {
            Objects.requireNonNull(conn);
            pages = List.copyOf(pages);
            images = copyImages(Objects.requireNonNull(images), pages.size());
        }

        /**
         * The commit this replay performs.
         *
         * @return a commit step with the same connection, pages, size and images
         */
        public Commit asCommit() {
            return new Commit(conn, pages, size, images);
        }

        /**
         * The page images, each a fresh copy (the step's own arrays never leave it).
         *
         * @return copies of the images parallel to {@code pages}
         */
        @Override public List<byte[]> images() {
            return copyImages(images, pages.size());
        }

        @Override public String script() { return "commit " + conn + " from " + ordinal; }
        @Override public String connection() { return conn; }
        @Override public boolean equals(Object o) {
            return o instanceof Replay r && conn.equals(r.conn) && ordinal == r.ordinal && pages.equals(r.pages)
                    && size == r.size && sameImages(images, r.images);
        }
        @Override public int hashCode() { return Objects.hash(conn, ordinal, pages, size, imagesHash(images)); }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code spill W pages 4,5}: W's open write transaction spills those pages to the WAL before
     * commit (cache pressure: non-commit frames, an in-place overwrite of a page it spilled before,
     * zero-salt frames after an overwrite; see {@link WalSim#spill}). A later {@code commit W}
     * completes the transaction, {@code rollback W} abandons it.
     *
     * @param conn  the writing connection
     * @param pages page numbers spilled, in order (a page may repeat)
     */
    record Spill(String conn, List<Integer> pages) implements Step {
        /** Copies the list. */
        public Spill {
            Objects.requireNonNull(conn);
            pages = List.copyOf(pages);
        }
        @Override public String script() { return "spill " + conn + " pages " + join(pages); }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code native-order W be}: W runs on a big-endian host (le: little-endian, the default): a
     * WAL header W writes gets magic 0x377f0683; appends keep the existing header's word order.
     *
     * @param conn      the connection
     * @param bigEndian whether its host is big-endian
     */
    record NativeOrder(String conn, boolean bigEndian) implements Step {
        /** A step; {@code conn} must not be null. */
        public NativeOrder { Objects.requireNonNull(conn); }
        @Override public String script() { return "native-order " + conn + (bigEndian ? " be" : " le"); }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code write-lock W}: W takes the WRITE lock and keeps it (BEGIN IMMEDIATE).
     *
     * @param conn the connection
     */
    record WriteLock(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public WriteLock { Objects.requireNonNull(conn); }
        @Override public String script() { return "write-lock " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code rollback W}: W rolls back its open transaction.
     *
     * @param conn the connection
     */
    record Rollback(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public Rollback { Objects.requireNonNull(conn); }
        @Override public String script() { return "rollback " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code checkpoint C PASSIVE}: PRAGMA wal_checkpoint(PASSIVE) on C with busy_timeout=0;
     * {@code checkpoint C FULL wait}: with a busy handler that outlasts the readers and the writer.
     *
     * @param conn         the checkpointing connection
     * @param mode         the checkpoint mode
     * @param waitSucceeds whether the busy handler outlasts whoever it waits for
     */
    record Checkpoint(String conn, CheckpointMode mode, boolean waitSucceeds) implements Step {
        /** A step; {@code conn} and {@code mode} must not be null. */
        public Checkpoint {
            Objects.requireNonNull(conn);
            Objects.requireNonNull(mode);
        }

        /**
         * A checkpoint with busy_timeout=0.
         *
         * @param conn the checkpointing connection
         * @param mode the checkpoint mode
         */
        public Checkpoint(String conn, CheckpointMode mode) {
            this(conn, mode, false);
        }

        @Override public String script() { return "checkpoint " + conn + " " + mode + (waitSucceeds ? " wait" : ""); }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code ckpt-begin C PASSIVE [wait]}: the first sub-step of a checkpoint (CKPT, WRITE for FULL
     * and up, the wal-index header snapshot); other connections may act before {@code ckpt-marks},
     * {@code ckpt-copy} and {@code ckpt-end} continue it (docs/wal-reset-race.md).
     *
     * @param conn         the checkpointing connection
     * @param mode         the checkpoint mode
     * @param waitSucceeds whether the busy handler outlasts whoever it waits for
     */
    record CkptBegin(String conn, CheckpointMode mode, boolean waitSucceeds) implements Step {
        /** A step; {@code conn} and {@code mode} must not be null. */
        public CkptBegin {
            Objects.requireNonNull(conn);
            Objects.requireNonNull(mode);
        }

        @Override public String script() { return "ckpt-begin " + conn + " " + mode + (waitSucceeds ? " wait" : ""); }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code ckpt-marks C}: C's checkpoint tests nBackfill, walks the read marks and builds its iterator.
     *
     * @param conn the checkpointing connection
     */
    record CkptMarks(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public CkptMarks { Objects.requireNonNull(conn); }
        @Override public String script() { return "ckpt-marks " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code ckpt-copy C}: C's checkpoint backfills under READ0 (the rule's salt re-check first).
     *
     * @param conn the checkpointing connection
     */
    record CkptCopy(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public CkptCopy { Objects.requireNonNull(conn); }
        @Override public String script() { return "ckpt-copy " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code ckpt-end C}: C's checkpoint completes (FULL and up) and returns its result row.
     *
     * @param conn the checkpointing connection
     */
    record CkptEnd(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public CkptEnd { Objects.requireNonNull(conn); }
        @Override public String script() { return "ckpt-end " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code restart-log W}: W, holding the WRITE lock ({@code write-lock W}), runs walRestartLog
     * before writing any frame; its later commit appends to the restarted log.
     *
     * @param conn the connection holding the WRITE lock
     */
    record RestartLog(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public RestartLog { Objects.requireNonNull(conn); }
        @Override public String script() { return "restart-log " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code close W}: W closes (the last close checkpoints and deletes the WAL).
     *
     * @param conn the connection
     */
    record Close(String conn) implements Step {
        /** A step; {@code conn} must not be null. */
        public Close { Objects.requireNonNull(conn); }
        @Override public String script() { return "close " + conn; }
        @Override public String connection() { return conn; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code crash db=lose wal=keep seed=1}: power loss.
     *
     * @param policy what each file keeps of its unsynced operations
     */
    record Crash(CrashPolicy policy) implements Step {
        /** A step; {@code policy} must not be null. */
        public Crash { Objects.requireNonNull(policy); }
        @Override public String script() { return "crash " + policy; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code crash-at ckpt-page-written 2}: the next step stops at that crash point (its 2nd pass).
     *
     * @param point      the crash point
     * @param occurrence which pass through it stops the model (1-based)
     */
    record CrashAt(CrashPoint point, int occurrence) implements Step {
        /** A step; {@code point} must not be null and {@code occurrence} at least 1. */
        public CrashAt {
            Objects.requireNonNull(point);
            if (occurrence < 1) {
                throw new IllegalArgumentException("occurrence must be at least 1, found " + occurrence);
            }
        }
        @Override public String script() { return "crash-at " + point.scriptName() + " " + occurrence; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code copy db as backup.db}: copies the current bytes of the db, WAL or -shm file.
     *
     * @param file which file
     * @param as   the copy's name
     */
    record Copy(SimFileKind file, String as) implements Step {
        /** A step; neither argument may be null. */
        public Copy {
            Objects.requireNonNull(file);
            Objects.requireNonNull(as);
        }
        @Override public String script() { return "copy " + file.scriptName() + " as " + as; }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code check backup.db backup.db-wal}: what a database opened from copied files contains.
     *
     * @param db  the database copy's name
     * @param wal the WAL copy's name, or null to read the database alone
     */
    record Check(String db, String wal) implements Step {
        /** A step; {@code db} must not be null. */
        public Check { Objects.requireNonNull(db); }
        @Override public String script() { return "check " + db + (wal == null ? "" : " " + wal); }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code integrity backup.db backup.db-wal}: walkit's own integrity check (db-format's
     * IntegrityCheck, no SQLite) of the copied database, alone or read through the copied WAL.
     *
     * @param db  the database copy's name
     * @param wal the WAL copy's name, or null to check the database alone
     */
    record Integrity(String db, String wal) implements Step {
        /** A step; {@code db} must not be null. */
        public Integrity { Objects.requireNonNull(db); }
        @Override public String script() { return "integrity " + db + (wal == null ? "" : " " + wal); }
        @Override public String toString() { return script(); }
    }

    /**
     * {@code replicator down} / {@code replicator up}: the replicator under test
     * ({@link ReplicatorUnderTest}) stops or starts again; the model itself ignores the step.
     *
     * @param up whether the replicator starts (true) or stops (false)
     */
    record Replication(boolean up) implements Step {
        @Override public String script() { return "replicator " + (up ? "up" : "down"); }
        @Override public String toString() { return script(); }
    }

    private static String join(List<Integer> pages) {
        return pages.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<byte[]> copyImages(List<byte[]> images, int count) {
        if (images == null) {
            return null;
        }
        if (images.size() != count) {
            throw new IllegalArgumentException(images.size() + " page images for " + count + " pages");
        }
        List<byte[]> out = new ArrayList<>(images.size());
        for (byte[] b : images) {
            out.add(Objects.requireNonNull(b, "page image").clone());
        }
        return java.util.Collections.unmodifiableList(out);
    }

    private static boolean sameImages(List<byte[]> a, List<byte[]> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static int imagesHash(List<byte[]> images) {
        if (images == null) {
            return 0;
        }
        int h = 1;
        for (byte[] b : images) {
            h = 31 * h + Arrays.hashCode(b);
        }
        return h;
    }
}
