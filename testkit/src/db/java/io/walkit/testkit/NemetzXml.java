package io.walkit.testkit;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reading helpers for the Nemetz/Schmitt/Freiling corpus XML, shared by db-format's live-row test
 * and forensics' deleted-row score (through db-format's test-jar). Stateless; thread-safe.
 */
public final class NemetzXml {

    private NemetzXml() {
    }

    /**
     * The corpus maps control characters U+0000..U+001F to U+E000..U+E01F so that XML can hold
     * them; this maps them back.
     *
     * @param s a column's text, or null
     * @return the value as stored, or null
     */
    public static String unmap(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.chars().forEach(ch -> sb.append(ch >= 0xE000 && ch < 0xE020 ? (char) (ch - 0xE000) : (char) ch));
        return sb.toString();
    }

    /**
     * The first child element of {@code e} with tag {@code tag}.
     *
     * @param e the parent
     * @param tag the tag name
     * @return the child, or null
     */
    public static Element child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The stripped text of an element.
     *
     * @param e the element, or null
     * @return its text, or null
     */
    public static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }
}
