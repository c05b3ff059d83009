package io.walkit.testkit;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * The seeds property tests run with: a fixed list in CI, overridable with
 * {@code -Dwalkit.seeds=1,2,3} or {@code -Dwalkit.seeds=random:50} (fifty fresh seeds, printed on
 * failure through each test's messages).
 */
public final class Seeds {

    private Seeds() {}

    /** The seeds: the system property if set, else {@code defaults}. */
    public static long[] get(long... defaults) {
        String p = System.getProperty("walkit.seeds");
        if (p == null || p.isBlank()) {
            return defaults;
        }
        if (p.startsWith("random:")) {
            int n = Integer.parseInt(p.substring("random:".length()));
            return LongStream.generate(() -> java.util.concurrent.ThreadLocalRandom.current().nextLong()).limit(n).toArray();
        }
        return Arrays.stream(p.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
    }
}
