/**
 * Shadow-WAL continuity: {@link io.walkit.sim.shadow.ShadowVerifier} decides, from a replicator's
 * copy of the WAL and the WAL now, whether it can continue, must start a new shadow at frame 1, or
 * has lost its position — Litestream v0.3's {@code verify()} rules in order, then stricter checks.
 */
package io.walkit.sim.shadow;
