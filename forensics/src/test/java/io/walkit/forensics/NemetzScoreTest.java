package io.walkit.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walkit.db.Database;
import io.walkit.testkit.NemetzXml;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Scores the carver on the deleted rows of the Nemetz/Schmitt/Freiling SQLite forensic corpus v1
 * (folders 07 and 0A–0E) with issue 12's matching rule, and checks the per-category table in
 * {@code docs/forensics.md} is the one computed here. Skips when ../shared is absent.
 *
 * <p>Expected deleted rows: the XML's rows marked {@code deleted="1"} and every row of a table element
 * marked {@code <deleted>True</deleted>} (dropped or overwritten tables). Matching: per database, a
 * carved record matches an expected row when its values equal the row's in order after normalising
 * NULL/empty, integral numbers to integers and other numbers to 12 significant digits; each expected
 * row is matched at most as often as it occurs; precision counts every carved record.
 */
class NemetzScoreTest {

    static final List<String> FOLDERS = List.of("07", "0A", "0B", "0C", "0D", "0E");

    static Path corpus() {
        for (Path q = Path.of("").toAbsolutePath(); q != null; q = q.getParent()) {
            Path c = q.resolveSibling("shared").resolve("corpora/nemetz-v1");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return null;
    }

    static Path docs() {
        for (Path q = Path.of("").toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("docs/forensics.md")) && Files.isRegularFile(q.resolve("pom.xml"))) {
                return q.resolve("docs/forensics.md");
            }
        }
        return null;
    }

    /** Per-folder counts: expected, recovered (matched), claimed. */
    record Score(int expected, int matched, int claimed) {
        Score plus(Score o) {
            return new Score(expected + o.expected, matched + o.matched, claimed + o.claimed);
        }
    }

    @Test
    void recallAndPrecisionMeetTheTargetsAndTheDocsTableIsCurrent() throws Exception {
        Path corpus = corpus();
        assumeTrue(corpus != null, "../shared/corpora/nemetz-v1 is absent; skipping the Nemetz score");
        Map<String, Score> byFolder = new LinkedHashMap<>();
        List<String> misses = new ArrayList<>();
        for (String folder : FOLDERS) {
            Score s = new Score(0, 0, 0);
            List<Path> dbs;
            try (Stream<Path> l = Files.list(corpus.resolve(folder))) {
                dbs = l.filter(f -> f.toString().endsWith(".db")).sorted().toList();
            }
            for (Path db : dbs) {
                Path xml = db.resolveSibling(db.getFileName().toString().replace(".db", ".xml"));
                List<List<String>> expected = expectedDeleted(xml);
                List<RecoveredRecord> carved;
                try (Database d = Database.open(db, null, null)) {
                    carved = Carver.carve(d, db.toString());
                }
                Map<String, Integer> want = new HashMap<>();
                for (List<String> row : expected) {
                    want.merge(key(row), 1, Integer::sum);
                }
                int matched = 0;
                for (RecoveredRecord r : carved) {
                    List<String> row = new ArrayList<>();
                    for (Object o : r.values()) {
                        row.add(render(o));
                    }
                    Integer left = want.get(key(row));
                    if (left != null && left > 0) {
                        want.put(key(row), left - 1);
                        matched++;
                    } else {
                        misses.add("false: " + db.getFileName() + " " + r);
                    }
                }
                for (var e : want.entrySet()) {
                    for (int i = 0; i < e.getValue(); i++) {
                        misses.add("missed: " + db.getFileName() + " " + e.getKey().replace('\u0001', '|'));
                    }
                }
                s = s.plus(new Score(expected.size(), matched, carved.size()));
            }
            byFolder.put(folder, s);
        }
        Score total = byFolder.values().stream().reduce(new Score(0, 0, 0), Score::plus);
        String table = table(byFolder, total);
        System.out.println(table);
        misses.stream().limit(400).forEach(m -> System.out.println("  " + m.substring(0, Math.min(m.length(), 300))));
        assertEquals(279, total.expected(), "the corpus holds 279 deleted rows in 07 and 0A-0E");
        Path doc = docs();
        if (doc != null) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            assertTrue(text.contains(table), "docs/forensics.md must hold the computed table:\n" + table);
        }
        assertTrue(total.matched() >= 225, "recall target: >= 225 of 279, got " + total.matched());
        assertTrue(total.matched() >= 0.95 * total.claimed(), "precision target: >= 0.95, got " + total.matched() + "/" + total.claimed());
    }

    /** The markdown rows for walkit, in the issue's column order. */
    static String table(Map<String, Score> f, Score total) {
        StringBuilder sb = new StringBuilder();
        sb.append("| walkit (computed by NemetzScoreTest) |");
        for (String c : List.of("0A", "0B", "0C", "0D", "0E")) {
            sb.append(' ').append(f.get(c).matched()).append(" |");
        }
        sb.append(String.format(java.util.Locale.ROOT, " %d (%.2f) | %.2f (%d of %d claimed) |", total.matched(),
                total.matched() / 279.0, total.claimed() == 0 ? 0.0 : (double) total.matched() / total.claimed(), total.matched(),
                total.claimed()));
        sb.append(String.format(java.util.Locale.ROOT, "%n%nFolder 07 (fragmented contents): %d of %d deleted rows recovered.",
                f.get("07").matched(), f.get("07").expected()));
        return sb.toString();
    }

    static String render(Object o) {
        return switch (o) {
            case null -> null;
            case byte[] b -> HexFormat.of().formatHex(b);
            default -> o.toString();
        };
    }

    static String key(List<String> row) {
        StringBuilder sb = new StringBuilder();
        for (String s : row) {
            sb.append(normalise(s)).append('\u0001');
        }
        return sb.toString();
    }

    /** Issue 12's normalisation: NULL and empty alike, integral numbers as integers, others to 12 significant digits. */
    static String normalise(String s) {
        if (s == null || s.isEmpty() || s.equals("NULL")) {
            return "";
        }
        if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            BigDecimal b = new BigDecimal(s);
            if (b.signum() == 0) {
                return "0";
            }
            if (b.stripTrailingZeros().scale() <= 0) {
                return b.toBigInteger().toString();
            }
            return "#" + b.round(new MathContext(12)).stripTrailingZeros().toPlainString();
        }
        return s;
    }

    static List<List<String>> expectedDeleted(Path xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setExpandEntityReferences(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // Some corpus files hold C0 control characters, which XML 1.0 forbids: map them to private-use
        // characters for parsing and back afterwards.
        String raw = Files.readString(xml, StandardCharsets.UTF_8);
        StringBuilder clean = new StringBuilder(raw.length());
        raw.chars().forEach(ch -> clean.append(ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' ? (char) (0xE000 + ch) : (char) ch));
        Document doc = f.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(clean.toString())));
        List<List<String>> out = new ArrayList<>();
        NodeList elements = doc.getDocumentElement().getElementsByTagName("element");
        for (int i = 0; i < elements.getLength(); i++) {
            Element el = (Element) elements.item(i);
            Element meta = NemetzXml.child(el, "meta");
            if (meta == null || !"table".equals(NemetzXml.text(NemetzXml.child(meta, "type")))) {
                continue;
            }
            boolean tableDeleted = "True".equalsIgnoreCase(NemetzXml.text(NemetzXml.child(meta, "deleted")));
            Element entries = NemetzXml.child(el, "entries");
            if (entries == null) {
                continue;
            }
            for (Node n = entries.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element row && row.getTagName().equals("row") && (tableDeleted || "1".equals(row.getAttribute("deleted")))) {
                    List<String> values = new ArrayList<>();
                    for (Node c = row.getFirstChild(); c != null; c = c.getNextSibling()) {
                        if (c instanceof Element col && col.getTagName().equals("column")) {
                            Element content = NemetzXml.child(col, "content");
                            values.add(content == null ? null : NemetzXml.unmap(content.getTextContent()));
                        }
                    }
                    out.add(values);
                }
            }
        }
        return out;
    }
}
