package io.walkit.sim;

/**
 * What a simulated power loss does to each file's unsynced operations.
 *
 * @param db   fate of the database file's pending operations
 * @param wal  fate of the WAL file's pending operations
 * @param seed seed for {@link FileFate#RANDOM} and {@link FileFate#TORN}
 */
public record CrashPolicy(FileFate db, FileFate wal, long seed) {

    /** The fate of one file's pending operations. */
    public enum FileFate {
        /** Every pending operation reached the disk (a process crash: the page cache survives). */
        KEEP,
        /** No pending operation reached the disk. */
        LOSE,
        /** Each pending operation independently reached the disk or not (seeded). */
        RANDOM,
        /** Each sector of each pending write independently reached the disk or not (seeded). */
        TORN
    }

    /** Both files lose everything unsynced. */
    public static CrashPolicy loseUnsynced() {
        return new CrashPolicy(FileFate.LOSE, FileFate.LOSE, 0);
    }

    /** Both files keep everything (process crash). */
    public static CrashPolicy keepAll() {
        return new CrashPolicy(FileFate.KEEP, FileFate.KEEP, 0);
    }

    /** Script form, e.g. {@code db=lose wal=keep}. */
    @Override
    public String toString() {
        String s = "db=" + db.name().toLowerCase() + " wal=" + wal.name().toLowerCase();
        return (db == FileFate.RANDOM || db == FileFate.TORN || wal == FileFate.RANDOM || wal == FileFate.TORN)
                ? s + " seed=" + seed : s;
    }
}
