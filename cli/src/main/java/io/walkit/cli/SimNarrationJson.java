package io.walkit.cli;

import io.walkit.sim.Narration;
import java.util.Map;

/** The JSON form of a built-in scenario's narration: {@code {"title", "facts": {...}, "files": [names]}}. */
final class SimNarrationJson {

    private SimNarrationJson() {}

    /** Writes {@code n} as one object into {@code j}: facts keep their types (booleans, numbers, strings, null). */
    static Json write(Json j, Narration n) {
        return writeFields(j.beginObject(), n).endObject();
    }

    /** Writes the fields title, facts and files of {@code n} into the object {@code j} has open. */
    static Json writeFields(Json j, Narration n) {
        j.field("title", n.title()).name("facts").beginObject();
        for (Map.Entry<String, Object> f : n.facts().entrySet()) {
            j.name(f.getKey());
            switch (f.getValue()) {
                case null -> j.nullValue();
                case Boolean b -> j.value(b);
                case Integer i -> j.value(i.longValue());
                case Long l -> j.value(l);
                case Double d -> j.value(d);
                case Object o -> j.value(o.toString());
            }
        }
        j.endObject().name("files").beginArray();
        n.files().keySet().forEach(j::value);
        return j.endArray();
    }
}
