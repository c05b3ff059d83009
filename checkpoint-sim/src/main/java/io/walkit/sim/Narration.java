package io.walkit.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step-by-step account of a built-in scenario: text lines for people, facts for tests and
 * JSON, and the files worth writing out (copies and final states), by file name. Mutable while a
 * scenario builds it; not thread-safe.
 */
public final class Narration {

    private final String title;
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    /** An empty narration titled {@code title}. */
    public Narration(String title) {
        this.title = title;
    }

    /** The scenario's title. */
    public String title() {
        return title;
    }

    /** Adds a line. */
    public Narration say(String line) {
        lines.add(line);
        return this;
    }

    /** Records a fact. */
    public Narration fact(String name, Object value) {
        facts.put(name, value);
        return this;
    }

    /** Records a file to write. */
    public Narration file(String name, byte[] bytes) {
        if (bytes != null) {
            files.put(name, bytes);
        }
        return this;
    }

    /** The lines said so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The facts recorded so far, by name (values are strings, numbers or booleans). */
    public Map<String, Object> facts() {
        return facts;
    }

    /** The files recorded so far, by file name. */
    public Map<String, byte[]> files() {
        return files;
    }

    /** Title, then the lines. */
    public String text() {
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
