package io.walkit.replica;

import java.util.Objects;

/**
 * One problem found in a replica, paired with the last position a restore can safely reach before
 * it: walkit's one problem type ({@link io.walkit.io.Problem}: severity, {@link Code}, file,
 * position, structure, field, expected, found, detail) plus {@code lastGood}, which the restore path
 * carries from the first error to its refusal. Verification reports ({@link ReplicaReport}) hold
 * the {@link io.walkit.io.Problem}s themselves and put the restorable position on the report
 * ({@link ReplicaReport.GenerationSummary#restorableTo()}, {@link ReplicaReport#restorableTxid()}).
 *
 * <p>The position of the problem is a {@link io.walkit.io.Problem.Position.Txid} for LTX, a
 * {@link io.walkit.io.Problem.Position.BackupPosition} (generation, index, offset in the index's
 * uncompressed WAL) for v0.3/v0.4/meta, a {@link io.walkit.io.Problem.Position.FileOffset} when
 * only a file offset is known, or {@code null}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param problem  the problem
 * @param lastGood the last position a restore reaches safely before this problem (Litestream's
 *                 {@code generation/index:offset}, or a TXID as {@code 0x…} for LTX), or {@code null}
 *                 when nothing of the generation is restorable (e.g. no snapshot)
 */
public record ReplicaProblem(io.walkit.io.Problem problem, String lastGood) {

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

    }

    /** Checks that the problem is present and is filed under a replica {@link Code}. */
    public ReplicaProblem {
        Objects.requireNonNull(problem, "problem");
        if (!(problem.code() instanceof Code)) {
            throw new IllegalArgumentException("not a replica problem code: " + problem.code());
        }
    }

    /**
     * A problem known only by its text, positioned as the restore path has always given it: a
     * {@code Txid} when {@code txid >= 0}, else a {@code BackupPosition} when both a generation and
     * an index are known, else a {@code FileOffset} when {@code offset >= 0}. Prefer
     * {@link #of} with structure, field, expected and found.
     *
     * @param code       what kind of problem
     * @param severity   how bad it is
     * @param file       the file concerned (relative to the replica root), or {@code null}
     * @param generation the generation (or LTX level), or {@code null}
     * @param index      the WAL index, or {@code -1}
     * @param offset     the byte offset, or {@code -1}
     * @param txid       the TXID (LTX), or {@code -1}
     * @param message    one line, for people (the problem's detail)
     * @param lastGood   the last safe restore position, or {@code null}
     */
    public ReplicaProblem(Code code, Severity severity, String file, String generation, long index, long offset,
            long txid, String message, String lastGood) {
        this(of(code, severity, file, position(generation, index, offset, txid), null, null, null, null,
                Objects.requireNonNull(message, "message")), lastGood);
    }

    /**
     * The position a problem at these coordinates has (see {@link #ReplicaProblem(Code, Severity, String, String,
     * long, long, long, String, String)}).
     *
     * @param generation the generation (or LTX level), or {@code null}
     * @param index      the WAL index, or {@code -1}
     * @param offset     the byte offset, or {@code -1}
     * @param txid       the TXID, or {@code -1}
     * @return the position, or {@code null} when none is known
     */
    static io.walkit.io.Problem.Position position(String generation, long index, long offset, long txid) {
        if (txid >= 0) {
            return new io.walkit.io.Problem.Position.Txid(txid);
        } else if (generation != null && index >= 0) {
            return new io.walkit.io.Problem.Position.BackupPosition(generation, index, Math.max(0, offset));
        } else if (offset >= 0) {
            return new io.walkit.io.Problem.Position.FileOffset(offset);
        }
        return null;
    }

    /**
     * A replica problem in walkit's one problem type.
     *
     * @param code      what kind of problem
     * @param severity  how bad it is
     * @param file      the file concerned (relative to the replica root), or {@code null}
     * @param position  where, or {@code null}
     * @param structure the structure ("WAL frame header", "LTX header"), or {@code null}
     * @param field     the field, or {@code null}
     * @param expected  what a valid replica has there, or {@code null}
     * @param found     what this replica has there, or {@code null}
     * @param detail    further explanation, or {@code null}
     * @return the problem
     */
    public static io.walkit.io.Problem of(Code code, Severity severity, String file, io.walkit.io.Problem.Position position,
            String structure, String field, String expected, String found, String detail) {
        return new io.walkit.io.Problem(severity == Severity.ERROR ? io.walkit.io.Problem.Severity.ERROR
                : io.walkit.io.Problem.Severity.WARNING, code, file, position, structure, field, expected, found, detail);
    }

    /**
     * What kind of problem.
     *
     * @return the problem's code
     */
    public Code code() {
        return (Code) problem.code();
    }

    /**
     * How bad it is.
     *
     * @return {@link Severity#ERROR} or {@link Severity#WARNING}
     */
    public Severity severity() {
        return problem.severity() == io.walkit.io.Problem.Severity.ERROR ? Severity.ERROR : Severity.WARNING;
    }

    /**
     * The file concerned (relative to the replica root).
     *
     * @return the file, or {@code null}
     */
    public String file() {
        return problem.file();
    }

    /**
     * The generation (or LTX level) of a {@code BackupPosition}.
     *
     * @return the generation, or {@code null} when the position is not a backup position
     */
    public String generation() {
        return problem.position() instanceof io.walkit.io.Problem.Position.BackupPosition b ? b.generation() : null;
    }

    /**
     * The WAL index of a {@code BackupPosition}.
     *
     * @return the index, or {@code -1} when the position is not a backup position
     */
    public long index() {
        return problem.position() instanceof io.walkit.io.Problem.Position.BackupPosition b ? b.index() : -1;
    }

    /**
     * The byte offset of a {@code BackupPosition} (in the index's uncompressed WAL) or of a {@code FileOffset}.
     *
     * @return the offset, or {@code -1} when the position has none
     */
    public long offset() {
        return switch (problem.position()) {
            case io.walkit.io.Problem.Position.BackupPosition b -> b.offset();
            case io.walkit.io.Problem.Position.FileOffset f -> f.offset();
            case null, default -> -1;
        };
    }

    /**
     * The TXID of a {@code Txid} position (LTX).
     *
     * @return the TXID, or {@code -1} when the position is not a TXID
     */
    public long txid() {
        return problem.position() instanceof io.walkit.io.Problem.Position.Txid t ? t.txid() : -1;
    }

    /**
     * The sentence people read (derived from the problem's components, never parsed back).
     *
     * @return the message
     */
    public String message() {
        return problem.message();
    }

    /**
     * This problem as walkit's one problem type.
     *
     * @return the problem
     */
    public io.walkit.io.Problem toProblem() {
        return problem;
    }

    /**
     * This problem with another last-good position.
     *
     * @param position the last safe restore position, or {@code null}
     * @return a copy
     */
    public ReplicaProblem withLastGood(String position) {
        return new ReplicaProblem(problem, position);
    }

    /**
     * This problem with another severity.
     *
     * @param s the severity
     * @return a copy
     */
    public ReplicaProblem withSeverity(Severity s) {
        io.walkit.io.Problem p = problem;
        return new ReplicaProblem(of(code(), s, p.file(), p.position(), p.structure(), p.field(), p.expected(), p.found(),
                p.detail()), lastGood);
    }

    /**
     * True for {@link Severity#ERROR}.
     *
     * @return true for {@link Severity#ERROR}
     */
    public boolean isError() {
        return problem.severity() == io.walkit.io.Problem.Severity.ERROR;
    }
}
