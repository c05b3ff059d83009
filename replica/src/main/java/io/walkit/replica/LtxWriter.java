package io.walkit.replica;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * Encodes LTX files in any {@link LtxEncoding}: the encoder beside {@link LtxFile}'s decoder (tests
 * make LTX cases with it; a restore could emit it). Computes the page index, the file checksum and,
 * for snapshots with checksums, the post-apply database checksum. Stateless; thread-safe.
 */
public final class LtxWriter {

    /** V3 page style: an LZ4 block with a size field (Litestream v0.5.16+), or one LZ4 frame per page (v0.5.0–0.5.15). */
    public enum V3Style {
        /** Flag bit 0 set: u32 size + LZ4 block. */
        BLOCK,
        /** Flag 0: one LZ4 frame per page. */
        FRAME
    }

    private LtxWriter() {}

    /**
     * Encodes a file.
     *
     * @param encoding          the page encoding ({@link LtxEncoding#V1_LZ4} sets header flag bit 0)
     * @param style             for V3: the page style
     * @param header            the header (its flags' bit 0 is set or cleared to match the encoding)
     * @param pages             page number to page bytes, every page {@code header.pageSize()} long
     * @param postApplyChecksum the trailer's post-apply checksum; for a snapshot with checksums,
     *                          {@code 0} means "compute it from the pages"
     * @return a file
     */
    public static byte[] encode(LtxEncoding encoding, V3Style style, LtxHeader header, SortedMap<Integer, byte[]> pages,
            long postApplyChecksum) {
        int flags = encoding == LtxEncoding.V1_LZ4 ? header.flags() | LtxHeader.FLAG_COMPRESS_LZ4
                : header.flags() & ~LtxHeader.FLAG_COMPRESS_LZ4;
        LtxHeader h = new LtxHeader(header.magic(), flags, header.pageSize(), header.commit(), header.minTxid(), header.maxTxid(),
                header.timestamp(), header.preApplyChecksum(), header.walOffset(), header.walSize(), header.walSalt1(),
                header.walSalt2(), header.nodeId());
        byte[] hb = h.encode();
        long crc = Crc64.update(0, hb, 0, hb.length);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(hb);
        ByteArrayOutputStream blockBuf = new ByteArrayOutputStream();
        ByteArrayOutputStream body = encoding == LtxEncoding.V1_LZ4 ? blockBuf : file;
        List<long[]> index = new ArrayList<>();
        long db = LtxHeader.CHECKSUM_FLAG;
        LZ4Compressor comp = LZ4Factory.safeInstance().fastCompressor();
        int hs = encoding.pageHeaderSize();
        for (Map.Entry<Integer, byte[]> e : pages.entrySet()) {
            int pgno = e.getKey();
            byte[] page = e.getValue();
            long offset = body.size();
            byte[] ph = new byte[hs];
            putInt(ph, 0, pgno);
            if (encoding == LtxEncoding.V3 && style == V3Style.BLOCK) {
                ph[5] = 1;
            }
            body.writeBytes(ph);
            crc = Crc64.update(crc, ph, 0, hs);
            switch (encoding) {
                case V1, V1_LZ4 -> body.writeBytes(page);
                case V2 -> body.writeBytes(frame(page));
                case V3 -> {
                    if (style == V3Style.BLOCK) {
                        byte[] c = comp.compress(page);
                        byte[] sz = new byte[4];
                        putInt(sz, 0, c.length);
                        body.writeBytes(sz);
                        crc = Crc64.update(crc, sz, 0, 4);
                        body.writeBytes(c);
                    } else {
                        body.writeBytes(frame(page));
                    }
                }
            }
            crc = Crc64.update(crc, page, 0, page.length);
            index.add(new long[] {Integer.toUnsignedLong(pgno), offset, body.size() - offset});
            if (h.isSnapshot() && Integer.toUnsignedLong(pgno) != h.lockPageNumber()) {
                db = LtxChecksum.fold(db, LtxChecksum.page(pgno, page));
            }
        }
        byte[] zero = new byte[hs];
        body.writeBytes(zero);
        crc = Crc64.update(crc, zero, 0, hs);
        if (encoding == LtxEncoding.V1_LZ4) {
            file.writeBytes(frame(blockBuf.toByteArray()));
        }
        if (encoding == LtxEncoding.V2 || encoding == LtxEncoding.V3) {
            ByteArrayOutputStream idx = new ByteArrayOutputStream();
            for (long[] en : index) {
                uvarint(idx, en[0]);
                uvarint(idx, en[1]);
                uvarint(idx, en[2]);
            }
            uvarint(idx, 0);
            byte[] ib = idx.toByteArray();
            byte[] size = new byte[8];
            putLong(size, 0, ib.length);
            file.writeBytes(ib);
            file.writeBytes(size);
            crc = Crc64.update(crc, ib, 0, ib.length);
            crc = Crc64.update(crc, size, 0, 8);
        }
        long post = postApplyChecksum;
        if (post == 0 && h.isSnapshot() && !h.noChecksum()) {
            post = db;
        }
        byte[] trailer = new byte[16];
        putLong(trailer, 0, post);
        crc = Crc64.update(crc, trailer, 0, 8);
        putLong(trailer, 8, LtxHeader.CHECKSUM_FLAG | crc);
        file.writeBytes(trailer);
        return file.toByteArray();
    }

    /** One LZ4 frame as superfly/ltx writes it (64 KiB independent blocks, content checksum). */
    static byte[] frame(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream z = new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a heap stream does not fail
        }
        return out.toByteArray();
    }

    private static void uvarint(ByteArrayOutputStream out, long v) {
        while (Long.compareUnsigned(v, 0x80) >= 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) (v >>> 32));
        putInt(b, p + 4, (int) v);
    }
}
