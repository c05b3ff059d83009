package io.walkit.sim.litestream;

import io.walkit.io.ByteSource;
import io.walkit.sim.CheckpointMode;
import io.walkit.sim.CheckpointResult;
import io.walkit.sim.WalSim;
import io.walkit.replica.ShadowVerdict;
import io.walkit.replica.ShadowVerifier;
import io.walkit.db.PageApplier;
import io.walkit.wal.WalChain;
import io.walkit.wal.WalFrameHeader;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalHeader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Litestream v0.3 replicator modelled over a {@link WalSim} (docs/sim.md, "The Litestream v0.3 replicator model"): its
 * long-running read transaction, {@code _litestream_seq} writes, shadow WAL files with
 * generations, the sync loop ({@code verify} → {@code copyToShadowWAL}), its managed checkpoint
 * and the raw {@code PRAGMA wal_checkpoint} taken before a snapshot in v0.3.x.
 *
 * <p>Connections used in the model: {@code litestream} (the long read transaction) and
 * {@code litestream-w} (sequence-table writes and checkpoints; the Go connection pool).
 *
 * <p>Not thread-safe: it drives its {@link WalSim} from the model's one thread. It owns nothing
 * that needs closing; {@link #stop()} closes its two model connections.
 */
public final class Replicator {

    /** The read-transaction connection. */
    public static final String READER = "litestream";
    /** The pool connection that writes {@code _litestream_seq} and runs checkpoints. */
    public static final String POOL = "litestream-w";

    private final WalSim sim;
    private final int seqPage;
    private int generation;
    private int shadowIndex;
    private byte[] shadow;
    /** The generation's snapshot (the committed image when it started) and its finished shadow files. */
    private io.walkit.sim.DbImage snapshot;
    private final List<byte[]> finishedShadows = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private int generationsStarted;
    private int uncopiedFrames;

    /**
     * A replicator with no generation yet; {@link #init()} starts it.
     *
     * @param sim     the model
     * @param seqPage the 1-based page holding the {@code _litestream_seq} table (each sequence bump rewrites it)
     */
    public Replicator(WalSim sim, int seqPage) {
        this.sim = sim;
        this.seqPage = seqPage;
    }

    /**
     * Current generation number (0 = none yet).
     *
     * @return the generation, counting from 1
     */
    public int generation() {
        return generation;
    }

    /**
     * How many generations were started (each costs a full snapshot).
     *
     * @return the count
     */
    public int generationsStarted() {
        return generationsStarted;
    }

    /**
     * Committed frames of finished WAL generations that never reached a shadow file (a check Litestream lacks).
     *
     * @return the number of frames lost to the replica so far
     */
    public int uncopiedFrames() {
        return uncopiedFrames;
    }

    /**
     * Current shadow WAL index.
     *
     * @return the index within the generation, from 0
     */
    public int shadowIndex() {
        return shadowIndex;
    }

    /**
     * The current shadow WAL file's bytes (null before the first generation).
     *
     * @return a fresh copy, or null
     */
    public byte[] shadow() {
        return shadow == null ? null : shadow.clone();
    }

    /**
     * Adds a line to the replicator's log.
     *
     * @param line the message
     */
    public void note(String line) {
        log.add(line);
    }

    /**
     * Messages since the last call, then cleared.
     *
     * @return the messages, oldest first (empty if none)
     */
    public List<String> drainLog() {
        List<String> out = List.copyOf(log);
        log.clear();
        return out;
    }

    /**
     * Start-up ({@code init}): {@code verifyHeadersMatch} (a mismatch clears the generation), then
     * {@code ensureWALExists}, then the long read transaction.
     */
    public void init() {
        // Litestream sets wal_autocheckpoint=0 on its own connection only (§A.3).
        sim.setAutocheckpoint(READER, 0);
        sim.setAutocheckpoint(POOL, 0);
        if (shadow != null) {
            byte[] wal = sim.walFile().exists() ? sim.walFile().bytes() : null;
            if (wal == null || wal.length < WalFormat.HEADER_SIZE
                    || !Arrays.equals(shadow, 0, WalFormat.HEADER_SIZE, wal, 0, WalFormat.HEADER_SIZE)) {
                log.add("init: cannot determine last wal position, clearing generation");
                generation = 0;
                shadow = null;
            }
        }
        ensureWalExists();
        io.walkit.sim.ResultCode rc = sim.beginRead(READER);
        log.add("init: read transaction " + rc + " on slot " + sim.connection(READER).readLock());
    }

    /** Process exit: both connections close (the application keeps the database open). */
    public void stop() {
        sim.close(READER);
        sim.close(POOL);
        log.add("replicator stopped (connections closed)");
    }

    private void ensureWalExists() {
        if (!sim.walFile().exists() || sim.walFile().size() < WalFormat.HEADER_SIZE) {
            bumpSeq("ensureWALExists");
        }
    }

    private void bumpSeq(String why) {
        WalSim.CommitResult r = sim.commit(POOL, List.of(new WalSim.PageWrite(seqPage, null)),
                Math.max(sim.latestImage().pageCount(), seqPage));
        log.add(why + ": _litestream_seq write -> " + r.status() + " frames " + r.firstFrame() + ".." + r.lastFrame()
                + (r.restarted() ? " (WAL restarted)" : ""));
    }

    /**
     * One sync tick: {@code verify}, a new generation if the position is lost, then
     * {@code syncWAL}/{@code copyToShadowWAL}.
     *
     * @return the verdict {@code verify} reached (null when there was no generation yet)
     */
    public ShadowVerdict sync() {
        ensureWalExists();
        byte[] wal = sim.walFile().exists() ? sim.walFile().bytes() : null;
        ShadowVerdict v = null;
        if (shadow == null) {
            log.add("sync: no generation exists");
            newGeneration(wal);
        } else {
            v = ShadowVerifier.verify(shadow, wal);
            log.add("sync: verify -> " + v.verdict().json() + " (" + v.reason() + ")");
            switch (v.verdict()) {
                case POSITION_LOST -> newGeneration(wal);
                case NEW_WAL -> {
                    copyToShadow(wal);
                    finishedShadows.add(shadow);
                    shadowIndex++;
                    shadow = Arrays.copyOf(wal, WalFormat.HEADER_SIZE);
                    log.add("sync: WAL restarted; shadow index " + shadowIndex + " starts from the new header");
                }
                case CONTINUE -> { }
            }
        }
        copyToShadow(wal);
        return v;
    }

    private void newGeneration(byte[] wal) {
        generation++;
        generationsStarted++;
        snapshot = sim.latestImage();
        finishedShadows.clear();
        shadowIndex = 0;
        shadow = Arrays.copyOf(wal, WalFormat.HEADER_SIZE);
        log.add("new generation " + generation + " (full snapshot needed)");
    }

    /** copyToShadowWAL: append the live WAL's frames that continue the shadow's chain, up to the last commit. */
    private void copyToShadow(byte[] wal) {
        if (wal == null) {
            return;
        }
        WalHeader h = WalHeader.read(MemorySegment.ofArray(shadow), 0);
        int pageSize = h.pageSize();
        int frameSize = WalFormat.frameSize(pageSize);
        int have = (shadow.length - WalFormat.HEADER_SIZE) / frameSize;
        long checksum = have == 0 ? h.storedChecksum()
                : WalFrameHeader.read(shadow, shadow.length - frameSize).storedChecksum();
        WalChain chain = WalChain.after(MemorySegment.ofArray(wal), wal.length, pageSize, h.salt1(), h.salt2(),
                h.bigEndianChecksum(), have, checksum);
        chain.walk();
        int lastCommit = chain.lastCommitFrame();
        if (lastCommit > have) {
            int end = (int) WalFormat.frameOffset(lastCommit + 1L, pageSize);
            byte[] grown = Arrays.copyOf(shadow, end);
            System.arraycopy(wal, shadow.length, grown, shadow.length, end - shadow.length);
            shadow = grown;
            log.add("sync: copied frames " + (have + 1) + ".." + lastCommit + " to shadow index " + shadowIndex);
        }
    }

    /**
     * The managed checkpoint ({@code DB.Checkpoint}, §A.6; in v0.3 called by the sync loop right
     * after a sync): catch up, release the read
     * transaction, checkpoint, re-acquire it, bump {@code _litestream_seq}; if the WAL header
     * changed, copy the old tail under the write lock and start the next shadow index.
     *
     * @param mode the checkpoint mode (v0.3 uses PASSIVE, RESTART past MaxCheckpointPageN and
     *             TRUNCATE past TruncatePageN)
     * @return the checkpoint's result on the pool connection
     */
    public CheckpointResult checkpoint(CheckpointMode mode) {
        return checkpoint(mode, () -> { }, () -> { });
    }

    /**
     * The managed checkpoint with two race windows opened for other connections (docs/sim.md, "The Litestream v0.3 replicator model"):
     * {@code afterCatchUp} runs between the catch-up copy and the checkpoint (no lock held), and
     * {@code beforeWriteLock} between the sequence write and taking the write lock to copy the old
     * tail.
     *
     * @param mode            the checkpoint mode
     * @param afterCatchUp    run after the catch-up copy, before the checkpoint
     * @param beforeWriteLock run after the sequence write, before the write lock is taken
     * @return the checkpoint's result on the pool connection
     */
    public CheckpointResult checkpoint(CheckpointMode mode, Runnable afterCatchUp, Runnable beforeWriteLock) {
        if (shadow == null) {
            log.add("managed checkpoint skipped: no generation yet");
            return null;
        }
        byte[] before = sim.walFile().bytes();
        copyToShadow(before);
        afterCatchUp.run();
        sim.endRead(READER);
        CheckpointResult r = sim.checkpoint(POOL, mode);
        log.add("managed checkpoint " + mode + " -> " + r);
        // The generation the checkpoint ran on (its header was written by that generation's first commit).
        boolean checkpointedShadowGeneration = sim.walFile().size() >= WalFormat.HEADER_SIZE
                && Arrays.equals(shadow, 0, WalFormat.HEADER_SIZE, sim.walFile().bytes(), 0, WalFormat.HEADER_SIZE);
        sim.beginRead(READER);
        bumpSeq("after checkpoint");
        beforeWriteLock.run();
        byte[] after = sim.walFile().bytes();
        if (!Arrays.equals(before, 0, WalFormat.HEADER_SIZE, after, 0, WalFormat.HEADER_SIZE)) {
            sim.beginWrite(POOL);
            after = sim.walFile().bytes();
            copyToShadow(after); // remaining frames that still carry the old salts
            int copied = (shadow.length - WalFormat.HEADER_SIZE) / WalFormat.frameSize(sim.pageSize());
            if (r != null && !checkpointedShadowGeneration && r.log() > 0) {
                uncopiedFrames += r.log();
                log.add("CHECK (not in Litestream): the checkpoint ran on a WAL generation that shadow index " + shadowIndex
                        + " never saw (log=" + r.log() + "); its committed frames were never copied");
            } else if (r != null && r.log() > copied) {
                // Litestream logs the (busy, log, checkpointed) triple but does not compare it: the old
                // generation had r.log() committed frames and the finished shadow holds fewer.
                uncopiedFrames += r.log() - copied;
                log.add("CHECK (not in Litestream): the checkpoint reported log=" + r.log() + " but shadow index "
                        + shadowIndex + " ends at frame " + copied + ": frames " + (copied + 1) + ".." + r.log()
                        + " were committed and never copied");
            }
            finishedShadows.add(shadow);
            shadowIndex++;
            shadow = Arrays.copyOf(after, WalFormat.HEADER_SIZE);
            copyToShadow(after);
            sim.rollback(POOL);
            log.add("WAL restarted under the replicator's watch: shadow index " + shadowIndex);
        }
        return r;
    }

    /**
     * The v0.3.x pre-snapshot checkpoint: a raw {@code PRAGMA wal_checkpoint(mode)} on the pool (no
     * catch-up, no sequence write; v0.3.x uses PASSIVE).
     *
     * @param mode the checkpoint mode
     * @return the checkpoint's result
     */
    public CheckpointResult rawCheckpoint(CheckpointMode mode) {
        CheckpointResult r = sim.checkpoint(POOL, mode);
        log.add("raw PRAGMA wal_checkpoint(" + mode + ") -> " + r);
        return r;
    }

    /**
     * What a restore of the current generation yields (docs/sim.md, "The Litestream v0.3 replicator model"): the generation's snapshot, then
     * every shadow WAL file in index order, each replayed as SQLite recovery would (its valid
     * prefix up to the last commit). Null before the first generation.
     *
     * @return the restored image, or null
     * @throws IllegalStateException if a shadow file does not decode (a model bug: shadows hold
     *                               copies of valid frames only)
     */
    public io.walkit.sim.DbImage restore() {
        if (snapshot == null || shadow == null) {
            return null;
        }
        int pageSize = sim.pageSize();
        List<byte[]> files = new ArrayList<>(finishedShadows);
        files.add(shadow);
        PageApplier applier = PageApplier.onto(ByteSource.of(snapshot.toFileBytes(pageSize), "snapshot"), pageSize);
        try {
            for (int k = 0; k < files.size(); k++) {
                io.walkit.wal.WalScan scan = io.walkit.wal.WalScanner.scan(ByteSource.of(files.get(k), "shadow-" + k));
                applier.applyWal(scan, scan.mxFrame());
            }
        } catch (io.walkit.io.CorruptFileException e) {
            // Shadows are this model's own copies of valid frames: a corrupt one is a model bug.
            throw new IllegalStateException("restore: " + e.getMessage(), e);
        }
        byte[][] pages = io.walkit.sim.DbImage.ofFile("restored", applier.toByteArray(), pageSize).pages();
        return new io.walkit.sim.DbImage("restored generation " + generation, pages);
    }

    /**
     * The byte source of the current shadow (for tools). Only after the first generation started.
     *
     * @return a heap source over a copy of the shadow, named {@code shadow-<index>}; nothing to close
     */
    public ByteSource shadowSource() {
        return ByteSource.of(shadow(), "shadow-" + shadowIndex);
    }
}
