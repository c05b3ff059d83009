package io.walkit.replica;

/**
 * The on-disk layouts Litestream has used, as walkit tells them apart from the directory alone.
 *
 * <table>
 * <caption>Layouts</caption>
 * <tr><th>constant</th><th>written by</th><th>files</th></tr>
 * <tr><td>{@link #V03}</td><td>Litestream v0.3.5–v0.3.14 file replica</td>
 *     <td>{@code generations/<gen:16x>/snapshots/<index:08x>.snapshot.lz4},
 *         {@code generations/<gen>/wal/<index:08x>_<offset:08x>.wal.lz4}</td></tr>
 * <tr><td>{@link #V04}</td><td>Litestream v0.4.0 alpha/beta (never released)</td>
 *     <td>{@code generations/<gen:16x>/snapshots/<index:016x>.snapshot.lz4},
 *         {@code generations/<gen>/wal/<index:016x>/<offset:016x>.wal.lz4}</td></tr>
 * <tr><td>{@link #META}</td><td>Litestream v0.3 local state beside the database</td>
 *     <td>{@code .<db>-litestream/generation} (current generation name),
 *         {@code .<db>-litestream/generations/<gen>/wal/<index:08x>.wal} (uncompressed shadow WAL)</td></tr>
 * <tr><td>{@link #LTX}</td><td>Litestream v0.5+</td>
 *     <td>{@code ltx/<level>/<minTXID:016x>-<maxTXID:016x>.ltx}, level 9 = snapshots</td></tr>
 * </table>
 *
 * <p>Detection: {@code ltx/} ⇒ LTX; a {@code generation} file or a directory name
 * {@code .*-litestream} ⇒ META; {@code generations/} whose WAL directories hold 16-hex
 * sub-directories ⇒ V04, otherwise V03.
 */
public enum ReplicaLayout {
    /** Litestream v0.3 file replica. */
    V03,
    /** Litestream v0.4-beta nested layout. */
    V04,
    /** Litestream v0.3 meta directory ({@code .<db>-litestream}) with shadow WAL files. */
    META,
    /** Litestream v0.5 LTX replica. */
    LTX;

    /**
     * Lower-case name used in JSON and text output.
     *
     * @return lower-case name used in JSON and text output
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
