/**
 * How every lake zone writes Parquet: zstd, which DuckDB writes about as fast as snappy
 * into markedly smaller files. Level 1, not zstd's default 3: less CPU per write for files
 * barely larger.
 *
 * A column keeps dictionary encoding only while a row group has at most 5,000 distinct
 * values: codes, types, stores, products and pages stay dictionaries, while ids that are
 * nearly all different (event, session, customer) are written plain at once instead of
 * being hashed into a dictionary that is then given up: less CPU and smaller files.
 */
export const LAKE_PARQUET = 'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, DICTIONARY_SIZE_LIMIT 5000';
