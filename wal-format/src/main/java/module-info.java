/**
 * walkit's WAL and wal-index formats: the positional byte source and the one problem type
 * ({@code io.walkit.io}), and SQLite's {@code -wal} and {@code -shm} files: decoders, encoders,
 * the recovery scan, the wal-index cross-check and the WAL writer ({@code io.walkit.wal}).
 */
module io.walkit.wal {
    requires it.unimi.dsi.fastutil.core;

    exports io.walkit.io;
    exports io.walkit.wal;
}
