/**
 * How long DuckDB's allocator keeps freed memory before handing it back to the OS.
 *
 * DuckDB's bundled jemalloc returns freed pages after 1 s (its compiled-in
 * `dirty_decay_ms:1000,muzzy_decay_ms:1000`). A pipeline run frees and allocates gigabytes
 * from one statement to the next, so each statement faulted its memory in afresh, and on
 * a virtual machine a fault is dear. Keeping freed pages 5 s lets the next statement reuse
 * them, for a little more peak memory; longer gained no more and held more memory.
 *
 * jemalloc reads DUCKDB_JE_MALLOC_CONF (its prefixed MALLOC_CONF) once, at DuckDB's first
 * allocation, so this module must be evaluated before any DuckDB instance is created; a
 * value the user set is left alone.
 */
export const ALLOCATOR_DECAY = 'dirty_decay_ms:5000,muzzy_decay_ms:5000';

process.env['DUCKDB_JE_MALLOC_CONF'] ??= ALLOCATOR_DECAY;
