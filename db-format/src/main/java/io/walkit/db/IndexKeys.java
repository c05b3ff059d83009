package io.walkit.db;

import java.util.Arrays;

/**
 * Exact, allocation-light index keys for {@link IntegrityCheck}'s row-level cross-check: a key is a
 * byte string built value by value with the same normalisation the check has always applied (NULL
 * and NaN reals are NULL; a real with an integral value below 9.2e18 in magnitude equals that
 * integer; text compares as the decoded Java string; blobs byte for byte), and a set of such keys is
 * an open-addressing table over one byte arena. Lookups compare the bytes after a hash match, so a
 * hash collision can neither hide nor invent a missing index entry.
 *
 * <p>Value encoding (each value self-delimiting, so equal byte strings mean equal value
 * sequences): {@code 0} NULL; {@code 1} + 8 bytes integer; {@code 2} + 8 bytes IEEE-754 bits of a
 * non-integral real; {@code 3} + 4-byte length + UTF-16 code units of text; {@code 4} + 4-byte
 * length + bytes of a blob; {@code 5} + 4-byte length + UTF-16 of any other value's string form.
 */
final class IndexKeys {

    private IndexKeys() {
    }

    /** A reusable key under construction. */
    static final class Builder {
        byte[] buf = new byte[64];
        int len;

        void reset() {
            len = 0;
        }

        private void ensure(long extra) {
            long need = len + extra;
            if (need > buf.length) {
                if (need > Integer.MAX_VALUE - 16) {
                    throw new OutOfMemoryError("index key of " + need + " bytes");
                }
                buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16, 2L * buf.length)));
            }
        }

        private void putLong(long x) {
            for (int s = 56; s >= 0; s -= 8) {
                buf[len++] = (byte) (x >>> s);
            }
        }

        private void putInt(int x) {
            buf[len++] = (byte) (x >>> 24);
            buf[len++] = (byte) (x >>> 16);
            buf[len++] = (byte) (x >>> 8);
            buf[len++] = (byte) x;
        }

        void nul() {
            ensure(1);
            buf[len++] = 0;
        }

        void integer(long x) {
            ensure(9);
            buf[len++] = 1;
            putLong(x);
        }

        void real(double d) {
            if (d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                integer((long) d);
            } else {
                ensure(9);
                buf[len++] = 2;
                putLong(Double.doubleToLongBits(d));
            }
        }

        void chars(int tag, String s) {
            ensure(5 + 2L * s.length());
            buf[len++] = (byte) tag;
            putInt(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                buf[len++] = (byte) (c >>> 8);
                buf[len++] = (byte) c;
            }
        }

        void blob(byte[] b) {
            ensure(5L + b.length);
            buf[len++] = 4;
            putInt(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        /** Appends a materialised value ({@code null}, Long, Double, String, byte[]). */
        void value(Object o) {
            switch (o) {
                case null -> nul();
                case Long l -> integer(l);
                case Double d -> real(d);
                case String s -> chars(3, s);
                case byte[] b -> blob(b);
                default -> chars(5, String.valueOf(o));
            }
        }

        /** Appends column {@code i} of {@code r} exactly as {@link #value} would append {@code r.value(i)}. */
        void column(Record r, int i) {
            if (i >= r.columnCount()) {
                nul();
                return;
            }
            long t = r.serialType(i);
            if (t == 0 || t == 10 || t == 11) {
                nul();
            } else if (t == 7) {
                double d = r.getDouble(i);
                if (Double.isNaN(d)) {
                    nul();
                } else {
                    real(d);
                }
            } else if (t <= 9) {
                integer(r.getLong(i));
            } else if ((t & 1) == 1) {
                chars(3, r.getText(i));
            } else {
                blob(r.getBytes(i));
            }
        }

        long hash() {
            long h = 0x9E37_79B9_7F4A_7C15L ^ len;
            for (int i = 0; i < len; i++) {
                h = (h ^ (buf[i] & 0xFF)) * 0x100_0000_01B3L;
            }
            h ^= h >>> 33;
            h *= 0xFF51_AFD7_ED55_8CCDL;
            h ^= h >>> 33;
            return h;
        }

        boolean sameAs(Builder o) {
            return Arrays.equals(buf, 0, len, o.buf, 0, o.len);
        }

        void copyFrom(Builder o) {
            reset();
            ensure(o.len);
            System.arraycopy(o.buf, 0, buf, 0, o.len);
            len = o.len;
        }
    }

    /** A set of keys: open addressing over hash codes, key bytes in one arena, compared on every hash match. */
    static final class Set {
        private long[] hashes = new long[16];
        /** Arena offset + 1 of each slot's key, 0 when empty. */
        private long[] offsets = new long[16];
        private byte[][] arena = {new byte[1 << 12]};
        private int chunk;
        private int chunkLen;
        private int size;

        private static final int CHUNK_BITS = 24;

        boolean add(Builder k) {
            long h = k.hash();
            int mask = hashes.length - 1;
            for (int s = (int) h & mask; ; s = (s + 1) & mask) {
                if (offsets[s] == 0) {
                    offsets[s] = store(k) + 1;
                    hashes[s] = h;
                    if (++size * 2 > hashes.length) {
                        grow();
                    }
                    return true;
                }
                if (hashes[s] == h && equal(offsets[s] - 1, k)) {
                    return false;
                }
            }
        }

        boolean contains(Builder k) {
            long h = k.hash();
            int mask = hashes.length - 1;
            for (int s = (int) h & mask; ; s = (s + 1) & mask) {
                if (offsets[s] == 0) {
                    return false;
                }
                if (hashes[s] == h && equal(offsets[s] - 1, k)) {
                    return true;
                }
            }
        }

        /** Stores {@code 4-byte length + bytes} contiguously in one chunk; returns its position. */
        private long store(Builder k) {
            int need = 4 + k.len;
            byte[] c = arena[chunk];
            if (chunkLen + need > c.length) {
                if (chunkLen == 0 || c.length < (1 << CHUNK_BITS) && need <= (1 << CHUNK_BITS) - chunkLen) {
                    // Grow the current chunk in place (it has room to grow or holds nothing yet).
                    long want = Math.max((long) chunkLen + need, Math.min(1L << CHUNK_BITS, 2L * c.length));
                    if (want > Integer.MAX_VALUE - 16) {
                        throw new OutOfMemoryError("index key of " + k.len + " bytes");
                    }
                    c = Arrays.copyOf(c, (int) want);
                } else {
                    chunk++;
                    chunkLen = 0;
                    if (chunk == arena.length) {
                        arena = Arrays.copyOf(arena, arena.length * 2);
                    }
                    c = new byte[Math.max(need, 1 << 12)];
                }
                arena[chunk] = c;
            }
            long pos = ((long) chunk << 32) | chunkLen;
            c[chunkLen] = (byte) (k.len >>> 24);
            c[chunkLen + 1] = (byte) (k.len >>> 16);
            c[chunkLen + 2] = (byte) (k.len >>> 8);
            c[chunkLen + 3] = (byte) k.len;
            System.arraycopy(k.buf, 0, c, chunkLen + 4, k.len);
            chunkLen += need;
            return pos;
        }

        private boolean equal(long pos, Builder k) {
            byte[] c = arena[(int) (pos >>> 32)];
            int p = (int) pos;
            int n = ((c[p] & 0xFF) << 24) | ((c[p + 1] & 0xFF) << 16) | ((c[p + 2] & 0xFF) << 8) | (c[p + 3] & 0xFF);
            return n == k.len && Arrays.equals(c, p + 4, p + 4 + n, k.buf, 0, n);
        }

        private void grow() {
            long[] oldH = hashes;
            long[] oldO = offsets;
            if (oldH.length >= 1 << 30) {
                throw new OutOfMemoryError("index key set of " + size + " keys");
            }
            hashes = new long[oldH.length * 2];
            offsets = new long[oldH.length * 2];
            int mask = hashes.length - 1;
            for (int i = 0; i < oldH.length; i++) {
                if (oldO[i] != 0) {
                    int s = (int) oldH[i] & mask;
                    while (offsets[s] != 0) {
                        s = (s + 1) & mask;
                    }
                    hashes[s] = oldH[i];
                    offsets[s] = oldO[i];
                }
            }
        }
    }
}
