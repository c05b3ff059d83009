package io.walkit.replica;

import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalFrameHeader;
import io.walkit.wal.WalHeader;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * The last position a replicator copied: the WAL generation's salts, the page size, the last
 * copied frame (0 = only the header) and that frame's cumulative checksum (the header checksum
 * when frame is 0). The byte offset after it is {@code 32 + frame·(24 + pageSize)}.
 *
 * @param salt1    salt-1 of the copied generation
 * @param salt2    salt-2 of the copied generation
 * @param pageSize page size
 * @param frame    last copied frame (1-based), 0 for header only
 * @param checksum that frame's stored checksum, packed (see {@link WalChecksum})
 */
public record ShadowPosition(int salt1, int salt2, int pageSize, int frame, long checksum) {

    /**
     * Byte offset just after the position.
     *
     * @return the offset of the frame after {@link #frame()} in the WAL
     */
    public long offset() {
        return WalFormat.frameOffset(frame + 1L, pageSize);
    }

    /**
     * The position a shadow file ends at.
     *
     * @param shadow the shadow WAL's bytes
     * @return the position, or {@code null} when the shadow has no valid header
     */
    public static ShadowPosition of(byte[] shadow) {
        if (shadow.length < WalFormat.HEADER_SIZE) {
            return null;
        }
        WalHeader h = WalHeader.read(MemorySegment.ofArray(shadow), 0);
        if (h.status() != WalHeader.Status.OK) {
            return null;
        }
        int frames = (int) WalFormat.wholeFrames(shadow.length, h.pageSize());
        if (frames == 0) {
            return new ShadowPosition(h.salt1(), h.salt2(), h.pageSize(), 0, h.storedChecksum());
        }
        WalFrameHeader last = WalFrameHeader.read(shadow, (int) WalFormat.frameOffset(frames, h.pageSize()));
        return new ShadowPosition(h.salt1(), h.salt2(), h.pageSize(), frames, last.storedChecksum());
    }

    /**
     * Parses {@code salt1=HEX,salt2=HEX,page-size=N,frame=N,checksum=HEX:HEX} (any order; hex
     * with or without 0x).
     *
     * @param text the position as {@code salt1=…,salt2=…,page-size=…,frame=…,checksum=…:…}
     * @return the position
     */
    public static ShadowPosition parse(String text) {
        Integer s1 = null;
        Integer s2 = null;
        Integer ps = null;
        Integer fr = null;
        Long ck = null;
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, found '" + part + "'");
            }
            String v = kv[1].strip().toLowerCase(Locale.ROOT);
            switch (kv[0].strip().toLowerCase(Locale.ROOT)) {
                case "salt1" -> s1 = (int) Long.parseLong(hex(v), 16);
                case "salt2" -> s2 = (int) Long.parseLong(hex(v), 16);
                case "page-size", "pagesize" -> ps = Integer.parseInt(v);
                case "frame" -> fr = Integer.parseInt(v);
                case "checksum" -> {
                    String[] c = v.split(":");
                    if (c.length != 2) {
                        throw new IllegalArgumentException("checksum must be HEX:HEX");
                    }
                    ck = WalChecksum.pack((int) Long.parseLong(hex(c[0]), 16), (int) Long.parseLong(hex(c[1]), 16));
                }
                default -> throw new IllegalArgumentException("unknown position field '" + kv[0] + "'");
            }
        }
        if (s1 == null || s2 == null || ps == null || fr == null || ck == null) {
            throw new IllegalArgumentException("a position needs salt1, salt2, page-size, frame and checksum");
        }
        if (!WalFormat.isValidPageSize(ps) || fr < 0) {
            throw new IllegalArgumentException("page-size must be a power of two in 512..65536 and frame >= 0");
        }
        return new ShadowPosition(s1, s2, ps, fr, ck);
    }

    private static String hex(String v) {
        return v.startsWith("0x") ? v.substring(2) : v;
    }

    @Override
    public String toString() {
        return String.format("salt1=%08x,salt2=%08x,page-size=%d,frame=%d,checksum=%08x:%08x", salt1, salt2, pageSize, frame,
                WalChecksum.first(checksum), WalChecksum.second(checksum));
    }
}
