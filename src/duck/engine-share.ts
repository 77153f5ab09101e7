import type { DuckOptions } from './duck-session.ts';

const UNIT_BYTES: Record<string, number> = { kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/**
 * One of `parts` DuckDB instances running side by side in a process with `engine`'s budget:
 * its memory cap and threads divided among them (at least 64 MB and one thread each), so
 * four model tasks on a worker use the memory and cores one would, not four times them.
 * `cores` is the machine's (the thread count when `engine` sets none).
 */
export function engineShare(engine: DuckOptions, parts: number, cores: number): DuckOptions {
  if (parts <= 1) return engine;
  const threads = Math.max(1, Math.floor((engine.threads ?? cores) / parts));
  const limit = engine.memoryLimit ? /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(engine.memoryLimit.trim()) : null;
  const bytes = limit ? Number(limit[1]) * (UNIT_BYTES[limit[2]!.toLowerCase()] ?? NaN) : NaN;
  const memoryLimit = Number.isFinite(bytes)
    ? `${Math.max(64, Math.floor(bytes / parts / 1e6))}MB`
    : engine.memoryLimit;
  return { ...engine, threads, ...(memoryLimit ? { memoryLimit } : {}) };
}
