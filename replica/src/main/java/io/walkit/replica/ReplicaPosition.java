package io.walkit.replica;

/**
 * A position in a Litestream v0.3/v0.4 replica: generation, shadow-WAL index and byte offset in
 * that index's uncompressed WAL (Litestream's {@code Pos}; string form
 * {@code <generation>/<index:08x>:<offset>}, offset in decimal as Litestream prints it). Offset 0
 * with no frames applied means "the state of the snapshot / previous index".
 *
 * @param generation the 16-hex generation name
 * @param index      the shadow-WAL index
 * @param offset     bytes from the start of that index's WAL (the end of the last frame applied)
 */
public record ReplicaPosition(String generation, long index, long offset) {

    @Override
    public String toString() {
        return generation + "/" + String.format("%08x", index) + ":" + offset;
    }
}
