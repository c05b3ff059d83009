/** Litestream replica semantics: shadow-WAL verification and LZ4 frames. */
module io.walkit.replica {
    requires transitive io.walkit.db;
    requires it.unimi.dsi.fastutil.core;
    requires org.lz4.java;

    exports io.walkit.replica;
}
