package io.walkit.forensics;

import io.walkit.db.BtreePage;
import io.walkit.db.Cell;
import io.walkit.db.Database;
import io.walkit.db.Record;
import io.walkit.db.SchemaEntry;
import io.walkit.db.TableInfo;
import io.walkit.db.TableReader;
import io.walkit.io.CorruptFileException;
import io.walkit.wal.StaleFrames;
import io.walkit.wal.StaleGroup;
import io.walkit.wal.WalFormat;
import io.walkit.wal.WalScan;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Row versions from the log: every row as it was at a commit of the WAL's valid prefix (and in the
 * database file under it) that a later commit replaced or deleted ({@code wal-superseded}, status
 * {@code superseded} while the rowid is live at the last commit, else {@code deleted}); rows in frames past the last commit (a crashed or rolled-back transaction,
 * including zero-salt frames of an interrupted overwrite: {@code wal-uncommitted}, status
 * {@code uncommitted}); rows in frames of earlier WAL generations ({@code wal-stale} with the
 * generation; status {@code superseded} when the rowid is still live with other values, else
 * {@code deleted}). A version equal to a live row of the last commit is never reported, and each
 * distinct (table, rowid, values) once, from the earliest commit it was seen at.
 *
 * <p>Frames outside the valid prefix are decoded as table leaves of the table that owned their page
 * at some commit; cells whose payload spills onto overflow pages there are not decoded (their
 * overflow pages cannot be told apart from later ones). Stateless; not thread-safe per call.
 */
public final class LogVersions {

    private final LogHistory history;
    private final String dbFile;
    private final String walFile;
    private final Set<Long> live = new HashSet<>();
    private final Set<Long> liveRowids = new HashSet<>();
    private final Set<Long> emitted = new HashSet<>();
    private final Map<Long, String> ownerOfPage = new HashMap<>();
    private final Map<String, TableInfo> infos = new HashMap<>();
    private final List<RecoveredRecord> out = new ArrayList<>();

    private LogVersions(LogHistory history, String dbFile, String walFile) {
        this.history = history;
        this.dbFile = dbFile;
        this.walFile = walFile;
    }

    /**
     * The row versions of {@code history}'s log (empty without a WAL).
     *
     * @param dbFile  the database file's name for sources
     * @param walFile the WAL's name for sources
     * @throws CorruptFileException when a committed b-tree or record is corrupt
     * @param history the database and its WAL
     * @return the result described above
     */
    public static List<RecoveredRecord> find(LogHistory history, String dbFile, String walFile) throws CorruptFileException {
        if (history.wal() == null) {
            return List.of();
        }
        return new LogVersions(history, dbFile, walFile).run();
    }

    /**
     * {@code carved} followed by the records of {@code versions} whose table, rowid and values no
     * carved record has (a row found both in freed space and in the log is reported once, as carved).
     * @param carved records carved from freed space
     * @param versions row versions from the log
     * @return the result described above
     */
    public static List<RecoveredRecord> merge(List<RecoveredRecord> carved, List<RecoveredRecord> versions) {
        List<RecoveredRecord> out = new ArrayList<>(carved);
        Set<Long> seen = new HashSet<>();
        for (RecoveredRecord r : carved) {
            seen.add(Hashing.values(r.table(), r.rowid(), r.values()));
        }
        for (RecoveredRecord r : versions) {
            if (seen.add(Hashing.values(r.table(), r.rowid(), r.values()))) {
                out.add(r);
            }
        }
        return out;
    }

    private List<RecoveredRecord> run() throws CorruptFileException {
        int last = history.commitCount();
        for (String t : history.tables(last)) {
            TableSnapshot s = history.snapshot(last, t);
            infos.put(t, s.info());
            for (TableSnapshot.PageRows p : s.pages()) {
                ownerOfPage.put(p.pageNumber(), t);
                for (TableSnapshot.Row r : p.rows()) {
                    Long rowid = r.key() instanceof Long l ? l : null;
                    live.add(Hashing.values(t, rowid, r.values()));
                    if (rowid != null) {
                        liveRowids.add(Hashing.rowid(t, rowid));
                    }
                }
            }
        }
        Set<TableSnapshot.PageRows> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int c = 0; c < last; c++) {
            for (String t : history.tables(c)) {
                TableSnapshot s = history.snapshot(c, t);
                infos.putIfAbsent(t, s.info());
                for (TableSnapshot.PageRows p : s.pages()) {
                    ownerOfPage.putIfAbsent(p.pageNumber(), t);
                    if (!seen.add(p)) {
                        continue;
                    }
                    for (TableSnapshot.Row r : p.rows()) {
                        Long rowid = r.key() instanceof Long l ? l : null;
                        long offset = p.frame() == 0 ? (p.pageNumber() - 1) * history.wal().pageSize() + r.cellOffset()
                                : history.wal().frameOffset(p.frame()) + WalFormat.FRAME_HEADER_SIZE + r.cellOffset();
                        // Replaced by a later commit: superseded while the key is still live, else deleted.
                        RecordStatus status = rowid == null || liveRowids.contains(Hashing.rowid(t, rowid))
                                ? RecordStatus.SUPERSEDED : RecordStatus.DELETED;
                        emit(t, s.info(), rowid, r.values(), status,
                                new RecordSource(p.frame() == 0 ? dbFile : walFile, SourceKind.WAL_SUPERSEDED, p.pageNumber(),
                                        p.frame() == 0 ? null : (long) p.frame(), offset));
                    }
                }
            }
        }
        WalScan scan = history.wal();
        Database db = history.at(last);
        // Frames of the valid chain after the last commit: a transaction that never committed.
        for (int f = scan.mxFrame() + 1; f <= scan.lastValidFrame(); f++) {
            frame(db, f, scan.frameHeader(f).pageNumber(), SourceKind.WAL_UNCOMMITTED, null);
        }
        int headerSalt1 = scan.header() == null ? 0 : scan.header().salt1();
        for (StaleGroup g : StaleFrames.find(scan).groups()) {
            Integer generation = switch (g.kind()) {
                case OTHER_SALTS -> headerSalt1 - g.salt1();
                default -> null;
            };
            SourceKind kind = generation != null ? SourceKind.WAL_STALE : SourceKind.WAL_UNCOMMITTED;
            for (StaleGroup.Frame fr : g.frames()) {
                if (fr.pageNumber() > 0) {
                    frame(db, fr.frameNumber(), fr.pageNumber(), kind, generation);
                }
            }
        }
        return out;
    }

    private void frame(Database db, int frame, long pageNumber, SourceKind kind, Integer generation) {
        WalScan scan = history.wal();
        if (scan.frameOffset(frame) + WalFormat.FRAME_HEADER_SIZE + scan.pageSize() > scan.fileSize()) {
            return;
        }
        MemorySegment image = scan.source().segment().asSlice(scan.frameOffset(frame) + WalFormat.FRAME_HEADER_SIZE, scan.pageSize());
        BtreePage page = new BtreePage(pageNumber, image, db.usableSize());
        if (page.type() != 13 || page.headerProblem() != null) {
            return;
        }
        Cell cell = new Cell();
        Record rec = db.newRecord();
        String t = ownerOfPage.get(pageNumber);
        if (t == null) {
            t = ownerByShape(db, page, cell, rec, image);
        }
        TableInfo info = t == null ? null : infos.get(t);
        if (info == null || info.withoutRowid()) {
            return;
        }
        TableReader reader = new TableReader(db, new SchemaEntry(0, "table", t, t, 0, null), info);
        int n = Math.min(page.cellCount(), page.maxCells());
        for (int i = 0; i < n; i++) {
            int off = page.cellOffset(i);
            if (off < page.cellPointerArrayEnd() || off > db.usableSize() - 4) {
                continue;
            }
            page.parseCell(off, cell);
            if (cell.overflows() || off + cell.size > db.usableSize() || rec.parse(image, cell.payloadOffset, cell.payloadSize) != null) {
                continue;
            }
            Object[] values = reader.values(cell.key, rec);
            RecordStatus status = kind == SourceKind.WAL_UNCOMMITTED ? RecordStatus.UNCOMMITTED
                    : liveRowids.contains(Hashing.rowid(t, cell.key)) ? RecordStatus.SUPERSEDED : RecordStatus.DELETED;
            emit(t, info, cell.key, values, status, new RecordSource(walFile, kind, pageNumber, (long) frame,
                    scan.frameOffset(frame) + WalFormat.FRAME_HEADER_SIZE + off, generation));
        }
    }

    /**
     * The one rowid table whose stored column count every well-formed cell of {@code page} has (a page
     * no commit's b-tree holds: new pages of an uncommitted or stale transaction), or null when none or
     * several fit.
     */
    private String ownerByShape(Database db, BtreePage page, Cell cell, Record rec, MemorySegment image) {
        Set<Integer> widths = new HashSet<>();
        int n = Math.min(page.cellCount(), page.maxCells());
        for (int i = 0; i < n; i++) {
            int off = page.cellOffset(i);
            if (off < page.cellPointerArrayEnd() || off > db.usableSize() - 4) {
                continue;
            }
            page.parseCell(off, cell);
            if (!cell.overflows() && off + cell.size <= db.usableSize() && rec.parse(image, cell.payloadOffset, cell.payloadSize) == null) {
                widths.add(rec.columnCount());
            }
        }
        if (widths.size() != 1) {
            return null;
        }
        int w = widths.iterator().next();
        String owner = null;
        for (Map.Entry<String, TableInfo> e : infos.entrySet()) {
            TableInfo info = e.getValue();
            if (info != null && !info.withoutRowid() && info.storedColumnCount() == w && !e.getKey().startsWith("sqlite_")) {
                if (owner != null) {
                    return null;
                }
                owner = e.getKey();
            }
        }
        return owner;
    }

    private void emit(String table, TableInfo info, Long rowid, Object[] values, RecordStatus status, RecordSource source) {
        long h = Hashing.values(table, rowid, values);
        if (live.contains(h) || !emitted.add(h)) {
            return;
        }
        List<String> cols = info.columns().stream().map(io.walkit.db.Column::name).toList();
        out.add(new RecoveredRecord(table, cols, rowid, values, status, Confidence.COMPLETE, source));
    }
}
