import { mkdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { DuckSession, literal } from '../duck/index.ts';
import { landingFiles } from './landing-files.ts';
import { loadNamePools } from './name-pools.ts';
import { specialFileCounts, writeSpecialFiles } from './special-files.ts';
import { computeTruth, type TruthManifest } from './truth-manifest.ts';

export interface GenerateOptions {
  /** The landing folder to write into (created if missing). */
  out: string;
  /** Volume: scale 1 ≈ 1,000,000 order lines and 3,000,000 events. */
  scale: number;
  seed: number;
  /** How many drops the data is cut into (each a later delivery). */
  drops: number;
  /** Write only this drop (1-based); default: every drop. */
  only?: number;
  onFile?: (path: string, done: number, total: number) => void;
}

export interface GenerateResult {
  files: string[];
  truth: TruthManifest[];
  ms: number;
}

const SQL = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), 'utf8');

/** Sizes per scale; small floors keep tiny scales meaningful. */
export function volumes(scale: number) {
  const n = (base: number, floor: number) => Math.max(floor, Math.round(base * scale));
  return {
    n_cust: n(50_000, 60),
    n_prod: n(5_000, 30),
    n_store: Math.min(60, n(60, 6)),
    n_orders: n(400_000, 200),
    // a session averages 8.5 events
    n_sessions: n(3_000_000 / 8.5, 120),
    n_bad: n(200, 3),
  };
}

/** Writes the landing files of the chosen drops and the truth manifest after each. */
export async function generateLanding(opts: GenerateOptions): Promise<GenerateResult> {
  const started = Date.now();
  const spill = join(tmpdir(), `shoplake-gen-${process.pid}`);
  // Capped so large scales spill to disk instead of growing: memory stays flat with volume.
  const db = await DuckSession.open(':memory:', { tempDirectory: spill, memoryLimit: '1GB' });
  try {
    const vol = volumes(opts.scale);
    for (const [k, v] of Object.entries({ seed: opts.seed, drops: opts.drops, ...vol })) {
      await db.run(`SET VARIABLE ${k} = ${Number(v)}`);
    }
    await loadNamePools(db, opts.seed);
    await db.run(SQL('clean-data.sql'));
    await db.run(SQL('messy-macros.sql'));
    await db.run(SQL('reject-rows.sql'));

    const parts = {
      orders: Math.max(1, Math.ceil(vol.n_orders / opts.drops / 100_000)),
      items: Math.max(1, Math.ceil((vol.n_orders * 2.5) / opts.drops / 250_000)),
      events: Math.max(1, Math.ceil((vol.n_sessions * 8.5) / opts.drops / 500_000)),
    };
    const drops = opts.only ? [opts.only] : Array.from({ length: opts.drops }, (_, i) => i + 1);
    const written: string[] = [];
    const truth: TruthManifest[] = [];
    const special = { fileRejects: {} as Record<string, number>, malformedRows: 0, duplicateDeliveries: 0 };
    for (let d = 1; d <= Math.max(...drops); d++) {
      if (drops.includes(d)) {
        await db.run(`SET VARIABLE drop = ${d}`);
        const files = landingFiles(d, parts);
        for (const [i, f] of files.entries()) {
          const target = join(opts.out, f.path);
          await mkdir(dirname(target), { recursive: true });
          await db.run(`COPY (${f.sql}) TO ${literal(target)} (${f.copy})`);
          written.push(f.path);
          opts.onFile?.(f.path, i + 1, files.length);
        }
      }
      // A drop not written now still counts toward the truth of the drops after it.
      const counts = drops.includes(d) ? await writeSpecialFiles(opts.out, d, opts.seed) : specialFileCounts(d);
      for (const [r, c] of Object.entries(counts.fileRejects)) special.fileRejects[r] = (special.fileRejects[r] ?? 0) + c;
      special.malformedRows += counts.malformedRows;
      special.duplicateDeliveries += counts.duplicateDeliveries;
      if (drops.includes(d)) {
        const t = await computeTruth(db, { seed: opts.seed, scale: opts.scale, drops: opts.drops, upto: d }, special);
        truth.push(t);
        // `_`-prefixed folders are never ingested (the Hadoop convention for metadata).
        const truthPath = join(opts.out, '_truth', `drop-${d}.json`);
        await mkdir(dirname(truthPath), { recursive: true });
        await writeFile(truthPath, JSON.stringify(t, null, 2));
      }
    }
    return { files: written, truth, ms: Date.now() - started };
  } finally {
    await db.close();
    await rm(spill, { recursive: true, force: true });
  }
}
