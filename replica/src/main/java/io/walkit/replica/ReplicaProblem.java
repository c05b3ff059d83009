package io.walkit.replica;

import java.util.Objects;

/**
 * One problem found in a replica: what ({@link Code}), where (file, generation, index, offset or
 * TXID), how bad ({@link Severity}) and the last position a restore can safely reach before it.
 * Immutable.
 *
 * @param code         what kind of problem
 * @param severity     {@link Severity#ERROR} when a restore past it would be wrong or impossible
 * @param file         the file concerned (relative to the replica root), or {@code null}
 * @param generation   the generation (v0.3/v0.4/meta) or level (LTX, as a decimal string), or {@code null}
 * @param index        the WAL index, or {@code -1} when not applicable
 * @param offset       the byte offset in the index's uncompressed WAL (or in the file for LTX), or {@code -1}
 * @param txid         the TXID (LTX), or {@code -1}
 * @param message      one line, for people
 * @param lastGood     the last position a restore reaches safely before this problem, or {@code null}
 *                     when nothing of the generation is restorable (e.g. no snapshot)
 */
public record ReplicaProblem(Code code, Severity severity, String file, String generation, long index, long offset,
        long txid, String message, String lastGood) {

    /** How bad a problem is. */
    public enum Severity {
        /** A restore past this point would be incomplete, corrupt or impossible. */
        ERROR,
        /** Odd but harmless for a restore (leftover temporary file, unprovable completeness). */
        WARNING
    }

    /** Problem kinds; JSON uses {@link #label()} (also {@link #id()} of walkit's one problem type). */
    public enum Code implements io.walkit.io.Problem.Code {
        /** The directory is not any known Litestream layout. */
        NOT_A_REPLICA,
        /** A generation has no snapshot, so nothing of it can be restored. */
        NO_SNAPSHOT,
        /** A WAL index between the snapshot and the last index has no segments. */
        MISSING_INDEX,
        /** The first segment of an index does not start at offset 0. */
        MISSING_INITIAL_SEGMENT,
        /** A segment's offset is not the previous offset plus the previous decompressed length. */
        SEGMENT_GAP,
        /** A segment overlaps the previous one (duplicate or renamed). */
        SEGMENT_OVERLAP,
        /** A segment's decompressed length is not whole frames (or header + frames at offset 0). */
        SEGMENT_MISALIGNED,
        /** A segment does not end on a commit frame. */
        SEGMENT_NOT_COMMITTED,
        /** The LZ4 frame (or other compression) is damaged: bad magic, block, checksum, truncation. */
        BAD_COMPRESSION,
        /** The file decompresses to more than walkit accepts for its size. */
        TOO_LARGE,
        /** The WAL header of an index is invalid (magic, version, page size, checksum). */
        BAD_WAL_HEADER,
        /** A frame's salts differ from its index's WAL header. */
        SALT_MISMATCH,
        /** A frame's checksum does not continue the chain. */
        CHECKSUM_MISMATCH,
        /** A frame's page number is 0 or its page size disagrees with the snapshot. */
        BAD_FRAME,
        /** A snapshot is not a SQLite database image. */
        BAD_SNAPSHOT,
        /** Restoring an earlier snapshot through a later snapshot's index differs from that snapshot. */
        SNAPSHOT_MISMATCH,
        /** Consecutive indexes whose salts show WAL generations walkit cannot see. */
        SALT_DISCONTINUITY,
        /** The file is encrypted (age): its contents cannot be verified. */
        ENCRYPTED,
        /** A symbolic link: never followed. */
        SYMLINK,
        /** A file name no Litestream writes (ignored). */
        UNEXPECTED_NAME,
        /** A leftover {@code .tmp} file of an interrupted write (ignored, as Litestream does). */
        TEMPORARY_FILE,
        /** A file or directory could not be read. */
        UNREADABLE,
        /** Too many entries: the listing stopped. */
        TOO_MANY_ENTRIES,
        /** The last segment of the last index cannot be proven complete from the files. */
        UNPROVABLE_TAIL,
        /** An LTX file is invalid (header, page frames, index, trailer, checksum). */
        BAD_LTX,
        /** LTX TXID ranges are not contiguous. */
        TXID_GAP,
        /** LTX pre-apply checksum differs from the previous file's post-apply checksum. */
        CHECKSUM_CHAIN,
        /** The shadow WAL disagrees with the live WAL (meta directory). */
        SHADOW_MISMATCH;

        /**
         * The kebab-case label used in JSON ({@code segment-gap}).
         *
         * @return the kebab-case label used in JSON ({@code segment-gap})
         */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        @Override
        public String id() {
            return label();
        }

        /** The replica checks phrase each problem whole; it travels in the detail. */
        @Override
        public String describe(io.walkit.io.Problem p) {
            return p.detail() == null ? label() : p.detail();
        }
    }

    /** Validates the required fields. */
    public ReplicaProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    /**
     * This problem as walkit's one problem type ({@link io.walkit.io.Problem}): the position is a
     * {@code Txid} for LTX, a {@code BackupPosition} (generation, index, offset) for v0.3/v0.4, or a
     * file offset; the message travels as the detail. {@link #lastGood()} has no place there and is
     * written beside it.
     *
     * @return the problem
     */
    public io.walkit.io.Problem toProblem() {
        io.walkit.io.Problem.Position pos = null;
        if (txid >= 0) {
            pos = new io.walkit.io.Problem.Position.Txid(txid);
        } else if (generation != null && index >= 0) {
            pos = new io.walkit.io.Problem.Position.BackupPosition(generation, index, Math.max(0, offset));
        } else if (offset >= 0) {
            pos = new io.walkit.io.Problem.Position.FileOffset(offset);
        }
        return new io.walkit.io.Problem(severity == Severity.ERROR ? io.walkit.io.Problem.Severity.ERROR
                : io.walkit.io.Problem.Severity.WARNING, code, file, pos, null, null, null, null, message);
    }

    /**
     * True for {@link Severity#ERROR}.
     *
     * @return true for {@link Severity#ERROR}
     */
    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
