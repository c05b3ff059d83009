package io.walkit.replica;

import java.util.List;

/**
 * The continuity verdict for a replicator's shadow WAL against the live WAL.
 *
 * @param verdict               what a Litestream v0.3 replicator decides
 * @param reason                Litestream's reason text (its log/error wording), or a description for CONTINUE
 * @param litestreamCheck       which row of Litestream's {@code verify()} decided (spec litestream-ltx §A.5), 0 for none
 * @param lastFrame             frames in the shadow: the last frame the replicator copied (0 = header only)
 * @param continueAtFrame       the live-WAL frame the replicator copies next (1 for NEW_WAL, 0 when lost)
 * @param unseenCommittedFrames committed frames in the live WAL the shadow does not have: the ones the
 *                              replicator will copy next (CONTINUE, NEW_WAL: old tail + new WAL) or
 *                              that a new snapshot must cover (POSITION_LOST)
 * @param unseenFrameList       those frames as "frame N (page P, old|new WAL)" strings, at most 100
 * @param findings              results of the stricter checks Litestream lacks
 * @param strictVerdict         the verdict once the stricter checks are applied
 */
public record ShadowVerdict(Verdict verdict, String reason, int litestreamCheck, int lastFrame, int continueAtFrame,
                            int unseenCommittedFrames, List<String> unseenFrameList, List<Finding> findings,
                            Verdict strictVerdict) {

    /** The three outcomes. */
    public enum Verdict {
        /** Same WAL generation; copying continues after the last copied frame. */
        CONTINUE("continue"),
        /** The WAL was restarted after the last copied frame survived: finish the old shadow, start a new one at frame 1. */
        NEW_WAL("new-wal"),
        /** The position cannot be trusted: Litestream starts a new generation (full snapshot). */
        POSITION_LOST("position-lost");

        private final String json;

        Verdict(String json) {
            this.json = json;
        }

        /** The stable JSON name. */
        public String json() {
            return json;
        }
    }

    /**
     * A finding of a stricter check.
     *
     * @param code     stable identifier, e.g. {@code earlier-frame-changed}
     * @param fatal    whether it means the position is lost
     * @param message  what was found
     */
    public record Finding(String code, boolean fatal, String message) {}
}
