import { mkdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { DuckSession, literal } from '../duck/index.ts';
import { landingFiles, type LandingFile } from './landing-files.ts';
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
  /**
   * Split the big files (order and event parts, order updates, the mobile event feed) by
   * the month of their records, as a landing zone partitioned by date is: one file per
   * entity and month (`events/month=2024-03/d1-part-0.ndjson.gz`), so the ingest of a
   * drop is many tasks of similar size. Rows made bad on purpose go to `month=unknown`.
   */
  monthly?: boolean;
  onFile?: (path: string, done: number, total: number) => void;
}

export interface GenerateResult {
  files: string[];
  truth: TruthManifest[];
  ms: number;
}

const SQL = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), 'utf8');

async function writeWhole(db: DuckSession, out: string, f: LandingFile): Promise<string> {
  const target = join(out, f.path);
  await mkdir(dirname(target), { recursive: true });
  await db.run(`COPY (${f.sql}) TO ${literal(target)} (${f.copy})`);
  return f.path;
}

/** One file per month of the records, in the order the query gives them; returns their paths. */
async function writeMonthly(db: DuckSession, out: string, f: LandingFile): Promise<string[]> {
  await db.run(`CREATE OR REPLACE TEMP TABLE g_file AS SELECT row_number() OVER () AS _n, * FROM (${f.sql})`);
  const months = (
    await db.all<{ m: string | null }>('SELECT DISTINCT _month AS m FROM g_file ORDER BY m NULLS LAST')
  ).map((r) => r.m);
  const paths: string[] = [];
  for (const m of months) {
    const path = monthPath(f.path, m ?? 'unknown');
    await mkdir(dirname(join(out, path)), { recursive: true });
    await db.run(`COPY (SELECT * EXCLUDE (_n, _month) FROM g_file
                  WHERE _month IS NOT DISTINCT FROM ${m === null ? 'NULL' : literal(m)} ORDER BY _n)
                  TO ${literal(join(out, path))} (${f.copy})`);
    paths.push(path);
  }
  await db.run('DROP TABLE g_file');
  return paths;
}

/**
 * `events/d1-part-0.ndjson.gz` → `events/month=2024-03/d1-part-0.ndjson.gz`;
 * a root file keeps its entity prefix: `orders_d2_updates.month=2024-03.txt`.
 */
export function monthPath(path: string, month: string): string {
  const slash = path.indexOf('/');
  if (slash > 0) return `${path.slice(0, slash)}/month=${month}/${path.slice(slash + 1)}`;
  const dot = path.indexOf('.');
  return `${path.slice(0, dot)}.month=${month}${path.slice(dot)}`;
}

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
        const files = landingFiles(d, parts, { monthly: opts.monthly ?? false });
        for (const [i, f] of files.entries()) {
          for (const path of f.monthly ? await writeMonthly(db, opts.out, f) : [await writeWhole(db, opts.out, f)])
            written.push(path);
          opts.onFile?.(f.path, i + 1, files.length);
        }
      }
      // A drop not written now still counts toward the truth of the drops after it.
      const counts = drops.includes(d) ? await writeSpecialFiles(opts.out, d, opts.seed) : specialFileCounts(d);
      for (const [r, c] of Object.entries(counts.fileRejects))
        special.fileRejects[r] = (special.fileRejects[r] ?? 0) + c;
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
