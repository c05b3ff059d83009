package io.walkit.sim;

/**
 * The files of the model's database as a process outside SQLite sees them between two steps: the
 * database file, the WAL ({@code null} when it does not exist) and the wal-index ({@code -shm}
 * bytes as SQLite would have them; {@code null} when no connection has it). Every accessor returns
 * a fresh copy, so a replicator may keep or change what it gets. Immutable; thread-safe.
 *
 * @param pageSize the database page size in bytes
 * @param db       the database file's bytes
 * @param wal      the WAL file's bytes, or null when there is no WAL file
 * @param shm      the {@code -shm} bytes, or null when no connection has the wal-index
 */
public record LiveFiles(int pageSize, byte[] db, byte[] wal, byte[] shm) {

    /** Copies the arrays. */
    public LiveFiles {
        db = db.clone();
        wal = wal == null ? null : wal.clone();
        shm = shm == null ? null : shm.clone();
    }

    /** The model's files now. */
    static LiveFiles of(WalSim sim) {
        return new LiveFiles(sim.pageSize(), sim.dbFile().bytes(), sim.walFile().exists() ? sim.walFile().bytes() : null,
                sim.shmImage());
    }

    /**
     * The database file's bytes (a copy).
     *
     * @return a fresh array
     */
    @Override
    public byte[] db() {
        return db.clone();
    }

    /**
     * The WAL file's bytes (a copy), or null when there is no WAL file.
     *
     * @return a fresh array, or null
     */
    @Override
    public byte[] wal() {
        return wal == null ? null : wal.clone();
    }

    /**
     * The {@code -shm} bytes (a copy), or null when no connection has the wal-index.
     *
     * @return a fresh array, or null
     */
    @Override
    public byte[] shm() {
        return shm == null ? null : shm.clone();
    }

    /**
     * What a new connection would read from the database file and the WAL: the database image's bytes.
     *
     * @return a fresh array of whole pages ({@link LogicalImage#of})
     */
    public byte[] impliedDatabase() {
        return LogicalImage.of(db, wal, pageSize).toFileBytes(pageSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LiveFiles f && pageSize == f.pageSize && java.util.Arrays.equals(db, f.db)
                && java.util.Arrays.equals(wal, f.wal) && java.util.Arrays.equals(shm, f.shm);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(pageSize, java.util.Arrays.hashCode(db), java.util.Arrays.hashCode(wal),
                java.util.Arrays.hashCode(shm));
    }

    @Override
    public String toString() {
        return "LiveFiles[db " + db.length + " bytes, wal " + (wal == null ? "absent" : wal.length + " bytes") + ", shm "
                + (shm == null ? "absent" : shm.length + " bytes") + "]";
    }
}
