/** The checkpoint and crash simulator of SQLite's WAL mode, and its Litestream replicator model. */
module io.walkit.sim {
    requires transitive io.walkit.db;
    requires transitive io.walkit.replica;
    requires it.unimi.dsi.fastutil.core;

    exports io.walkit.sim;
    exports io.walkit.sim.litestream;
}
