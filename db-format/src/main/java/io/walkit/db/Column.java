package io.walkit.db;

/**
 * One declared column of a table, as {@code TableParser} reads it from CREATE TABLE. Immutable;
 * thread-safe.
 *
 * @param name          column name
 * @param declaredType  declared type text ("" if none)
 * @param affinity      type affinity
 * @param notNull       NOT NULL constraint
 * @param defaultValue  DEFAULT value with affinity applied (a literal; null when absent or not a literal)
 * @param virtual       a VIRTUAL generated column (not stored in records)
 * @param generated     any generated column
 * @param collation     COLLATE name or null (BINARY)
 */
public record Column(String name, String declaredType, Affinity affinity, boolean notNull, Object defaultValue,
                     boolean virtual, boolean generated, String collation) {}
