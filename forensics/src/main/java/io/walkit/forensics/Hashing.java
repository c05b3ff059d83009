package io.walkit.forensics;

/** 64-bit hashes of rows for the live-row and duplicate filters (FNV-1a over a canonical encoding). Stateless. */
final class Hashing {

    private static final long PRIME = 0x100000001b3L;

    private Hashing() {}

    private static long mix(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h = (h ^ (v & 0xFF)) * PRIME;
            v >>>= 8;
        }
        return h;
    }

    private static long text(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * PRIME;
        }
        return mix(h, s.length());
    }

    static long rowid(String table, long rowid) {
        long h = 0xcbf29ce484222325L;
        h = table == null ? mix(h, 7) : text(h, table);
        return mix(h, rowid);
    }

    /** Hash of {@code table} (null for none), {@code rowid} (null: not part of the key) and the values. */
    static long values(String table, Long rowid, Object[] values) {
        long h = 0xcbf29ce484222325L;
        h = table == null ? mix(h, 7) : text(h, table);
        h = rowid == null ? mix(h, 11) : mix(mix(h, 13), rowid);
        for (Object o : values) {
            h = switch (o) {
                case null -> mix(h, 1);
                case Long l -> mix(mix(h, 2), l);
                case Double x -> mix(mix(h, 3), Double.doubleToLongBits(x));
                case String s -> text(mix(h, 4), s);
                case byte[] b -> {
                    long g = mix(h, 5);
                    for (byte x : b) {
                        g = (g ^ (x & 0xFF)) * PRIME;
                    }
                    yield mix(g, b.length);
                }
                default -> text(mix(h, 6), o.toString());
            };
        }
        return mix(h, values.length);
    }
}
