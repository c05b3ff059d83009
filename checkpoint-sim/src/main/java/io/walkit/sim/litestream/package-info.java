/**
 * A Litestream v0.3 replicator modelled over the WAL protocol model
 * ({@link io.walkit.sim.litestream.Replicator}), and the failure modes of its issue tracker that the
 * model can replay ({@link io.walkit.sim.litestream.Catalogue}).
 */
package io.walkit.sim.litestream;
