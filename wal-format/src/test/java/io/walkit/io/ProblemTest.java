package io.walkit.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProblemTest {

    private enum TestCode implements Problem.Code {
        PAGE_SIZE;

        @Override
        public String id() {
            return "page-size";
        }
    }

    @Test
    void derivesTheCorruptFileExceptionShapeFromTheComponents() {
        CorruptFileException e = new CorruptFileException("app.db-wal", 8, "WAL header", "page size",
                "a power of two in 512..65536", "1000");
        Problem p = Problem.of(TestCode.PAGE_SIZE, e);
        assertEquals("page size must be a power of two in 512..65536, found 1000", p.message());
        assertEquals("WAL header: page size must be a power of two in 512..65536, found 1000", p.text());
        assertEquals("error page-size: WAL header: page size must be a power of two in 512..65536, found 1000"
                + " (file=app.db-wal, offset=0x8 (8))", p.toString());
        assertEquals(new Problem.Position.FileOffset(8), p.position());
    }

    @Test
    void emptyStringsAreAbsentNotPlaceholders() {
        Problem p = new Problem(Problem.Severity.INFO, TestCode.PAGE_SIZE, "", null, "", "", "", "", "");
        assertNull(p.file());
        assertNull(p.structure());
        assertNull(p.detail());
        assertEquals("page-size", p.message(), "with nothing to say, the code's id");
        assertEquals("info page-size: page-size", p.toString());
    }

    @Test
    void detailFollowsTheFieldOrStandsAlone() {
        Problem both = new Problem(Problem.Severity.WARNING, TestCode.PAGE_SIZE, null, new Problem.Position.Frame(12),
                "wal-index header", "nBackfill", null, "7", "a checkpoint was interrupted");
        assertEquals("wal-index header: nBackfill is 7: a checkpoint was interrupted", both.text());
        assertEquals("warning page-size: wal-index header: nBackfill is 7: a checkpoint was interrupted (frame=12)",
                both.toString());
        Problem alone = new Problem(Problem.Severity.WARNING, TestCode.PAGE_SIZE, "x", null, null, null, null, null, "odd");
        assertEquals("odd", alone.text());
    }

    @Test
    void positionsNameTheirUnits() {
        assertEquals(5, new Problem.Position.InPage(5, 100).pageNumber());
        assertEquals(0, new Problem.Position.Frame(5).pageNumber());
        assertEquals("page=5, offset in page=0x64 (100)", new Problem.Position.InPage(5, 100).toString());
        assertEquals("generation=0123456789abcdef, index=2, offset=0x20 (32)",
                new Problem.Position.BackupPosition("0123456789abcdef", 2, 32).toString());
        assertEquals("txid=0x000000000000000a", new Problem.Position.Txid(10).toString());
        assertThrows(NullPointerException.class, () -> new Problem(null, TestCode.PAGE_SIZE, null, null, null, null, null, null, null));
    }
}
