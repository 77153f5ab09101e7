/**
 * How every lake zone writes Parquet: zstd, which DuckDB writes about as fast as snappy
 * (measured on a 3-million-row events table) into files a third smaller.
 */
export const LAKE_PARQUET = 'FORMAT parquet, COMPRESSION zstd';
