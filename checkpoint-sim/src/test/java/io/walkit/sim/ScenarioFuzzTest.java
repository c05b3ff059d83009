package io.walkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Any script text either fails to parse with a line-numbered IllegalArgumentException or runs without breaking an invariant. */
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
        new ScenarioRunner(false, true).run(s, o -> assertEquals(List.of(), o.violations(), o.describe()));
    }
}
