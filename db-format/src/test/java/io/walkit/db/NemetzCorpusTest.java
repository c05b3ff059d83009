package io.walkit.db;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.walkit.testkit.NemetzXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The SQLite Forensic Corpus (Nemetz, Schmitt, Freiling 2018) from ../shared/corpora/nemetz-v1:
 * for every database, the live rows walkit reads equal the rows its XML marks not deleted
 * (scored per category), and neither reading nor the integrity check throws an unchecked
 * exception. Skips when the corpus is absent.
 */
class NemetzCorpusTest {

    static Path corpus() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            Path c = q.resolveSibling("shared").resolve("corpora/nemetz-v1");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void liveRowsEqualTheXmlAndNothingThrows() throws Exception {
        Path corpus = corpus();
        assumeTrue(corpus != null, "../shared/corpora/nemetz-v1 is absent; skipping the Nemetz corpus test");
        Map<String, int[]> score = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        List<Path> dbs;
        try (Stream<Path> s = Files.walk(corpus)) {
            dbs = s.filter(f -> f.toString().endsWith(".db")).sorted().toList();
        }
        for (Path db : dbs) {
            String category = db.getParent().getFileName().toString();
            int[] sc = score.computeIfAbsent(category, k -> new int[2]);
            sc[1]++;
            String problem;
            try {
                problem = compare(db, db.resolveSibling(db.getFileName().toString().replace(".db", ".xml")));
            } catch (io.walkit.io.CorruptFileException e) {
                problem = "corrupt: " + e.getMessage();
            } catch (RuntimeException | AssertionError e) {
                unchecked.add(db.getFileName() + ": " + e);
                problem = "unchecked " + e;
            }
            if (problem == null) {
                sc[0]++;
            } else {
                failures.add(db.getFileName() + ": " + problem);
            }
            boolean walkitOk = false;
            try (FilePageSource src = FilePageSource.map(db)) {
                walkitOk = IntegrityCheck.check(src, 100).ok();
            } catch (io.walkit.io.CorruptFileException e) {
                // a checked report is fine
            } catch (RuntimeException e) {
                unchecked.add(db.getFileName() + " (check): " + e);
            }
            // SQLite on a copy (opening the original could leave files next to it).
            Path copy = Files.createTempFile("nemetz", ".db");
            try {
                Files.copy(db, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                List<String> sqlite = Sqlite.integrityCheck(copy);
                if (sqlite.equals(List.of("ok")) != walkitOk) {
                    verdicts.add(db.getFileName() + ": sqlite " + sqlite + " walkit " + (walkitOk ? "ok" : "not ok"));
                }
            } finally {
                Files.deleteIfExists(copy);
            }
        }
        StringBuilder sb = new StringBuilder("Nemetz corpus: databases whose live rows equal the XML, per category\n");
        int ok = 0;
        int all = 0;
        for (var e : score.entrySet()) {
            sb.append(String.format("  %s: %d/%d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
            ok += e.getValue()[0];
            all += e.getValue()[1];
        }
        sb.append(String.format("  total: %d/%d%n", ok, all));
        for (String f : failures) {
            sb.append("  differs: ").append(f).append('\n');
        }
        sb.append("  integrity verdict differs from SQLite on ").append(verdicts.size()).append(" databases\n");
        for (String v : verdicts) {
            sb.append("  verdict: ").append(v).append('\n');
        }
        System.out.println(sb);
        assertTrue(unchecked.isEmpty(), "unchecked exceptions: " + unchecked);
        assertTrue(verdicts.isEmpty(), "integrity verdicts differ from SQLite: " + verdicts);
    }

    /** Null when walkit's live rows equal the XML's non-deleted rows for every live table, else why not. */
    static String compare(Path db, Path xml) throws Exception {
        Map<String, List<List<String>>> expected;
        try {
            expected = expectedRows(xml);
        } catch (org.xml.sax.SAXException e) {
            return "its XML is not well-formed (" + e.getMessage() + ")";
        }
        try (Database d = Database.open(db, Database.defaultWal(db), null)) {
            for (var e : expected.entrySet()) {
                TableReader r = TableReader.open(d, e.getKey());
                if (r == null) {
                    return "table '" + e.getKey() + "' not found";
                }
                List<List<String>> actual = new ArrayList<>();
                r.scan((id, v) -> {
                    List<String> row = new ArrayList<>();
                    for (Object o : v) {
                        row.add(render(o));
                    }
                    return actual.add(row);
                });
                List<List<String>> want = new ArrayList<>(e.getValue());
                if (!sameMultiset(want, actual)) {
                    return "table '" + e.getKey() + "': xml " + want.size() + " live rows, walkit " + actual.size()
                            + (want.isEmpty() || actual.isEmpty() ? "" : "; e.g. xml " + want.get(0) + " walkit " + actual.get(0));
                }
            }
        }
        return null;
    }

    static boolean sameMultiset(List<List<String>> a, List<List<String>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Map<String, Integer> count = new HashMap<>();
        for (List<String> r : a) {
            count.merge(key(r), 1, Integer::sum);
        }
        for (List<String> r : b) {
            if (count.merge(key(r), -1, Integer::sum) < 0) {
                return false;
            }
        }
        return true;
    }

    static String key(List<String> row) {
        StringBuilder sb = new StringBuilder();
        for (String s : row) {
            sb.append(normalise(s)).append('\u0001');
        }
        return sb.toString();
    }

    /** Numbers compare by value ("58.9966800" = "58.99668"); everything else literally. */
    static String normalise(String s) {
        // The XML writes SQL NULL as the text NULL.
        if (s == null || s.equals("NULL")) {
            return "\u0000null";
        }
        if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return "#" + Double.parseDouble(s);
        }
        return s;
    }

    static String render(Object o) {
        return switch (o) {
            case null -> null;
            case byte[] b -> java.util.HexFormat.of().formatHex(b);
            default -> o.toString();
        };
    }

    static Map<String, List<List<String>>> expectedRows(Path xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setExpandEntityReferences(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // Some corpus files hold C0 control characters, which XML 1.0 forbids: map them to private-use
        // characters for parsing and back afterwards.
        String raw = Files.readString(xml, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder clean = new StringBuilder(raw.length());
        raw.chars().forEach(ch -> clean.append(ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' ? (char) (0xE000 + ch) : (char) ch));
        Document doc = f.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(clean.toString())));
        Map<String, List<List<String>>> out = new HashMap<>();
        NodeList elements = doc.getDocumentElement().getElementsByTagName("element");
        for (int i = 0; i < elements.getLength(); i++) {
            Element el = (Element) elements.item(i);
            Element meta = NemetzXml.child(el, "meta");
            if (meta == null || !"table".equals(NemetzXml.text(NemetzXml.child(meta, "type"))) || "True".equalsIgnoreCase(NemetzXml.text(NemetzXml.child(meta, "deleted")))) {
                continue;
            }
            Element nameEl = NemetzXml.child(meta, "name");
            String name = nameEl == null ? null : NemetzXml.unmap(nameEl.getTextContent());
            List<List<String>> rows = new ArrayList<>();
            Element entries = NemetzXml.child(el, "entries");
            if (entries != null) {
                for (Node n = entries.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element row && row.getTagName().equals("row") && !"1".equals(row.getAttribute("deleted"))) {
                        List<String> values = new ArrayList<>();
                        for (Node c = row.getFirstChild(); c != null; c = c.getNextSibling()) {
                            if (c instanceof Element col && col.getTagName().equals("column")) {
                                Element content = NemetzXml.child(col, "content");
                                values.add(content == null ? null : NemetzXml.unmap(content.getTextContent()));
                            }
                        }
                        rows.add(values);
                    }
                }
            }
            out.put(name, rows);
        }
        return out;
    }
}
