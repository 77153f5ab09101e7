/**
 * How long DuckDB's allocator keeps freed memory before handing it back to the OS.
 *
 * DuckDB's bundled jemalloc returns freed pages after 1 s (its compiled-in
 * `dirty_decay_ms:1000,muzzy_decay_ms:1000`). A pipeline run frees and allocates gigabytes
 * from one statement to the next, so each statement faulted its memory in afresh: a
 * million page faults per scale-1 run, a sixth of its CPU on a virtual machine where a
 * fault is dear. Keeping freed pages 5 s lets the next statement reuse them: 30 % fewer
 * faults, scale 1 about 4 s faster (35.8/40.5/35.7 s → 31.9/36.7/31.5 s, alternating runs),
 * peak RSS 1.5 → 1.6 GiB. Longer (20 s) gained no more and held more memory.
 *
 * jemalloc reads DUCKDB_JE_MALLOC_CONF (its prefixed MALLOC_CONF) once, at DuckDB's first
 * allocation, so this module must be evaluated before any DuckDB instance is created; a
 * value the user set is left alone.
 */
export const ALLOCATOR_DECAY = 'dirty_decay_ms:5000,muzzy_decay_ms:5000';

process.env['DUCKDB_JE_MALLOC_CONF'] ??= ALLOCATOR_DECAY;
