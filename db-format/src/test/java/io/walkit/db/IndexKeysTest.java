package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexKeys} against the {@code String} keys IntegrityCheck used before (kept here as the
 * reference): two value sequences give equal byte keys iff they gave equal string keys, a key read
 * straight from a record equals the key of its materialised values, and the key set answers
 * {@code contains} as a {@code HashSet<String>} does. Seeds: {@code -Dwalkit.keys.seed},
 * {@code -Dwalkit.keys.count}.
 */
class IndexKeysTest {

    private static final Object[] SPECIAL = {null, 0L, -0.0, 0.0, 1L, 1.0, -1L, -1.0, 1.5, Long.MAX_VALUE, Long.MIN_VALUE,
        9.2e18, -9.2e18, 9.1e18, (double) Long.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, "",
        "1", "I1|", "N|", "T1:a|", "a|T1:b", "\u00e9", "\ud83d\ude00", new byte[0], new byte[] {1}, new byte[] {0x49, 0x31}};

    /** The former IntegrityCheck.append: the reference normalisation. */
    private static void refAppend(StringBuilder sb, Object o) {
        switch (o) {
            case null -> sb.append("N|");
            case Long l -> sb.append('I').append(l).append('|');
            case Double d -> {
                if (d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                    sb.append('I').append(d.longValue()).append('|');
                } else {
                    sb.append('R').append(Double.doubleToLongBits(d)).append('|');
                }
            }
            case String s -> sb.append('T').append(s.length()).append(':').append(s).append('|');
            case byte[] b -> sb.append('B').append(java.util.HexFormat.of().formatHex(b)).append('|');
            default -> sb.append('?').append(o).append('|');
        }
    }

    private static String ref(List<Object> vs) {
        StringBuilder sb = new StringBuilder();
        vs.forEach(v -> refAppend(sb, v));
        return sb.toString();
    }

    private static IndexKeys.Builder key(List<Object> vs) {
        IndexKeys.Builder b = new IndexKeys.Builder();
        vs.forEach(b::value);
        return b;
    }

    private static Object randomValue(SplittableRandom rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> SPECIAL[rnd.nextInt(SPECIAL.length)];
            case 1 -> (long) rnd.nextInt(-3, 4);
            case 2 -> (double) rnd.nextInt(-3, 4) / (rnd.nextBoolean() ? 1 : 2);
            case 3 -> rnd.nextLong();
            case 4 -> Double.longBitsToDouble(rnd.nextLong());
            case 5 -> {
                StringBuilder s = new StringBuilder();
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    s.append("aI1|:N\u00e9".charAt(rnd.nextInt(7)));
                }
                yield s.toString();
            }
            case 6 -> {
                byte[] b = new byte[rnd.nextInt(4)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(-2, 3);
                }
                yield b;
            }
            default -> null;
        };
    }

    private static List<Object> randomKey(SplittableRandom rnd) {
        List<Object> vs = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            Object v = randomValue(rnd);
            // A NaN is never materialised (Record.value reads it as NULL).
            vs.add(v instanceof Double d && d.isNaN() ? null : v);
        }
        return vs;
    }

    @Test
    void byteKeysEqualExactlyWhenStringKeysDo() {
        long seed = Long.getLong("walkit.keys.seed", 20261121L);
        int count = Integer.getInteger("walkit.keys.count", 20000);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<Object>> pool = new ArrayList<>();
        IndexKeys.Set set = new IndexKeys.Set();
        Set<String> refSet = new HashSet<>();
        int equalPairs = 0;
        for (int n = 0; n < count; n++) {
            List<Object> a = rnd.nextInt(3) == 0 && !pool.isEmpty() ? perturb(pool.get(rnd.nextInt(pool.size())), rnd) : randomKey(rnd);
            List<Object> b = rnd.nextBoolean() && !pool.isEmpty() ? pool.get(rnd.nextInt(pool.size())) : randomKey(rnd);
            boolean refEq = ref(a).equals(ref(b));
            equalPairs += refEq ? 1 : 0;
            assertEquals(refEq, key(a).sameAs(key(b)), () -> "seed " + seed + ": " + show(a) + " vs " + show(b));
            if (rnd.nextBoolean()) {
                assertEquals(refSet.add(ref(a)), set.add(key(a)), () -> "seed " + seed + " add " + show(a));
                pool.add(a);
            } else {
                assertEquals(refSet.contains(ref(a)), set.contains(key(a)), () -> "seed " + seed + " contains " + show(a));
            }
        }
        // The generator must produce equal keys from different values (1 vs 1.0, -0.0 vs 0) often enough to matter.
        assertEquals(true, equalPairs > count / 50, "only " + equalPairs + " equal pairs");
    }

    /** Replaces an integer by its equal real (or the reverse), so that keys collide under the normalisation. */
    private static List<Object> perturb(List<Object> vs, SplittableRandom rnd) {
        List<Object> out = new ArrayList<>(vs);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) instanceof Long l && Math.abs(l) < 1L << 52 && rnd.nextBoolean()) {
                out.set(i, (double) l);
            } else if (out.get(i) instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.2e18 && rnd.nextBoolean()) {
                out.set(i, d.longValue());
            } else if (out.get(i) instanceof Double d && d == 0.0 && rnd.nextBoolean()) {
                out.set(i, -d);
            }
        }
        return out;
    }

    private static String show(List<Object> vs) {
        StringBuilder sb = new StringBuilder("[");
        for (Object v : vs) {
            sb.append(v instanceof byte[] b ? "x'" + java.util.HexFormat.of().formatHex(b) + "'" : v instanceof Double d ? d + "d" : v).append(", ");
        }
        return sb.append(']').toString();
    }

    @Test
    void recordColumnsGiveTheKeyOfTheirValues() {
        long seed = Long.getLong("walkit.keys.seed", 20261121L);
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (int n = 0; n < 5000; n++) {
            // Serial types 0..9 (8, 9: constants 0, 1; 7 with any bits, NaN included), short text and blobs.
            int cols = rnd.nextInt(1, 5);
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int c = 0; c < cols; c++) {
                int t = rnd.nextInt(14);
                if (t == 10 || t == 11) {
                    t = 0;
                }
                int len = 0;
                if (t == 12 || t == 13) {
                    len = rnd.nextInt(5);
                    t += 2 * len;
                }
                header.write(t);
                int size = (int) Record.bodySize(t);
                if (t == 7 && rnd.nextInt(4) == 0) {
                    long bits = rnd.nextBoolean() ? Double.doubleToRawLongBits(Double.NaN) | rnd.nextInt(8)
                            : Double.doubleToLongBits(rnd.nextInt(-3, 4));
                    for (int s = 56; s >= 0; s -= 8) {
                        body.write((int) (bits >>> s));
                    }
                    continue;
                }
                for (int i = 0; i < size; i++) {
                    body.write(t >= 13 ? "aB\u0001|"
                            .charAt(rnd.nextInt(4)) : rnd.nextInt(256));
                }
            }
            byte[] h = header.toByteArray();
            byte[] bytes = new byte[1 + h.length + body.size()];
            bytes[0] = (byte) (1 + h.length);
            System.arraycopy(h, 0, bytes, 1, h.length);
            System.arraycopy(body.toByteArray(), 0, bytes, 1 + h.length, body.size());
            Record r = new Record(StandardCharsets.UTF_8);
            assertNull(r.parse(MemorySegment.ofArray(bytes), 0, bytes.length));
            IndexKeys.Builder direct = new IndexKeys.Builder();
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < r.columnCount(); c++) {
                direct.column(r, c);
                values.add(r.value(c));
            }
            int fn = n;
            assertEquals(true, direct.sameAs(key(values)), () -> "seed " + seed + " record " + fn + ": " + show(values));
        }
    }
}
