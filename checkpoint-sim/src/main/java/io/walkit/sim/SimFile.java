package io.walkit.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One simulated file with a storage layer that knows which writes are durable.
 *
 * <p>The file has two images: the <em>current</em> one (what every process sees through the page
 * cache) and the <em>durable</em> one (what survives a power loss). Every write, truncation and
 * deletion is applied to the current image at once and queued as a pending operation; an honest
 * {@link #sync()} makes the current image durable and empties the queue, a lying sync (the
 * {@link FsyncMode#LYING} storage) does nothing. A crash keeps any subset of the pending
 * operations, applied in order on top of the durable image, optionally tearing writes at sector
 * granularity (see {@link CrashPolicy}).
 *
 * <p>Files hold at most 2 GiB (a byte array). Not thread-safe: one {@link WalSim} owns its files
 * and drives them from one thread; there is nothing to close.
 */
public final class SimFile {

    /** Sector size used when a crash tears a write (SQLITE_DEFAULT_SECTOR_SIZE is 4096; 512 is the
     *  smallest unit a disk writes atomically, so it shows more torn states). */
    public static final int SECTOR_SIZE = 512;

    /** A pending (not yet durable) operation. */
    public sealed interface Op permits Write, Truncate, Delete {}

    /**
     * A write of {@code bytes} at {@code offset}.
     *
     * @param offset byte offset from the start of the file
     * @param bytes  the bytes written (the file's own copy; do not modify)
     */
    public record Write(long offset, byte[] bytes) implements Op {}

    /**
     * A truncation (or extension with zeros) to {@code size} bytes.
     *
     * @param size the new file size in bytes
     */
    public record Truncate(long size) implements Op {}

    /** Unlinking the file. */
    public record Delete() implements Op {}

    private final String name;
    private final FsyncMode fsyncMode;
    private byte[] current;
    private long currentSize;
    private boolean exists;
    private byte[] durable;
    private boolean durableExists;
    private final List<Op> pending = new ArrayList<>();

    /**
     * A file that does not exist yet.
     *
     * @param name      the file's name, for messages (e.g. {@code db-wal})
     * @param fsyncMode whether {@link #sync()} makes writes durable
     */
    public SimFile(String name, FsyncMode fsyncMode) {
        this.name = name;
        this.fsyncMode = fsyncMode;
        this.current = new byte[0];
        this.durable = new byte[0];
    }

    /**
     * A durable, existing file with the given content.
     *
     * @param name      the file's name, for messages
     * @param fsyncMode whether {@link #sync()} makes writes durable
     * @param content   the file's bytes (copied)
     * @return the file, with nothing pending
     */
    public static SimFile of(String name, FsyncMode fsyncMode, byte[] content) {
        SimFile f = new SimFile(name, fsyncMode);
        f.current = content.clone();
        f.currentSize = content.length;
        f.exists = true;
        f.durable = content.clone();
        f.durableExists = true;
        return f;
    }

    /**
     * The file's name (for messages and when the files are written out).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Whether the file exists in the current image.
     *
     * @return true if it exists
     */
    public boolean exists() {
        return exists;
    }

    /**
     * Size in bytes of the current image (0 when the file does not exist).
     *
     * @return the size in bytes
     */
    public long size() {
        return exists ? currentSize : 0;
    }

    /**
     * A copy of the current image (empty when the file does not exist).
     *
     * @return a fresh array
     */
    public byte[] bytes() {
        return exists ? Arrays.copyOf(current, (int) currentSize) : new byte[0];
    }

    /**
     * A copy of the durable image: what a power loss right now would leave if nothing pending survived.
     *
     * @return a fresh array (empty when the durable image has no file)
     */
    public byte[] durableBytes() {
        return durableExists ? durable.clone() : new byte[0];
    }

    /**
     * Whether the durable image has the file.
     *
     * @return true if the file would exist after a crash that kept nothing pending
     */
    public boolean durableExists() {
        return durableExists;
    }

    /**
     * The pending (unsynced) operations, oldest first.
     *
     * @return an immutable copy (empty after a sync)
     */
    public List<Op> pending() {
        return List.copyOf(pending);
    }

    /**
     * Reads {@code length} bytes at {@code offset} of the current image; bytes past the end read as zero.
     *
     * @param offset byte offset from the start of the file
     * @param length number of bytes
     * @return a fresh array of {@code length} bytes
     */
    public byte[] read(long offset, int length) {
        byte[] out = new byte[length];
        if (exists && offset < currentSize) {
            int n = (int) Math.min(length, currentSize - offset);
            System.arraycopy(current, (int) offset, out, 0, n);
        }
        return out;
    }

    /**
     * Writes {@code bytes} at {@code offset}, creating or extending the file; the write is pending
     * until the next honest sync.
     *
     * @param offset byte offset from the start of the file
     * @param bytes  the bytes (copied)
     */
    public void write(long offset, byte[] bytes) {
        Op op = new Write(offset, bytes.clone());
        pending.add(op);
        if (!exists) {
            exists = true;
            current = new byte[0];
            currentSize = 0;
        }
        long end = offset + bytes.length;
        if (end > currentSize) {
            ensure(end);
            currentSize = end;
        }
        System.arraycopy(bytes, 0, current, (int) offset, bytes.length);
    }

    /**
     * Truncates (or zero-extends) the file to {@code size} bytes; a no-op on a missing file.
     *
     * @param size the new size in bytes
     */
    public void truncate(long size) {
        if (!exists) {
            return;
        }
        pending.add(new Truncate(size));
        ensure(size);
        if (size < currentSize) {
            Arrays.fill(current, (int) size, (int) currentSize, (byte) 0);
        }
        currentSize = size;
    }

    /** Unlinks the file (pending until a sync); a no-op on a missing file. */
    public void delete() {
        if (!exists) {
            return;
        }
        pending.add(new Delete());
        exists = false;
        current = new byte[0];
        currentSize = 0;
    }

    /** fsync: honest storage makes the current image durable; lying storage ignores it. */
    public void sync() {
        if (fsyncMode == FsyncMode.LYING) {
            return;
        }
        syncHonestly();
    }

    /** Makes the current image durable regardless of the fsync mode (a clean shutdown, or the
     *  directory sync of an unlink). */
    public void syncHonestly() {
        pending.clear();
        durableExists = exists;
        durable = bytes();
    }

    /**
     * Power loss: the durable image becomes the durable one plus the pending operations the policy
     * keeps, and the current image becomes that.
     *
     * @param fate   which pending operations survive
     * @param random the source of the RANDOM and TORN choices
     * @return how many pending operations (or torn sectors) were kept, for the step log
     */
    public String crash(CrashPolicy.FileFate fate, RandomGenerator random) {
        return crash(fate, random, 0);
    }

    /**
     * As {@link #crash(CrashPolicy.FileFate, RandomGenerator)}; {@code mask} selects the kept operations for SUBSET.
     *
     * @param fate   which pending operations survive
     * @param random the source of the RANDOM and TORN choices
     * @param mask   for SUBSET: bit i set keeps pending operation i (0-based, oldest first); operations
     *               past the 64th are lost
     * @return how many pending operations (or torn sectors) were kept, for the step log
     */
    public String crash(CrashPolicy.FileFate fate, RandomGenerator random, long mask) {
        byte[] img = durable.clone();
        long size = durableExists ? img.length : 0;
        boolean ex = durableExists;
        int kept = 0;
        int total = pending.size();
        int index = 0;
        for (Op op : pending) {
            int i = index++;
            boolean keep = switch (fate) {
                case KEEP -> true;
                case LOSE -> false;
                case RANDOM, TORN -> random.nextBoolean();
                case SUBSET -> i < 64 && (mask >>> i & 1) != 0;
            };
            if (fate == CrashPolicy.FileFate.TORN && op instanceof Write w) {
                // Tear the write: each sector of it independently reaches the disk or not.
                for (int at = 0; at < w.bytes().length; at += SECTOR_SIZE) {
                    if (!random.nextBoolean()) {
                        continue;
                    }
                    int len = Math.min(SECTOR_SIZE, w.bytes().length - at);
                    if (!ex) {
                        ex = true;
                        size = 0;
                    }
                    long end = w.offset() + at + len;
                    if (end > img.length) {
                        img = Arrays.copyOf(img, (int) end);
                    }
                    size = Math.max(size, end);
                    System.arraycopy(w.bytes(), at, img, (int) (w.offset() + at), len);
                    kept++;
                }
                continue;
            }
            if (!keep) {
                continue;
            }
            kept++;
            switch (op) {
                case Write w -> {
                    if (!ex) {
                        ex = true;
                        size = 0;
                        img = new byte[0];
                    }
                    long end = w.offset() + w.bytes().length;
                    if (end > img.length) {
                        img = Arrays.copyOf(img, (int) end);
                    }
                    size = Math.max(size, end);
                    System.arraycopy(w.bytes(), 0, img, (int) w.offset(), w.bytes().length);
                }
                case Truncate t -> {
                    if (ex) {
                        img = Arrays.copyOf(img, (int) Math.max(img.length, t.size()));
                        Arrays.fill(img, (int) Math.min(t.size(), img.length), img.length, (byte) 0);
                        size = t.size();
                    }
                }
                case Delete d -> {
                    ex = false;
                    size = 0;
                    img = new byte[0];
                }
            }
        }
        img = Arrays.copyOf(img, (int) size);
        pending.clear();
        durable = img;
        durableExists = ex;
        current = img.clone();
        currentSize = img.length;
        exists = ex;
        return (fate == CrashPolicy.FileFate.TORN ? kept + " sectors" : kept + "/" + total + " ops") + " kept";
    }

    /**
     * A deep copy (used to take "copy file now" snapshots and to fork states in tests).
     *
     * @return an independent file with the same images and pending operations
     */
    public SimFile copy() {
        SimFile f = new SimFile(name, fsyncMode);
        f.current = bytes();
        f.currentSize = f.current.length;
        f.exists = exists;
        f.durable = durableBytes();
        f.durableExists = durableExists;
        f.pending.addAll(pending);
        return f;
    }

    private void ensure(long size) {
        if (size > current.length) {
            current = Arrays.copyOf(current, (int) Math.max(size, current.length * 2L));
        }
    }
}
