package io.walkit.replica;

/**
 * The LTX page encodings walkit reads and writes. LTX has no version field on disk (every file
 * starts "LTX1" with the same 100-byte header and ends with the same 16-byte trailer); only the page
 * block and the presence of a page index differ.
 *
 * <table>
 * <caption>Encodings</caption>
 * <tr><th>constant</th><th>superfly/ltx</th><th>page frame</th><th>page index</th></tr>
 * <tr><td>{@link #V1}</td><td>v0.3.x (LiteFS; the repository fixture)</td><td>u32 pgno + raw page</td><td>no</td></tr>
 * <tr><td>{@link #V1_LZ4}</td><td>v0.3.x with header flag bit 0</td><td>as V1, but the whole page block
 *     (terminator included) is one LZ4 frame</td><td>no</td></tr>
 * <tr><td>{@link #V2}</td><td>v0.4.0</td><td>u32 pgno + one LZ4 frame per page</td><td>yes</td></tr>
 * <tr><td>{@link #V3}</td><td>v0.5.x (Litestream v0.5)</td><td>u32 pgno + u16 flags; flags bit 0: u32 size + LZ4
 *     block, else one LZ4 frame</td><td>yes</td></tr>
 * </table>
 *
 * <p>How the decoder tells them apart: header flag bit 0 means {@link #V1_LZ4}. Otherwise, when the
 * 8 bytes before the trailer give a page-index size whose bytes parse exactly as unsigned-LEB128
 * triples ending with a 0 right before that size, the file has an index: bytes 104..107 being the
 * LZ4 frame magic {@code 04 22 4d 18} mean {@link #V2}, else a u16 flags word of 0 or 1 at 104
 * means {@link #V3}. Without an index the file is {@link #V1}.
 */
public enum LtxEncoding {
    /** 4-byte page headers, raw pages, no index. */
    V1,
    /** V1 with the page block in one LZ4 frame. */
    V1_LZ4,
    /** 4-byte page headers, one LZ4 frame per page, page index. */
    V2,
    /** 6-byte page headers (LZ4 frame, or size + LZ4 block when flag bit 0 is set), page index. */
    V3;

    /**
     * The size of a page header in this encoding.
     *
     * @return the size of a page header in this encoding
     */
    public int pageHeaderSize() {
        return this == V3 ? 6 : 4;
    }
}
