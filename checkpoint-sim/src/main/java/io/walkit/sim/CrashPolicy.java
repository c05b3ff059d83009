package io.walkit.sim;

/**
 * What a simulated power loss does to each file's unsynced operations.
 *
 * @param db      fate of the database file's pending operations
 * @param wal     fate of the WAL file's pending operations
 * @param seed    seed for {@link FileFate#RANDOM} and {@link FileFate#TORN}
 * @param dbMask  for {@link FileFate#SUBSET}: bit i keeps the database file's i-th pending operation
 * @param walMask for {@link FileFate#SUBSET}: bit i keeps the WAL file's i-th pending operation
 *
 * <p>An immutable value; thread-safe. {@code toString()} is the policy's script form.
 */
public record CrashPolicy(FileFate db, FileFate wal, long seed, long dbMask, long walMask) {

    /**
     * A policy without explicit subsets.
     *
     * @param db   fate of the database file's pending operations
     * @param wal  fate of the WAL file's pending operations
     * @param seed seed for {@link FileFate#RANDOM} and {@link FileFate#TORN}
     */
    public CrashPolicy(FileFate db, FileFate wal, long seed) {
        this(db, wal, seed, 0, 0);
    }

    /**
     * Exactly the pending operations whose bits are set survive (for exhaustive enumeration; at most 64 per file).
     *
     * @param dbMask  bit i keeps the database file's i-th (0-based, oldest first) pending operation
     * @param walMask bit i keeps the WAL file's i-th pending operation
     * @return a SUBSET policy for both files
     */
    public static CrashPolicy subset(long dbMask, long walMask) {
        return new CrashPolicy(FileFate.SUBSET, FileFate.SUBSET, 0, dbMask, walMask);
    }

    /** The fate of one file's pending operations. */
    public enum FileFate {
        /** Every pending operation reached the disk (a process crash: the page cache survives). */
        KEEP,
        /** No pending operation reached the disk. */
        LOSE,
        /** Each pending operation independently reached the disk or not (seeded). */
        RANDOM,
        /** Each sector of each pending write independently reached the disk or not (seeded). */
        TORN,
        /** Exactly the pending operations selected by the policy's mask reached the disk. */
        SUBSET
    }

    /**
     * Both files lose everything unsynced.
     *
     * @return a LOSE policy for both files
     */
    public static CrashPolicy loseUnsynced() {
        return new CrashPolicy(FileFate.LOSE, FileFate.LOSE, 0);
    }

    /**
     * Both files keep everything (process crash).
     *
     * @return a KEEP policy for both files
     */
    public static CrashPolicy keepAll() {
        return new CrashPolicy(FileFate.KEEP, FileFate.KEEP, 0);
    }

    /** Script form, e.g. {@code db=lose wal=keep}. */
    @Override
    public String toString() {
        String s = "db=" + db.name().toLowerCase() + " wal=" + wal.name().toLowerCase();
        if (db == FileFate.SUBSET || wal == FileFate.SUBSET) {
            return s + String.format(" db-mask=%x wal-mask=%x", dbMask, walMask);
        }
        return (db == FileFate.RANDOM || db == FileFate.TORN || wal == FileFate.RANDOM || wal == FileFate.TORN)
                ? s + " seed=" + seed : s;
    }
}
