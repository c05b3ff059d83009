package io.walkit.db;

/**
 * Turns schema entries into table and index shapes for the integrity check's row level. The one
 * production implementation is {@link #DEFAULT} ({@link Schema#table}, {@link Schema#index}); the
 * seam exists so that a test can inject a parser bug and prove that it surfaces as an exception,
 * never as "ok".
 */
interface SchemaParser {

    /** The shape of table {@code entry} of {@code schema}. */
    TableInfo table(Schema schema, SchemaEntry entry);

    /** The shape of index {@code entry} of {@code schema}, or null if its table is unknown. */
    IndexInfo index(Schema schema, SchemaEntry entry);

    /** Parses through the schema ({@link TableParser}, {@link IndexInfo#parse}). */
    SchemaParser DEFAULT = new SchemaParser() {
        @Override
        public TableInfo table(Schema schema, SchemaEntry entry) {
            return schema.table(entry);
        }

        @Override
        public IndexInfo index(Schema schema, SchemaEntry entry) {
            return schema.index(entry);
        }
    };
}
