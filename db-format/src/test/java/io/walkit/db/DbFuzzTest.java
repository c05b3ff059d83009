package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.walkit.io.CorruptFileException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Coverage-guided fuzz targets (Jazzer) for the database readers. In a plain {@code mvn test}
 * they replay the committed seeds under {@code src/test/resources/io/walkit/db/DbFuzzTestInputs/}
 * (small real SQLite files and pieces of them); with {@code JAZZER_FUZZ=1} one target is fuzzed
 * (see docs/fuzzing-db.md). Each target allows only {@link CorruptFileException}; any other
 * exception, a hang or an out-of-memory is a finding.
 */
class DbFuzzTest {

    /** Header decode, validation and the encode round trip. */
    @FuzzTest(maxDuration = "30s")
    void header(byte[] data) {
        if (data.length < DbFormat.HEADER_SIZE) {
            return;
        }
        DatabaseHeader h = DatabaseHeader.read(data);
        h.validate();
        h.usableSize();
        assertArrayEquals(Arrays.copyOf(data, DbFormat.HEADER_SIZE), h.encode());
    }

    /** One b-tree page: header, free-space computation, every cell. */
    @FuzzTest(maxDuration = "30s")
    void pageDecode(byte[] data) {
        byte[] page = Arrays.copyOf(data, 512);
        int usable = 512 - (data.length > 512 ? data[512] & 0x1F : 0);
        BtreePage p = new BtreePage(2, MemorySegment.ofArray(page), usable);
        if (p.headerProblem() != null) {
            return;
        }
        p.computeFreeSpace();
        Cell cell = new Cell();
        for (int i = 0; i < p.cellCount(); i++) {
            p.parseCell(p.cellOffset(i), cell);
        }
    }

    /** Record header and every value. */
    @FuzzTest(maxDuration = "30s")
    void recordDecode(byte[] data) {
        Record r = Record.forEncoding(data.length > 0 ? data[0] & 3 : 1);
        if (r.parse(MemorySegment.ofArray(data), 0, data.length) == null) {
            r.values();
            for (int i = 0; i < r.columnCount(); i++) {
                r.getDouble(i);
                r.isNull(i);
            }
        }
    }

    /** Schema read and a full scan of every table and index, with a legal 512-byte page header forced. */
    @FuzzTest(maxDuration = "60s")
    void btreeWalk(byte[] data) {
        byte[] image = legalHeader(data);
        if (image == null) {
            return;
        }
        try (FilePageSource src = FilePageSource.of(image, "fuzz.db"); Database db = Database.open(src)) {
            for (SchemaEntry e : db.schema().entries()) {
                if (e.isTable() && e.rootPage() != 0) {
                    new TableReader(db, e, db.schema().table(e)).scan((id, v) -> true);
                } else if (e.isIndex() && e.rootPage() != 0) {
                    db.scanIndex(e.rootPage(), rec -> true);
                }
            }
            db.findRowid(1, 3, (id, rec) -> true);
            PageUsage.of(db, java.util.List.of(1L));
        } catch (CorruptFileException expected) {
            // a checked report is an allowed outcome
        }
    }

    /** The integrity check never throws. */
    @FuzzTest(maxDuration = "60s")
    void integrityCheck(byte[] data) {
        byte[] image = legalHeader(data);
        if (image == null) {
            return;
        }
        try (FilePageSource src = FilePageSource.of(image, "fuzz.db")) {
            IntegrityCheck.check(src, 100);
        } catch (CorruptFileException expected) {
            // a checked report is an allowed outcome
        }
    }

    /**
     * PageApplier through a WAL whose chain is made valid (header forced to 512-byte pages, every
     * frame re-encoded with {@code WalFrame.encodeHeader}), so the fuzzer controls page numbers and
     * commit sizes; the base database is a prefix of the input. Every commit is applied.
     */
    @FuzzTest(maxDuration = "30s")
    void pageApplier(byte[] data) {
        if (data.length < io.walkit.wal.WalFormat.HEADER_SIZE || data.length > 1 << 20) {
            return;
        }
        byte[] w = data.clone();
        MemorySegment seg = MemorySegment.ofArray(w);
        io.walkit.wal.WalHeader found = io.walkit.wal.WalHeader.read(seg, 0);
        io.walkit.wal.WalHeader h = io.walkit.wal.WalHeader.create(false, 512, found.checkpointSequence(),
                found.salt1(), found.salt2());
        h.encodeTo(seg, 0);
        long sum = h.storedChecksum();
        for (long f = 1; io.walkit.wal.WalFormat.frameOffset(f + 1, 512) <= w.length; f++) {
            long off = io.walkit.wal.WalFormat.frameOffset(f, 512);
            io.walkit.wal.WalFrameHeader fh = io.walkit.wal.WalFrameHeader.read(seg, off);
            sum = io.walkit.wal.WalFrame.encodeHeader(seg, off, 512, fh.pageNumber(), fh.commitSize(), h.salt1(),
                    h.salt2(), false, sum);
        }
        io.walkit.wal.WalScan scan = io.walkit.wal.WalScanner.scan(io.walkit.io.ByteSource.of(w, "fuzz.db-wal"));
        byte[] base = Arrays.copyOf(data, Math.min(data.length, (data[0] & 7) * 512 + (data[1] & 0xFF)));
        for (io.walkit.wal.Commit c : scan.commits()) {
            try {
                PageApplier a = PageApplier.onto(io.walkit.io.ByteSource.of(base, "fuzz.db"), 512).applyWal(scan, c);
                if (a.imageSize() <= 8 << 20) {
                    a.toByteArray();
                }
                if (a.nPage() > 0) {
                    a.page(a.nPage());
                }
            } catch (CorruptFileException expected) {
                // a checked report is an allowed outcome
            }
        }
    }

    /** The input with magic, page size 512 and payload fractions made legal (so the fuzzer reaches the b-trees). */
    static byte[] legalHeader(byte[] data) {
        if (data.length < DbFormat.HEADER_SIZE || data.length > 1 << 20) {
            return null;
        }
        byte[] b = data.clone();
        System.arraycopy(DbFormat.MAGIC, 0, b, 0, 16);
        b[16] = 2;
        b[17] = 0;
        b[20] = (byte) Math.min(b[20] & 0xFF, 32);
        b[21] = 64;
        b[22] = 32;
        b[23] = 32;
        return b;
    }
}
