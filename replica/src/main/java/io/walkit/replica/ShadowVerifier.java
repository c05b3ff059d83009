package io.walkit.replica;

import io.walkit.io.ByteSource;
import io.walkit.io.Problem;
import io.walkit.wal.WalChain;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalFrameHeader;
import io.walkit.wal.WalHeader;
import io.walkit.wal.WalScan;
import io.walkit.wal.WalScanner;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides shadow-WAL continuity the way Litestream v0.3's {@code verify()} does (spec
 * docs/sim.md, "Shadow-WAL continuity", rows 5–9, in order), then applies stricter checks Litestream lacks.
 *
 * <p>Inputs: the shadow WAL (header plus the committed frames the replicator copied, as it last
 * saw the live WAL) and the live WAL now. Sizes are frame-aligned as Litestream's
 * {@code frameAlign} does (below 32 → 0, else 32 + k·(24 + pageSize)).
 *
 * <p>Stricter checks (codes in {@link ShadowVerdict.Code}):
 * <ul>
 * <li>{@code shadow-invalid}: the shadow's own frames must form a valid checksum chain ending on a
 * commit frame (Litestream trusts its own file);</li>
 * <li>{@code earlier-frame-changed}: with an unchanged header, every shadow frame (not only the
 * last, which is all row 9 compares) must still be byte-identical in the live WAL;</li>
 * <li>{@code salt-jump}: after a header change, salt-1 must be the old salt-1 + 1 (one restart by
 * a connection with nCkpt ≠ 0); otherwise a whole WAL generation may have come and gone unseen,
 * or the header was written with fresh random salts (nCkpt = 0, e.g. after another connection's
 * TRUNCATE) and nothing can be proved;</li>
 * <li>{@code third-salt}: after a header change, a frame within the shadow's extent carrying salts that are neither the
 * shadow's nor the new header's proves an unseen generation (Litestream v0.5's
 * {@code detectFullCheckpoint} idea);</li>
 * <li>{@code old-tail-uncommitted}: frames of the old generation after the shadow end that chain
 * from it but never reach a commit (informational).</li>
 * </ul>
 */
public final class ShadowVerifier {

    private ShadowVerifier() {}

    /**
     * Verifies {@code shadow} against {@code wal}.
     *
     * @param shadow the shadow WAL's bytes
     * @param wal    the live WAL's bytes, or {@code null} when the live WAL file does not exist
     * @return the verdict, with the stricter checks' findings
     */
    public static ShadowVerdict verify(byte[] shadow, byte[] wal) {
        List<Problem> findings = new ArrayList<>();
        if (wal == null) {
            return lost("cannot verify wal state: no such file (the -wal file is gone)", 2, 0, 0, List.of(), findings);
        }
        int pageSize = shadow.length >= WalFormat.HEADER_SIZE ? WalHeader.read(MemorySegment.ofArray(shadow), 0).pageSize() : 0;
        if (!WalFormat.isValidPageSize(Integer.toUnsignedLong(pageSize))) {
            pageSize = 0;
        }
        long shadowSize = frameAlign(shadow.length, pageSize);
        WalScan live = WalScanner.scan(ByteSource.of(wal, "wal"));
        if (shadowSize < WalFormat.HEADER_SIZE) {
            return lost("short shadow wal", 5, 0, live.mxFrame(), liveFrames(live, 1, "new"), findings);
        }
        if (pageSize == 0 || WalHeader.read(MemorySegment.ofArray(shadow), 0).status() != WalHeader.Status.OK) {
            // Litestream never writes such a shadow (initShadowWALFile checks the header); nothing can be compared.
            findings.add(invalidShadowHeader(shadow));
            return lost("invalid shadow wal header", 0, 0, live.mxFrame(), liveFrames(live, 1, "new"), findings);
        }
        int frameSize = WalFormat.frameSize(pageSize);
        int lastFrame = (int) ((shadowSize - WalFormat.HEADER_SIZE) / frameSize);
        long walSize = frameAlign(wal.length, pageSize);

        // Stricter check: the shadow itself.
        WalScan own = WalScanner.scan(ByteSource.of(Arrays.copyOf(shadow, (int) shadowSize), "shadow"));
        if (lastFrame > 0 && (own.lastValidFrame() != lastFrame || own.mxFrame() != lastFrame)) {
            findings.add(ShadowVerdict.finding(ShadowVerdict.Code.SHADOW_INVALID, new Problem.Position.Frame(own.mxFrame() + 1L),
                    "frames chained to a commit (valid, committed)", lastFrame + ", " + lastFrame,
                    own.lastValidFrame() + ", " + own.mxFrame(), "the shadow's own frames are not a valid chain ending on a commit"));
        }
        if (shadowSize > walSize) {
            return lost("wal truncated by another process", 6, lastFrame, live.mxFrame(),
                    liveFrames(live, 1, "new"), findings);
        }
        boolean restart = !Arrays.equals(shadow, 0, WalFormat.HEADER_SIZE, wal, 0, WalFormat.HEADER_SIZE);
        if (lastFrame == 0 && restart) {
            return lost("wal header only, mismatched", 8, 0, live.mxFrame(), liveFrames(live, 1, "new"), findings);
        }
        if (lastFrame > 0) {
            int from = (int) (shadowSize - frameSize);
            if (!Arrays.equals(shadow, from, from + frameSize, wal, from, from + frameSize)) {
                return lost("wal overwritten by another process", 9, lastFrame, live.mxFrame(),
                        liveFrames(live, 1, "new"), findings);
            }
        }
        // Litestream continues. Frames of the old generation after the shadow end, as copyToShadowWAL reads them.
        TailCopy tail = copyableTail(shadow, (int) shadowSize, wal, pageSize, lastFrame);
        List<String> unseen = new ArrayList<>(tail.frames);
        int unseenCount = tail.committed;
        ShadowVerdict.Verdict verdict;
        String reason;
        if (!restart) {
            verdict = ShadowVerdict.Verdict.CONTINUE;
            reason = "same WAL header and last frame; continue after frame " + lastFrame;
            for (int f = 1; f < lastFrame; f++) {
                int off = (int) WalFormat.frameOffset(f, pageSize);
                if (!Arrays.equals(shadow, off, off + frameSize, wal, off, off + frameSize)) {
                    findings.add(ShadowVerdict.finding(ShadowVerdict.Code.EARLIER_FRAME_CHANGED, new Problem.Position.Frame(f),
                            "frame bytes", "the shadow's copy", "different bytes in the live WAL",
                            "the header and the last frame match (Litestream compares only the last frame)"));
                    break;
                }
            }
        } else {
            verdict = ShadowVerdict.Verdict.NEW_WAL;
            reason = "WAL header changed but the last copied frame survived: finish the old shadow"
                    + (tail.committed > 0 ? " with " + tail.committed + " old-generation frames" : "")
                    + ", start a new shadow at frame 1";
            unseen.addAll(liveFrames(live, 1, "new"));
            unseenCount += live.mxFrame();
            newWalChecks(shadow, wal, pageSize, lastFrame, findings);
        }
        if (tail.uncommitted > 0) {
            findings.add(ShadowVerdict.finding(ShadowVerdict.Code.OLD_TAIL_UNCOMMITTED, new Problem.Position.Frame(lastFrame + 1L),
                    "frames after the shadow end", "none, or frames reaching a commit", tail.uncommitted + " uncommitted",
                    "they chain from the shadow but reach no commit (not copied)"));
        }
        boolean fatal = findings.stream().anyMatch(ShadowVerdict::fatal);
        return new ShadowVerdict(verdict, reason, 0, lastFrame, verdict == ShadowVerdict.Verdict.CONTINUE ? lastFrame + 1 : 1,
                unseenCount, cap(unseen), List.copyOf(findings), fatal ? ShadowVerdict.Verdict.POSITION_LOST : verdict);
    }

    /**
     * Verifies a bare position (no shadow bytes) against {@code wal}: the same rows as
     * {@link #verify(byte[], byte[])}, with the last frame compared by its salts and cumulative
     * checksum (which covers its header fields and page image, and every frame before it) instead
     * of byte for byte, and the header compared by its salts. The {@code earlier-frame-changed}
     * check needs the shadow's bytes and is not made.
     *
     * @param pos the replicator's recorded position
     * @param wal the live WAL's bytes, or {@code null} when the live WAL file does not exist
     * @return the verdict, with the stricter checks' findings
     */
    public static ShadowVerdict verify(ShadowPosition pos, byte[] wal) {
        List<Problem> findings = new ArrayList<>();
        if (wal == null) {
            return lost("cannot verify wal state: no such file (the -wal file is gone)", 2, pos.frame(), 0, List.of(), findings);
        }
        int pageSize = pos.pageSize();
        WalScan live = WalScanner.scan(ByteSource.of(wal, "wal"));
        if (!WalFormat.isValidPageSize(pageSize) || pos.frame() < 0) {
            throw new IllegalArgumentException("position page size " + pageSize + " or frame " + pos.frame() + " is invalid");
        }
        int lastFrame = pos.frame();
        long posEnd = WalFormat.frameOffset(lastFrame + 1L, pageSize);
        if (posEnd > frameAlign(wal.length, pageSize)) {
            return lost("wal truncated by another process", 6, lastFrame, live.mxFrame(), liveFrames(live, 1, "new"), findings);
        }
        // frameAlign above guarantees the header is present: posEnd >= 32 fits in the WAL.
        WalHeader liveHeader = WalHeader.read(MemorySegment.ofArray(wal), 0);
        boolean restart = liveHeader.salt1() != pos.salt1() || liveHeader.salt2() != pos.salt2()
                || liveHeader.pageSize() != pageSize;
        if (lastFrame == 0 && restart) {
            return lost("wal header only, mismatched", 8, 0, live.mxFrame(), liveFrames(live, 1, "new"), findings);
        }
        if (lastFrame > 0) {
            WalFrameHeader last = WalFrameHeader.read(wal, (int) WalFormat.frameOffset(lastFrame, pageSize));
            if (last.salt1() != pos.salt1() || last.salt2() != pos.salt2() || last.storedChecksum() != pos.checksum()) {
                return lost("wal overwritten by another process", 9, lastFrame, live.mxFrame(), liveFrames(live, 1, "new"), findings);
            }
        }
        boolean bigEndian = liveHeader.bigEndianChecksum();
        TailCopy tail = copyableTail(pos.salt1(), pos.salt2(), bigEndian, pos.checksum(), wal, pageSize, lastFrame);
        List<String> unseen = new ArrayList<>(tail.frames);
        int unseenCount = tail.committed;
        ShadowVerdict.Verdict verdict;
        String reason;
        if (!restart) {
            verdict = ShadowVerdict.Verdict.CONTINUE;
            reason = "same WAL salts and last frame; continue after frame " + lastFrame;
        } else {
            verdict = ShadowVerdict.Verdict.NEW_WAL;
            reason = "WAL header changed but the last copied frame survived: finish the old shadow"
                    + (tail.committed > 0 ? " with " + tail.committed + " old-generation frames" : "")
                    + ", start a new shadow at frame 1";
            unseen.addAll(liveFrames(live, 1, "new"));
            unseenCount += live.mxFrame();
            newWalChecks(pos.salt1(), pos.salt2(), wal, pageSize, lastFrame, findings);
        }
        if (tail.uncommitted > 0) {
            findings.add(ShadowVerdict.finding(ShadowVerdict.Code.OLD_TAIL_UNCOMMITTED, new Problem.Position.Frame(lastFrame + 1L),
                    "frames after the position", "none, or frames reaching a commit", tail.uncommitted + " uncommitted",
                    "they chain from the position but reach no commit (not copied)"));
        }
        boolean fatal = findings.stream().anyMatch(ShadowVerdict::fatal);
        return new ShadowVerdict(verdict, reason, 0, lastFrame, verdict == ShadowVerdict.Verdict.CONTINUE ? lastFrame + 1 : 1,
                unseenCount, cap(unseen), List.copyOf(findings), fatal ? ShadowVerdict.Verdict.POSITION_LOST : verdict);
    }

    private static void newWalChecks(byte[] shadow, byte[] wal, int pageSize, int lastFrame,
                                     List<Problem> findings) {
        WalHeader oldH = WalHeader.read(MemorySegment.ofArray(shadow), 0);
        newWalChecks(oldH.salt1(), oldH.salt2(), wal, pageSize, lastFrame, findings);
    }

    private static void newWalChecks(int oldSalt1, int oldSalt2, byte[] wal, int pageSize, int lastFrame,
                                     List<Problem> findings) {
        if (wal.length < WalFormat.HEADER_SIZE) {
            return;
        }
        WalHeader newH = WalHeader.read(MemorySegment.ofArray(wal), 0);
        if (newH.salt1() != oldSalt1 + 1) {
            findings.add(ShadowVerdict.finding(ShadowVerdict.Code.SALT_JUMP, new Problem.Position.FileOffset(WalFormat.OFF_SALT1),
                    "salt-1", String.format("0x%08x (the shadow's 0x%08x + 1)", oldSalt1 + 1, oldSalt1),
                    String.format("0x%08x", newH.salt1()), "either more than one restart happened since the last copy"
                            + " (a whole WAL generation was never seen) or the new header got random salts (nCkpt 0)"));
        }
        Set<Long> third = new HashSet<>();
        // Only frames the shadow covered: each was the shadow's generation when copied, so now it is
        // that generation or the new one; frames past the shadow end may be stale from older ones.
        long frames = Math.min(lastFrame, WalFormat.wholeFrames(wal.length, pageSize));
        for (long f = 1; f <= frames; f++) {
            WalFrameHeader fh = WalFrameHeader.read(wal, (int) WalFormat.frameOffset(f, pageSize));
            int s1 = fh.salt1();
            int s2 = fh.salt2();
            if ((s1 != oldSalt1 || s2 != oldSalt2) && (s1 != newH.salt1() || s2 != newH.salt2())
                    && fh.pageNumber() != 0 && (s1 != 0 || s2 != 0)) {
                if (third.add(((long) s1 << 32) | (s2 & 0xFFFFFFFFL)) && third.size() == 1) {
                    findings.add(ShadowVerdict.finding(ShadowVerdict.Code.THIRD_SALT, new Problem.Position.Frame(f), "salt-1,salt-2",
                            String.format("the shadow's 0x%08x,0x%08x or the new header's 0x%08x,0x%08x", oldSalt1, oldSalt2,
                                    newH.salt1(), newH.salt2()), String.format("0x%08x,0x%08x", s1, s2),
                            "a WAL generation came and went unseen; its commits never reached the replica"));
                }
            }
        }
    }

    /** The header rule the shadow breaks, as {@link WalHeader#validate} names it. */
    private static Problem invalidShadowHeader(byte[] shadow) {
        try {
            WalHeader.read(MemorySegment.ofArray(shadow), 0).validate("shadow");
        } catch (io.walkit.io.CorruptFileException e) {
            return ShadowVerdict.finding(ShadowVerdict.Code.SHADOW_INVALID, new Problem.Position.FileOffset(e.offset()), e.field(),
                    e.expected(), e.found(), "the shadow's WAL header is invalid");
        }
        throw new AssertionError("shadow header reported invalid but validates");
    }

    private record TailCopy(int committed, int uncommitted, List<String> frames) {}

    /** copyToShadowWAL: frames after the shadow end validated against the shadow's salts and chain, up to the last commit. */
    private static TailCopy copyableTail(byte[] shadow, int shadowSize, byte[] wal, int pageSize, int lastFrame) {
        WalHeader h = WalHeader.read(MemorySegment.ofArray(shadow), 0);
        long checksum = lastFrame == 0 ? h.storedChecksum()
                : WalFrameHeader.read(shadow, shadowSize - WalFormat.frameSize(pageSize)).storedChecksum();
        return copyableTail(h.salt1(), h.salt2(), h.bigEndianChecksum(), checksum, wal, pageSize, lastFrame);
    }

    private static TailCopy copyableTail(int salt1, int salt2, boolean bigEndian, long checksum, byte[] wal,
                                         int pageSize, int lastFrame) {
        WalChain chain = WalChain.after(MemorySegment.ofArray(wal), wal.length, pageSize, salt1, salt2, bigEndian,
                lastFrame, checksum);
        List<String> list = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        while (chain.next()) {
            pending.add("frame " + chain.frame() + " (page " + Integer.toUnsignedString(chain.header().pageNumber())
                    + ", old WAL)");
            if (chain.header().isCommit()) {
                list.addAll(pending);
                pending.clear();
            }
        }
        int committed = chain.lastCommitFrame() - lastFrame;
        return new TailCopy(committed, chain.frame() - chain.lastCommitFrame(), list);
    }

    private static List<String> liveFrames(WalScan live, int from, String gen) {
        List<String> out = new ArrayList<>();
        for (int f = from; f <= live.mxFrame() && out.size() < 100; f++) {
            out.add("frame " + f + " (page " + Integer.toUnsignedString(live.frameHeader(f).pageNumber()) + ", " + gen + " WAL)");
        }
        return out;
    }

    private static List<String> cap(List<String> l) {
        return List.copyOf(l.size() > 100 ? l.subList(0, 100) : l);
    }

    private static ShadowVerdict lost(String reason, int row, int lastFrame, int unseen, List<String> frames,
                                      List<Problem> findings) {
        return new ShadowVerdict(ShadowVerdict.Verdict.POSITION_LOST, reason, row, lastFrame, 0, unseen, cap(frames),
                List.copyOf(findings), ShadowVerdict.Verdict.POSITION_LOST);
    }

    /** Litestream's frameAlign: below 32 bytes → 0, else the header plus whole frames. */
    static long frameAlign(long size, int pageSize) {
        if (size < WalFormat.HEADER_SIZE || pageSize == 0) {
            return size < WalFormat.HEADER_SIZE ? 0 : WalFormat.HEADER_SIZE;
        }
        return WalFormat.HEADER_SIZE + WalFormat.wholeFrames(size, pageSize) * WalFormat.frameSize(pageSize);
    }
}
