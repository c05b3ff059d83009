package io.walkit.testkit;

import io.walkit.wal.WalWriter;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A test builder that produces WAL bytes from a readable script, for tests in every module
 * (exported through wal-format's test-jar).
 *
 * <pre>{@code
 * byte[] wal = WalSpec.pageSize(512).bigEndian().salts(7, 9)
 *         .commit(3, 1, 2, 3)      // pages 1,2,3; database size 3 after the commit
 *         .uncommitted(2)          // a torn tail: page 2 without a commit marker
 *         .build();
 * }</pre>
 *
 * <p>Page images are deterministic pseudo-random bytes derived from the seed, the page number and
 * how many times the page was written, so two builds of one spec are identical and every version of
 * a page differs. {@link #script()} renders the steps for failure messages. Bytes come from
 * {@link WalWriter}, whose layout is proven against SQLite in {@code WalWriterSqliteTest}.
 */
public final class WalSpec {

    private final int pageSize;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private int checkpointSequence;
    private int salt1 = 0x11223344;
    private int salt2 = 0x55667788;
    private long seed = 1;
    private final List<Step> steps = new ArrayList<>();

    private sealed interface Step permits Commit, Uncommitted, Rollback, Restart {}

    private record Commit(int databaseSize, int[] pages) implements Step {}

    private record Uncommitted(int[] pages) implements Step {}

    private record Rollback() implements Step {}

    private record Restart(int salt2) implements Step {}

    private WalSpec(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Starts a spec for a WAL of {@code pageSize} bytes per page. */
    public static WalSpec pageSize(int pageSize) {
        return new WalSpec(pageSize);
    }

    /** Big-endian checksum words (magic 0x377F0683). */
    public WalSpec bigEndian() {
        order = ByteOrder.BIG_ENDIAN;
        return this;
    }

    /** Checksum word order. */
    public WalSpec order(ByteOrder order) {
        this.order = order;
        return this;
    }

    /** Header salts. */
    public WalSpec salts(int salt1, int salt2) {
        this.salt1 = salt1;
        this.salt2 = salt2;
        return this;
    }

    /** Header checkpoint sequence. */
    public WalSpec checkpointSequence(int n) {
        this.checkpointSequence = n;
        return this;
    }

    /** Seed of the page contents. */
    public WalSpec seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** A committed transaction writing {@code pages} (sorted by the writer), database size {@code databaseSize}. */
    public WalSpec commit(int databaseSize, int... pages) {
        steps.add(new Commit(databaseSize, pages.clone()));
        return this;
    }

    /** Frames without a commit marker (a spill, or a torn tail if never committed). */
    public WalSpec uncommitted(int... pages) {
        steps.add(new Uncommitted(pages.clone()));
        return this;
    }

    /** Drops frames after the last commit (their bytes stay until overwritten). */
    public WalSpec rollback() {
        steps.add(new Rollback());
        return this;
    }

    /** Restarts the log: salt-1 + 1, salt-2 = {@code newSalt2}, checkpoint sequence + 1. */
    public WalSpec restart(int newSalt2) {
        steps.add(new Restart(newSalt2));
        return this;
    }

    /** The writer after all steps. */
    public WalWriter writer() {
        WalWriter w = WalWriter.create(pageSize, order, checkpointSequence, salt1, salt2);
        java.util.Map<Integer, Integer> versions = new java.util.HashMap<>();
        for (Step s : steps) {
            switch (s) {
                case Commit c -> w.commit(images(c.pages(), versions), c.databaseSize());
                case Uncommitted u -> w.appendUncommitted(images(u.pages(), versions));
                case Rollback r -> w.rollback();
                case Restart r -> w.restart(new FixedInt(r.salt2()));
            }
        }
        return w;
    }

    /** The WAL bytes. */
    public byte[] build() {
        return writer().toByteArray();
    }

    /** The steps as a script, e.g. {@code pageSize 512 le salts 0x11223344,0x55667788; commit [1,2] size 2; ...}. */
    public String script() {
        StringBuilder sb = new StringBuilder("pageSize ").append(pageSize)
                .append(order == ByteOrder.BIG_ENDIAN ? " be" : " le")
                .append(String.format(" salts 0x%08x,0x%08x seed %d", salt1, salt2, seed));
        for (Step s : steps) {
            sb.append("; ");
            switch (s) {
                case Commit c -> sb.append("commit ").append(java.util.Arrays.toString(c.pages()))
                        .append(" size ").append(c.databaseSize());
                case Uncommitted u -> sb.append("uncommitted ").append(java.util.Arrays.toString(u.pages()));
                case Rollback r -> sb.append("rollback");
                case Restart r -> sb.append(String.format("restart salt2 0x%08x", r.salt2()));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return script();
    }

    private TreeMap<Integer, byte[]> images(int[] pages, java.util.Map<Integer, Integer> versions) {
        TreeMap<Integer, byte[]> m = new TreeMap<>();
        for (int p : pages) {
            int v = versions.merge(p, 1, Integer::sum);
            m.put(p, page(p, v));
        }
        return m;
    }

    /** The deterministic image of version {@code version} of page {@code pageNumber}. */
    public byte[] page(int pageNumber, int version) {
        byte[] b = new byte[pageSize];
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + pageNumber * 31L + version);
        r.nextBytes(b);
        return b;
    }

    /**
     * A random spec: {@code transactions} commits of 1..5 pages over pages 1..{@code maxPage}, with
     * an occasional spill, rollback, torn tail or restart when {@code allowRestarts}.
     */
    public static WalSpec random(SplittableRandom r, int pageSize, int transactions, int maxPage, boolean allowRestarts) {
        WalSpec s = pageSize(pageSize).order(r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .salts(r.nextInt(), r.nextInt()).checkpointSequence(r.nextInt(4)).seed(r.nextLong());
        int size = 1;
        for (int t = 0; t < transactions; t++) {
            int roll = r.nextInt(20);
            if (roll == 0) {
                s.uncommitted(randomPages(r, maxPage));
            } else if (roll == 1) {
                s.uncommitted(randomPages(r, maxPage)).rollback();
            } else if (roll == 2 && allowRestarts) {
                s.restart(r.nextInt());
            }
            int[] pages = randomPages(r, maxPage);
            int max = java.util.Arrays.stream(pages).max().orElse(1);
            size = Math.max(size, max);
            s.commit(size, pages);
        }
        if (r.nextInt(3) == 0) {
            s.uncommitted(randomPages(r, maxPage));
        }
        return s;
    }

    private static int[] randomPages(SplittableRandom r, int maxPage) {
        return r.ints(1 + r.nextInt(5), 1, maxPage + 1).distinct().toArray();
    }

    /** A {@link java.util.random.RandomGenerator} returning one fixed int (for scripted salts). */
    private record FixedInt(int value) implements java.util.random.RandomGenerator {
        @Override
        public long nextLong() {
            return value;
        }

        @Override
        public int nextInt() {
            return value;
        }
    }
}
