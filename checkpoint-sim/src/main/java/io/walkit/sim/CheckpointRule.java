package io.walkit.sim;

import java.util.Locale;

/**
 * Which version of walCheckpoint the model runs: before or after SQLite's fix of the WAL-reset
 * race (docs/wal-reset-race.md). The rules differ only when another connection restarts the WAL
 * between a checkpoint's header read and its backfill, so a scenario without interleaved
 * checkpoint sub-steps behaves the same under both. Immutable.
 */
public enum CheckpointRule {
    /**
     * SQLite 3.7.0 to 3.51.2 (and releases without the backport): the backfill works from the
     * header read at the start of the checkpoint without looking at it again.
     */
    PRE_FIX,
    /**
     * SQLite 3.51.3 and later, and the backports 3.50.7 and 3.44.6: with READ0 held exclusively,
     * the backfill first compares the live wal-index salts with the ones it read and does nothing
     * when they changed.
     */
    POST_FIX;

    /**
     * The script name.
     *
     * @return {@code pre-fix} or {@code post-fix}
     */
    public String scriptName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The rule a script names.
     *
     * @param s {@code pre-fix} or {@code post-fix}
     * @return the rule
     * @throws IllegalArgumentException for any other name
     */
    public static CheckpointRule parse(String s) {
        for (CheckpointRule r : values()) {
            if (r.scriptName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown rule " + s + " (pre-fix or post-fix)");
    }
}
