/** A toy replicator checked by walkit's replication oracle (uses only walkit's exported packages). */
module io.walkit.examples.toyreplicator {
    requires io.walkit.sim;

    exports io.walkit.examples.toyreplicator;
}
