package io.walkit.sim;

import io.walkit.db.IntegrityCode;
import io.walkit.io.Problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.walkit.db.IntegrityCheck;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The comparison rule of the integrity differential: same verdict, and walkit names every page SQLite names. */
class IntegrityOracleTest {

    private static IntegrityOracle.Judgement judgement(List<String> sqlite, Problem... walkit) {
        boolean ok = sqlite.equals(List.of("ok"));
        return new IntegrityOracle.Judgement("x.db", new IntegrityOracle.SqliteVerdict(ok, sqlite),
                new CopyIntegrity.Verdict(new IntegrityCheck.Report(List.of(walkit), false), 0));
    }

    private static Problem problem(IntegrityCode code, long page, String structure, String field, String found) {
        return new Problem(Problem.Severity.ERROR, code, null, new Problem.Position.Page(page), structure, field, null, found, null);
    }

    @Test
    void pagesSqliteNamesAreParsedFromEveryMessageShape() {
        assertEquals(Set.of(2L, 5L, 7L, 9L, 99L, 4L), IntegrityOracle.pagesIn(List.of(
                "Tree 2 page 5 cell 3: Rowid 8 out of order", "Page 7: never used", "Tree 2 page 9 right child: x",
                "invalid page number 99", "2nd reference to page 4", "row 12 missing from index t_v",
                "wrong # of entries in index t_v")));
    }

    @Test
    void verdictsMustAgree() {
        assertTrue(judgement(List.of("ok")).agree());
        assertFalse(judgement(List.of("row 1 missing from index t_v")).agree());
        assertFalse(judgement(List.of("ok"), problem(IntegrityCode.ROW_MISSING_FROM_INDEX, 3, null, "t_v", "1")).agree());
        assertFalse(judgement(List.of("error: database disk image is malformed")).agree());
    }

    @Test
    void walkitMustNameEveryPageSqliteNames() {
        IntegrityOracle.Judgement same = judgement(List.of("Tree 2 page 5 cell 3: Rowid 8 out of order"),
                problem(IntegrityCode.ROWID_ORDER, 5, "Tree 2 page 5 cell 3", "rowid", "8"));
        assertTrue(same.agree(), same.describe());
        IntegrityOracle.Judgement other = judgement(List.of("Tree 2 page 5 cell 3: Rowid 8 out of order", "Page 7: never used"),
                problem(IntegrityCode.ROWID_ORDER, 5, "Tree 2 page 5 cell 3", "rowid", "8"));
        assertFalse(other.agree());
        assertEquals(Set.of(7L), other.missingPages());
        // Pages without a page-naming message (row-level problems) only need the verdict.
        assertTrue(judgement(List.of("row 4 missing from index t_v"),
                problem(IntegrityCode.ROW_MISSING_FROM_INDEX, 2, null, "t_v", "5")).agree());
    }

    @Test
    void sameTextIgnoresOrderAndSqlitesTrailingError() {
        IntegrityOracle.Judgement j = judgement(List.of("wrong # of entries in index t_v", "Page 7: never used",
                        "error: [SQLITE_CORRUPT] database disk image is malformed"),
                problem(IntegrityCode.PAGE_NEVER_USED, 7, null, null, "7"),
                problem(IntegrityCode.INDEX_ENTRY_COUNT, 3, null, "t_v", null));
        assertTrue(j.sameText(), j.describe());
        assertFalse(judgement(List.of("row 4 missing from index t_v"),
                problem(IntegrityCode.ROW_MISSING_FROM_INDEX, 2, null, "t_v", "5")).sameText());
    }
}
