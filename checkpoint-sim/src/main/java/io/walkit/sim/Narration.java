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

    /**
     * An empty narration titled {@code title}.
     *
     * @param title the scenario's title, one line
     */
    public Narration(String title) {
        this.title = title;
    }

    /**
     * The scenario's title.
     *
     * @return the title
     */
    public String title() {
        return title;
    }

    /**
     * Adds a line.
     *
     * @param line a line for people, without a line terminator
     * @return this narration
     */
    public Narration say(String line) {
        lines.add(line);
        return this;
    }

    /**
     * Records a fact (replacing an earlier fact of the same name).
     *
     * @param name  the fact's name (a JSON field name)
     * @param value a string, number or boolean
     * @return this narration
     */
    public Narration fact(String name, Object value) {
        facts.put(name, value);
        return this;
    }

    /**
     * Records a file to write; nothing when {@code bytes} is null (the file does not exist).
     *
     * @param name  the file name
     * @param bytes the file's bytes (kept, not copied), or null
     * @return this narration
     */
    public Narration file(String name, byte[] bytes) {
        if (bytes != null) {
            files.put(name, bytes);
        }
        return this;
    }

    /**
     * The lines said so far.
     *
     * @return an immutable copy, oldest first
     */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * The facts recorded so far, by name (values are strings, numbers or booleans).
     *
     * @return the narration's own map, in recording order (live, not a copy)
     */
    public Map<String, Object> facts() {
        return facts;
    }

    /**
     * The files recorded so far, by file name.
     *
     * @return the narration's own map, in recording order (live, not a copy)
     */
    public Map<String, byte[]> files() {
        return files;
    }

    /**
     * Title, then the lines.
     *
     * @return the text, each line ending in a newline
     */
    public String text() {
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
