package io.walkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.walkit.testkit.JournalBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs every verb listed in {@code json-verbs.tsv} with {@code --json} and validates its output
 * against its JSON Schema in {@code docs/schemas}: one object for a report, one valid object per
 * line for a stream. Also: every verb that takes {@code --json} is listed, and every verb outside
 * {@code sim} takes {@code --json}.
 */
class JsonSchemaTest {

    @TempDir
    static Path dir;

    static final Map<String, String> PLACES = new HashMap<>();
    static final ObjectMapper MAPPER = new ObjectMapper();

    record Row(String schema, boolean lines, Set<Integer> codes, List<String> args) {}

    static Path root() {
        return DbCommandTest.sample().getParent().getParent().getParent();
    }

    @BeforeAll
    static void files() throws IOException {
        Path sample = DbCommandTest.sample();
        for (String f : List.of("sample.db", "sample.db-wal", "sample.db-shm")) {
            Files.copy(sample.resolveSibling(f), dir.resolve(f));
        }
        Path shapes = root().resolve("testdata/db/shapes.db");
        PLACES.put("{db}", dir.resolve("sample.db").toString());
        PLACES.put("{wal}", dir.resolve("sample.db-wal").toString());
        PLACES.put("{shm}", dir.resolve("sample.db-shm").toString());
        PLACES.put("{shapes}", shapes.toString());
        // A hot journal that restores page 3 (item's root) to its current image: rolled back = the same database.
        Path hot = Files.createDirectories(dir.resolve("hot")).resolve("h.db");
        byte[] db = Files.readAllBytes(shapes);
        Files.write(hot, db);
        byte[] page3 = Arrays.copyOfRange(db, 2 * 512, 3 * 512);
        Path journal = hot.resolveSibling("h.db-journal");
        Files.write(journal, new JournalBuilder(512, 512).header(1, 0x1234, db.length / 512).page(3, page3).build());
        PLACES.put("{hot}", hot.toString());
        PLACES.put("{journal}", journal.toString());
        // A damaged leaf: item's root page 3 gets an invalid page type.
        Path damaged = dir.resolve("damaged.db");
        byte[] d = db.clone();
        d[2 * 512] = 0x55;
        Files.write(damaged, d);
        PLACES.put("{damaged}", damaged.toString());
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = JsonSchemaTest.class.getResourceAsStream("json-verbs.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t");
                if (c[0].equals("pending")) {
                    continue;
                }
                assertEquals(4, c.length, "4 tab-separated columns: " + line);
                Set<Integer> codes = new TreeSet<>();
                for (String code : c[2].split(",")) {
                    codes.add(Integer.parseInt(code.strip()));
                }
                rows.add(new Row(c[0], c[1].equals("lines"), codes, List.of(c[3].split(" "))));
            }
        }
        return rows;
    }

    static JsonSchema schema(String name) throws IOException {
        Path p = root().resolve("docs/schemas/" + name + ".schema.json");
        assertTrue(Files.isRegularFile(p), "no schema " + p);
        try (InputStream in = Files.newInputStream(p)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyListedVerbMatchesItsSchema() throws IOException {
        return rows().stream().map(row -> DynamicTest.dynamicTest(String.join(" ", row.args()), () -> {
            String[] args = row.args().stream().map(a -> {
                String v = a;
                for (var e : PLACES.entrySet()) {
                    v = v.replace(e.getKey(), e.getValue());
                }
                return v;
            }).toArray(String[]::new);
            CliRun r = CliRun.run(args);
            assertTrue(row.codes().contains(r.code()), "exit " + r.code() + " not in " + row.codes() + "\n" + r);
            JsonSchema schema = schema(row.schema());
            List<String> docs = row.lines() ? r.out().lines().toList() : List.of(r.out().strip());
            assertFalse(docs.isEmpty() || docs.getFirst().isEmpty(), "no output\n" + r);
            if (!row.lines()) {
                assertEquals(1, r.out().strip().lines().count(), "a report is one JSON object on one line\n" + r);
            }
            for (String doc : docs) {
                JsonNode node = MAPPER.readTree(doc);
                assertTrue(node.isObject(), "not a JSON object: " + doc);
                Set<ValidationMessage> errors = schema.validate(node);
                assertTrue(errors.isEmpty(), row.schema() + ": " + errors + "\n" + doc);
            }
        }));
    }

    /** Leaf verbs as "group verb", with whether they take --json. */
    static Map<String, Boolean> verbs() {
        Map<String, Boolean> out = new java.util.TreeMap<>();
        CommandLine cl = Walkit.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), null);
        collect(cl, "", out);
        return out;
    }

    private static void collect(CommandLine cl, String prefix, Map<String, Boolean> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            String name = (prefix + " " + e.getKey()).strip();
            if (e.getValue().getSubcommands().isEmpty() || e.getValue().getSubcommands().keySet().equals(Set.of("help"))) {
                out.put(name, e.getValue().getCommandSpec().findOption("--json") != null);
            } else {
                collect(e.getValue(), name, out);
            }
        }
    }

    @Test
    void everyVerbWithJsonIsListedAndEveryVerbOutsideSimHasJson() throws IOException {
        Set<String> listed = new TreeSet<>();
        for (Row r : rows()) {
            // a top-level verb (walkit scan --json ...) or a verb of a group (walkit db dump --json ...)
            listed.add(r.args().get(1).startsWith("-") ? r.args().get(0) : r.args().get(0) + " " + r.args().get(1));
        }
        try (InputStream in = JsonSchemaTest.class.getResourceAsStream("json-verbs.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("pending\t")) {
                    listed.add(line.split("\t")[1]); // its owner adds the schema and the line
                }
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> noJson = new ArrayList<>();
        verbs().forEach((verb, json) -> {
            if (verb.equals("help") || verb.endsWith(" help")) {
                return;
            }
            if (json && !listed.contains(verb)) {
                missing.add(verb);
            }
            if (!json) {
                noJson.add(verb);
            }
        });
        assertTrue(missing.isEmpty(), "add a line to cli/src/test/resources/io/walkit/cli/json-verbs.tsv for: " + missing);
        assertTrue(noJson.isEmpty(), "verbs without --json: " + noJson);
    }
}
