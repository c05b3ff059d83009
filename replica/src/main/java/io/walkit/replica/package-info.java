/**
 * Litestream replicas: shadow-WAL continuity ({@link io.walkit.replica.ShadowVerifier}, Litestream
 * v0.3's {@code verify()} rules in order, then stricter checks) and size-limited LZ4 frame decoding
 * ({@link io.walkit.replica.Lz4Frames}) for replica files.
 */
package io.walkit.replica;
