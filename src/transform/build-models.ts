import { resolve } from 'node:path';
import { ident, literal, type SqlSession } from '../duck/index.ts';
import { errorMessage } from '../errors/index.ts';
import { LAKE_PARQUET, writeAtomically } from '../lake/index.ts';
import { runDataTests, type TestResult } from '../quality/index.ts';
import { modelInputs, type Model } from './model-declaration.ts';

export interface ModelResult {
  model: string;
  status: 'success' | 'failed';
  rows: number;
  ms: number;
  tests: TestResult[];
  error?: string;
}

/**
 * One model: its table (CREATE OR REPLACE, so a retry starts clean), its row count and
 * its data tests. Never throws for the model's own failure: a SQL error or a blocking
 * test failure comes back as `failed` with the reason.
 *
 * With `file`, the result is written there as Parquet (aside, then renamed) and the model's
 * name becomes a view over it: a model bound for a lake zone is encoded once, not kept
 * in memory and encoded again at publish.
 */
export async function buildModel(db: SqlSession, model: Model, file?: string): Promise<ModelResult> {
  const t0 = Date.now();
  try {
    if (file) {
      await writeAtomically(file, (tmp) => db.run(`COPY (${model.sql}) TO ${literal(tmp)} (${LAKE_PARQUET})`));
      await viewOverParquet(db, model.name, file);
    } else {
      await db.run(`CREATE OR REPLACE TABLE ${ident(model.name)} AS ${model.sql}`);
    }
    const n = Number(await db.scalar(`SELECT count(*) FROM ${ident(model.name)}`));
    const tests = await runDataTests(db, model);
    const blocking = tests.filter((t) => t.status === 'fail' && t.severity === 'error');
    if (blocking.length) {
      return {
        model: model.name,
        status: 'failed',
        rows: n,
        ms: Date.now() - t0,
        tests,
        error:
          `data test${blocking.length > 1 ? 's' : ''} failed: ` +
          `${blocking.map((t) => `${t.test} (${t.failures} rows)`).join(', ')}`,
      };
    }
    return { model: model.name, status: 'success', rows: n, ms: Date.now() - t0, tests };
  } catch (err) {
    return {
      model: model.name,
      status: 'failed',
      rows: 0,
      ms: Date.now() - t0,
      tests: [],
      error: `${errorMessage(err).split('\n')[0]} (in ${model.sqlPath})`,
    };
  }
}

/** Makes `name` read a Parquet file: how a model whose table is a file is seen by the models after it. */
export async function viewOverParquet(db: SqlSession, name: string, file: string): Promise<void> {
  await db.run(`CREATE OR REPLACE VIEW ${ident(name)} AS SELECT * FROM read_parquet(${literal(resolve(file))})`);
}

/**
 * Counts, per intermediate model, the models still to read it: when the last one has
 * finished (built, failed or skipped), its table can go, which keeps a build's memory to
 * what the remaining models need.
 */
export class ModelReaders {
  private readonly pending = new Map<string, number>();
  private readonly intermediate: Set<string>;

  constructor(models: readonly Model[]) {
    for (const m of models) for (const d of modelInputs(m)) this.pending.set(d, (this.pending.get(d) ?? 0) + 1);
    this.intermediate = new Set(models.filter((m) => m.intermediate).map((m) => m.name));
  }

  /** The intermediate tables no model needs any more once `model` is done. */
  finished(model: Model): string[] {
    const free: string[] = [];
    for (const d of modelInputs(model)) {
      const left = (this.pending.get(d) ?? 1) - 1;
      this.pending.set(d, left);
      if (left === 0 && this.intermediate.has(d)) free.push(d);
    }
    return free;
  }
}
