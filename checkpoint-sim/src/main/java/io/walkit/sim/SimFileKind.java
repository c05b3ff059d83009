package io.walkit.sim;

import java.util.Arrays;
import java.util.Optional;

/**
 * The files of one database in WAL mode that a scenario can copy: the database file, the WAL and
 * the wal-index ({@code -shm}). Immutable; thread-safe.
 */
public enum SimFileKind {
    /** The database file. */
    DB("db"),
    /** The WAL file ({@code -wal}). */
    WAL("wal"),
    /** The wal-index ({@code -shm}) as SQLite would have it (see {@link WalSim#shmImage()}). */
    SHM("shm");

    private final String scriptName;

    SimFileKind(String scriptName) {
        this.scriptName = scriptName;
    }

    /**
     * The name scripts use: {@code db}, {@code wal} or {@code shm}.
     *
     * @return the script name
     */
    public String scriptName() {
        return scriptName;
    }

    /**
     * The kind named {@code name} in scripts, if any.
     *
     * @param name a script name (exact, lowercase)
     * @return the kind, or empty
     */
    public static Optional<SimFileKind> parse(String name) {
        return Arrays.stream(values()).filter(k -> k.scriptName.equals(name)).findFirst();
    }

    /** The script name. */
    @Override
    public String toString() {
        return scriptName;
    }
}
