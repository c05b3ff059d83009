package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Any script text either fails to parse with a line-numbered IllegalArgumentException or runs
 * without breaking an invariant (under the pre-fix rule: runs).
 */
class ScenarioFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void fuzzScript(byte[] input) {
        if (input.length > 4000) {
            return;
        }
        String text = new String(input, StandardCharsets.UTF_8);
        Scenario s;
        try {
            s = ScenarioParser.parse(text);
        } catch (IllegalArgumentException e) {
            return; // a usage error, reported with its line
        }
        // Under the pre-fix rule SQLite's WAL-reset race breaks the invariants by design (sub-steps
        // interleaved with a restart): such a script must run, but may show violations.
        boolean knownSqliteBug = s.config().rule() == CheckpointRule.PRE_FIX;
        new ScenarioRunner(false, true).run(s, o -> {
            if (!knownSqliteBug) {
                assertEquals(List.of(), o.violations(), o.describe());
            }
        });
    }
}
