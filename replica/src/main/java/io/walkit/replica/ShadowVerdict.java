package io.walkit.replica;

import io.walkit.io.Problem;
import java.util.List;

/**
 * The continuity verdict for a replicator's shadow WAL against the live WAL.
 *
 * @param verdict               what a Litestream v0.3 replicator decides
 * @param reason                Litestream's reason text (its log/error wording), or a description for CONTINUE
 * @param litestreamCheck       which row of Litestream's {@code verify()} decided (docs/sim.md, "Shadow-WAL continuity"), 0 for none
 * @param lastFrame             frames in the shadow: the last frame the replicator copied (0 = header only)
 * @param continueAtFrame       the live-WAL frame the replicator copies next (1 for NEW_WAL, 0 when lost)
 * @param unseenCommittedFrames committed frames in the live WAL the shadow does not have: the ones the
 *                              replicator will copy next (CONTINUE, NEW_WAL: old tail + new WAL) or
 *                              that a new snapshot must cover (POSITION_LOST)
 * @param unseenFrameList       those frames as "frame N (page P, old|new WAL)" strings, at most 100
 * @param findings              results of the stricter checks Litestream lacks (codes in {@link Code};
 *                              severity {@code ERROR} means the position is lost, {@code WARNING} a note)
 * @param strictVerdict         the verdict once the stricter checks are applied
 */
public record ShadowVerdict(Verdict verdict, String reason, int litestreamCheck, int lastFrame, int continueAtFrame,
                            int unseenCommittedFrames, List<String> unseenFrameList, List<Problem> findings,
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

        /**
         * The stable JSON name.
         *
         * @return {@code continue}, {@code new-wal} or {@code position-lost}
         */
        public String json() {
            return json;
        }
    }

    /** Keeps an unmodifiable copy of the lists. */
    public ShadowVerdict {
        unseenFrameList = List.copyOf(unseenFrameList);
        findings = List.copyOf(findings);
    }

    /** The codes of the stricter checks' findings. */
    public enum Code implements Problem.Code {
        /** The shadow itself is not a valid WAL (bad header, or frames that do not chain to a commit). Fatal. */
        SHADOW_INVALID("shadow-invalid", "shadow WAL"),
        /** A frame before the shadow's last one differs in the live WAL (Litestream compares only the last). Fatal. */
        EARLIER_FRAME_CHANGED("earlier-frame-changed", "WAL frame"),
        /** Frames after the shadow's end chain from it but reach no commit (not copied). A note. */
        OLD_TAIL_UNCOMMITTED("old-tail-uncommitted", "WAL frame"),
        /** salt-1 did not grow by exactly one across the restart: a generation may have been missed. A note. */
        SALT_JUMP("salt-jump", "WAL header"),
        /** A frame carries salts of neither the shadow's nor the new header's generation: one came and went unseen. Fatal. */
        THIRD_SALT("third-salt", "WAL frame");

        private final String id;
        private final String structure;

        Code(String id, String structure) {
            this.id = id;
            this.structure = structure;
        }

        @Override
        public String id() {
            return id;
        }

        /**
         * The structure a finding with this code concerns.
         *
         * @return e.g. {@code WAL header}
         */
        public String structure() {
            return structure;
        }

        /**
         * Whether a finding with this code means the position is lost.
         *
         * @return true for the fatal codes
         */
        public boolean fatal() {
            return this == SHADOW_INVALID || this == EARLIER_FRAME_CHANGED || this == THIRD_SALT;
        }
    }

    /**
     * A finding of a stricter check: severity {@code ERROR} for a {@linkplain Code#fatal() fatal}
     * code, else {@code WARNING}; the structure is the code's ({@link Code#structure()}).
     *
     * @param code     the check's code
     * @param position where (a frame of the live WAL, or a header offset), or {@code null}
     * @param field    the field compared
     * @param expected what continuity needs there
     * @param found    what the files have
     * @param detail   what it means for the replicator, or {@code null}
     * @return the problem
     */
    public static Problem finding(Code code, Problem.Position position, String field, String expected, String found,
            String detail) {
        return new Problem(code.fatal() ? Problem.Severity.ERROR : Problem.Severity.WARNING, code, null, position,
                code.structure(), field, expected, found, detail);
    }

    /**
     * Whether a finding means the position is lost.
     *
     * @param finding one of {@link #findings()}
     * @return true if it is an error
     */
    public static boolean fatal(Problem finding) {
        return finding.severity() == Problem.Severity.ERROR;
    }
}
