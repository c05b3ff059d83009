package io.walkit.replica;

import io.walkit.io.CorruptFileException;
import io.walkit.replica.ReplicaDirectory.SegmentFile;
import io.walkit.replica.ReplicaProblem.Code;
import io.walkit.replica.ReplicaProblem.Severity;
import io.walkit.wal.WalChecksum;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalHeader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.AccessDeniedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the WAL segments of one shadow-WAL index in offset order, as their concatenation (what
 * Litestream's restore hands to SQLite), and checks everything the files can prove: the first
 * segment starts at offset 0, each next offset equals the previous offset plus its decompressed
 * length, lengths are whole frames, the WAL header is valid, every frame carries the header's salts
 * and continues the checksum chain, and every segment ends on a commit frame.
 *
 * <p>The scan stops at the first error, exactly where SQLite's recovery of the concatenated WAL
 * would stop: everything after it in this index is unreachable. Memory: one frame buffer.
 * Not thread-safe; one scan per instance.
 */
final class IndexScanner {

    /** Receives the committed frames of an apply pass, in WAL order. */
    interface FrameSink {
        /**
         * One frame's page image.
         *
         * @param pageNumber the frame's page number (1-based)
         * @param frame      the buffer holding the whole frame (24-byte header, then the page)
         * @param pageSize   the page size
         */
        void frame(int pageNumber, byte[] frame, int pageSize) throws IOException;
    }

    /**
     * The outcome of scanning one index.
     *
     * @param index            the WAL index
     * @param header           the index's WAL header, or {@code null} when unreadable/missing
     * @param frames           valid frames read (up to the stop point)
     * @param committedEnd     the byte offset just past the last valid commit frame (32 when only the
     *                         header is valid, 0 when not even that)
     * @param commitPageCount  the database size in pages at the last valid commit, 0 for none
     * @param commits          commit frames seen
     * @param segments         segment files read
     * @param problems         what the scan found (the first error ends the scan)
     * @param lastModified     the latest modification time of the segments read
     */
    record Result(long index, WalHeader header, long frames, long committedEnd, long commitPageCount, long commits,
            int segments, List<ReplicaProblem> problems, Instant lastModified) {

        boolean ok() {
            for (ReplicaProblem p : problems) {
                if (p.isError()) {
                    return false;
                }
            }
            return true;
        }
    }

    private final String generation;
    private final long index;
    private final List<SegmentFile> segments;
    private final int expectedPageSize;
    private final String lastGoodBefore;

    /**
     * @param generation       the generation name
     * @param index            the WAL index
     * @param segments         the index's segments, sorted by offset
     * @param expectedPageSize the snapshot's page size, or 0 when unknown
     * @param lastGoodBefore   the position reached before this index (for problems at its start)
     */
    IndexScanner(String generation, long index, List<SegmentFile> segments, int expectedPageSize, String lastGoodBefore) {
        this.generation = generation;
        this.index = index;
        this.segments = segments;
        this.expectedPageSize = expectedPageSize;
        this.lastGoodBefore = lastGoodBefore;
    }

    private String pos(long offset) {
        return new ReplicaPosition(generation, index, offset).toString();
    }

    /**
     * Scans the segments.
     *
     * @param applyLimit apply frames whose end offset is at most this (use a verify pass's
     *                   {@code committedEnd}); ignored when {@code sink} is null
     * @param sink       receives committed frames, or {@code null} for a verify-only pass
     */
    Result scan(long applyLimit, FrameSink sink) throws IOException {
        List<ReplicaProblem> problems = new ArrayList<>();
        WalHeader header = null;
        long frames = 0;
        long committedEnd = 0;
        long commitPageCount = 0;
        long commits = 0;
        int read = 0;
        Instant lastModified = Instant.EPOCH;
        long expectedOffset = 0;
        boolean bigEndian = false;
        long checksum = 0;
        int pageSize = 0;
        byte[] frame = null;
        boolean lastWasCommit = false;

        scan:
        for (int si = 0; si < segments.size(); si++) {
            SegmentFile seg = segments.get(si);
            String lastGood = committedEnd > 0 ? pos(committedEnd) : lastGoodBefore;
            if (seg.offset() != expectedOffset) {
                Code code = expectedOffset == 0 ? Code.MISSING_INITIAL_SEGMENT
                        : seg.offset() > expectedOffset ? Code.SEGMENT_GAP : Code.SEGMENT_OVERLAP;
                String detail = switch (code) {
                    case MISSING_INITIAL_SEGMENT -> "the segment at offset 0 (WAL header) is missing";
                    case SEGMENT_GAP -> (seg.offset() - expectedOffset) + " bytes of WAL are missing";
                    default -> "it starts inside the previous segment: duplicated or renamed";
                };
                problems.add(problem(code, ERROR, seg, seg.offset(), "WAL segment", "offset", Long.toString(expectedOffset),
                        Long.toString(seg.offset()), detail, lastGood));
                break;
            }
            read++;
            lastModified = seg.modified().isAfter(lastModified) ? seg.modified() : lastModified;
            if (seg.compressed()) {
                ReplicaFiles.Kind kind;
                try {
                    kind = ReplicaFiles.sniff(seg.path());
                } catch (AccessDeniedException e) {
                    problems.add(problem(Code.UNREADABLE, ERROR, seg, seg.offset(), null, null, null, null, "permission denied", lastGood));
                    break;
                }
                if (kind == ReplicaFiles.Kind.AGE) {
                    problems.add(problem(Code.ENCRYPTED, ERROR, seg, seg.offset(), "WAL segment", "format", "LZ4 frame", "age encryption",
                            "contents cannot be verified", lastGood));
                    break;
                }
                if (kind == ReplicaFiles.Kind.EMPTY) {
                    problems.add(problem(Code.BAD_COMPRESSION, ERROR, seg, seg.offset(), "WAL segment", "format", "LZ4 frame",
                            "empty file", null, lastGood));
                    break;
                }
                if (kind != ReplicaFiles.Kind.LZ4) {
                    problems.add(problem(Code.BAD_COMPRESSION, ERROR, seg, seg.offset(), "LZ4 frame", "magic", "0x184d2204",
                            "other bytes", null, lastGood));
                    break;
                }
            }
            long segStart = expectedOffset;
            try (InputStream in = ReplicaFiles.open(seg.path(), seg.size(), seg.compressed())) {
                if (segStart == 0) {
                    byte[] h = in.readNBytes(WalFormat.HEADER_SIZE);
                    if (h.length < WalFormat.HEADER_SIZE) {
                        problems.add(problem(Code.SEGMENT_MISALIGNED, ERROR, seg, 0, "WAL header", "length",
                                WalFormat.HEADER_SIZE + " bytes", h.length + " bytes", "the segment at offset 0 is too short", lastGood));
                        break;
                    }
                    header = WalHeader.read(MemorySegment.ofArray(h), 0);
                    WalHeader.Status st = header.status();
                    if (st != WalHeader.Status.OK) {
                        problems.add(headerProblem(seg, header, lastGood));
                        header = null;
                        break;
                    }
                    pageSize = header.pageSize();
                    if (expectedPageSize != 0 && pageSize != expectedPageSize) {
                        problems.add(problem(Code.BAD_WAL_HEADER, ERROR, seg, 8, "WAL header", "page size",
                                expectedPageSize + " (the snapshot's)", Integer.toString(pageSize), null, lastGood));
                        break;
                    }
                    bigEndian = header.bigEndianChecksum();
                    checksum = header.storedChecksum();
                    frame = new byte[WalFormat.frameSize(pageSize)];
                    expectedOffset = WalFormat.HEADER_SIZE;
                    committedEnd = WalFormat.HEADER_SIZE;
                    if (sink != null && applyLimit < WalFormat.HEADER_SIZE) {
                        break;
                    }
                }
                int frameSize = frame.length;
                while (true) {
                    int n = in.readNBytes(frame, 0, frameSize);
                    if (n == 0) {
                        break;
                    }
                    String lg = committedEnd > WalFormat.HEADER_SIZE ? pos(committedEnd) : lastGoodBefore;
                    if (n < frameSize) {
                        problems.add(problem(Code.SEGMENT_MISALIGNED, ERROR, seg, expectedOffset, "WAL frame", "length",
                                frameSize + " bytes", n + " bytes", "the segment ends with a partial frame: cut short", lg));
                        break scan;
                    }
                    int pgno = getInt(frame, WalFormat.FRAME_OFF_PAGE_NUMBER);
                    int commit = getInt(frame, WalFormat.FRAME_OFF_COMMIT_SIZE);
                    int s1 = getInt(frame, WalFormat.FRAME_OFF_SALT1);
                    int s2 = getInt(frame, WalFormat.FRAME_OFF_SALT2);
                    if (s1 != header.salt1() || s2 != header.salt2()) {
                        problems.add(problem(Code.SALT_MISMATCH, ERROR, seg, expectedOffset, "WAL frame header", "salt-1,salt-2",
                                String.format("0x%08x,0x%08x", header.salt1(), header.salt2()), String.format("0x%08x,0x%08x", s1, s2),
                                "the WAL header's salts", lg));
                        break scan;
                    }
                    long c = WalChecksum.update(frame, 0, 8, bigEndian, checksum);
                    c = WalChecksum.update(frame, WalFormat.FRAME_HEADER_SIZE, pageSize, bigEndian, c);
                    int c1 = getInt(frame, WalFormat.FRAME_OFF_CHECKSUM1);
                    int c2 = getInt(frame, WalFormat.FRAME_OFF_CHECKSUM2);
                    if (c != WalChecksum.pack(c1, c2)) {
                        problems.add(problem(Code.CHECKSUM_MISMATCH, ERROR, seg, expectedOffset, "WAL frame header",
                                "checksum-1,checksum-2", String.format("0x%08x,0x%08x", WalChecksum.first(c), WalChecksum.second(c)),
                                String.format("0x%08x,0x%08x", c1, c2), "the frame does not continue the checksum chain", lg));
                        break scan;
                    }
                    if (pgno == 0) {
                        problems.add(problem(Code.BAD_FRAME, ERROR, seg, expectedOffset, "WAL frame header", "page number",
                                "1 or more", "0", null, lg));
                        break scan;
                    }
                    checksum = c;
                    frames++;
                    expectedOffset += frameSize;
                    if (sink != null) {
                        if (expectedOffset > applyLimit) {
                            break scan;
                        }
                        sink.frame(pgno, frame, pageSize);
                    }
                    lastWasCommit = commit != 0;
                    if (lastWasCommit) {
                        commits++;
                        committedEnd = expectedOffset;
                        commitPageCount = Integer.toUnsignedLong(commit);
                    }
                }
            } catch (CorruptFileException e) {
                Code code = e.field().equals("decompressed size") ? Code.TOO_LARGE : Code.BAD_COMPRESSION;
                problems.add(problem(code, ERROR, seg, expectedOffset, e.structure(), e.field(), e.expected(), e.found(),
                        "at " + io.walkit.io.CorruptFileException.offsetText(e.offset()) + " in the compressed file",
                        committedEnd > WalFormat.HEADER_SIZE ? pos(committedEnd) : lastGoodBefore));
                break;
            } catch (AccessDeniedException e) {
                problems.add(problem(Code.UNREADABLE, ERROR, seg, expectedOffset, null, null, null, null, "permission denied",
                        committedEnd > WalFormat.HEADER_SIZE ? pos(committedEnd) : lastGoodBefore));
                break;
            }
            if (expectedOffset == segStart) {
                // A header-only first segment is what Litestream writes right after a WAL reset: harmless.
                problems.add(problem(Code.SEGMENT_MISALIGNED, segStart == 0 ? Severity.WARNING : ERROR, seg, segStart, "WAL segment",
                        "frames", "1 or more", "0", segStart == 0 ? "the segment at offset 0 holds only the WAL header"
                                : "empty segment", null));
                if (segStart != 0) {
                    break;
                }
            }
            if (!lastWasCommit && expectedOffset > WalFormat.HEADER_SIZE && sink == null) {
                problems.add(problem(Code.SEGMENT_NOT_COMMITTED, ERROR, seg, expectedOffset, "WAL frame header",
                        "commit size of the segment's last frame", "non-zero (Litestream ships whole transactions)", "0",
                        (expectedOffset - committedEnd) + " bytes after the last commit cannot be applied",
                        committedEnd > WalFormat.HEADER_SIZE ? pos(committedEnd) : lastGoodBefore));
                break;
            }
        }
        return new Result(index, header, frames, committedEnd, commitPageCount, commits, read, problems, lastModified);
    }

    private static final Severity ERROR = Severity.ERROR;

    private ReplicaProblem problem(Code code, Severity sev, SegmentFile seg, long offset, String structure, String field,
            String expected, String found, String detail, String lastGood) {
        return new ReplicaProblem(ReplicaProblem.of(code, sev, seg.relative(),
                new io.walkit.io.Problem.Position.BackupPosition(generation, index, offset), structure, field, expected, found,
                detail), lastGood);
    }

    /** The header field SQLite's header gate rejects, with the rule and the stored value ({@link WalHeader#validate}). */
    private ReplicaProblem headerProblem(SegmentFile seg, WalHeader h, String lastGood) {
        try {
            h.validate(seg.relative());
        } catch (CorruptFileException e) {
            return problem(Code.BAD_WAL_HEADER, ERROR, seg, e.offset(), e.structure(), e.field(), e.expected(), e.found(), null,
                    lastGood);
        }
        throw new AssertionError("header problem for a valid WAL header");
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
