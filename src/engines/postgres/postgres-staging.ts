import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { ident, literal, type SqlSession } from '../../duck/index.ts';
import { errorMessage, settleAll, TerminalError } from '../../errors/index.ts';
import { copyCsvFile } from './copy-into-postgres.ts';
import type { PartitionPrint, TableLoadPlan } from './table-load-plan.ts';

/** A table to stage, with what its plan needs. */
export interface StagedTable {
  table: string;
  plan: TableLoadPlan;
  columns: Record<string, string>;
  key: readonly string[];
  partitionBy?: string;
  prints?: PartitionPrint[];
}

export interface StagingOptions {
  /** Connections the copies and index builds share (a COPY or an index build holds one). */
  pool: pg.Pool;
  /** A connection of its own for creating the staged tables, so an export never waits for a free one. */
  ddl: pg.ClientBase;
  build: SqlSession;
  /** `<schema>__staging`, already created. */
  staging: string;
  /** Where DuckDB writes the CSV files; each is removed once copied. */
  scratchDir: string;
  /**
   * Called as each table is staged, with its rows in the build
   * and the ms from its plan to its last index (tables overlap).
   */
  onStaged?: (table: string, rows: number, ms: number) => void;
}

/**
 * CSV files of about this size: the copies of one large table run on every free
 * connection at once, and PostgreSQL's parsing, one core per COPY, is most of a load.
 */
const FILE_BYTES = '64MB';

/** A staged table: its plan, its rows in the build, the rows shipped to staging. */
export interface StagingResult {
  staged: StagedTable;
  rows: number;
  shipped: number;
}

/**
 * Stages tables into `<schema>__staging`, overlapping the kinds of work a whole publish is
 * made of so that both cores stay busy: DuckDB plans and exports one table's rows as CSV
 * files while PostgreSQL copies the previous table's files and builds the key of the one
 * before. One table after the other, each kind of work left the other core idle.
 * DuckDB exports one table ahead of the copies, so the scratch folder holds at most two
 * tables' files. `tables` go in the order given (the largest first keeps the cores
 * busiest). On a failure, every started step is let finish (or fail) before the first
 * error is thrown, so the pool can be closed.
 */
export async function stageTables(
  tables: ReadonlyArray<{ table: string; rows: number }>,
  plan: (table: string) => Promise<StagedTable>,
  opts: StagingOptions,
): Promise<StagingResult[]> {
  let failed = false;
  const failing = (err: unknown): never => {
    failed = true;
    throw err;
  };
  const copied: Array<Promise<unknown>> = [];
  const results: Array<Promise<StagingResult>> = [];
  for (const [i, { table, rows }] of tables.entries()) {
    // The export lane: one table at a time, at most one ahead of the copies.
    await copied[i - 2]?.catch(() => undefined);
    if (failed) break;
    const started = Date.now();
    const exported = plan(table)
      .then(async (staged) => ({ staged, files: await exportTable(staged, opts) }))
      .catch(failing);
    const copies = exported.then(async ({ staged, files }) => {
      try {
        return await Promise.all(
          files.map((path) => copyFile(opts.pool, path, `${ident(opts.staging)}.${ident(table)}`, staged)),
        );
      } finally {
        await rm(join(opts.scratchDir, table), { recursive: true, force: true });
      }
    });
    copied.push(copies);
    const result = Promise.all([exported, copies])
      .then(async ([{ staged }, counts]) => {
        await finishTable(staged, opts);
        opts.onStaged?.(table, rows, Date.now() - started);
        return { staged, rows, shipped: counts.reduce((a, b) => a + b, 0) };
      })
      .catch(failing);
    // Looked at after the loop; until then a failure must not count as unhandled.
    result.catch(() => undefined);
    results.push(result);
    await exported.catch(() => undefined);
  }
  return settleAll(results);
}

/**
 * The table created in staging and its rows written as CSV files; returns the files (none when the plan ships nothing).
 */
async function exportTable(s: StagedTable, opts: StagingOptions): Promise<string[]> {
  if (s.plan.kind === 'partitions' && s.plan.replace.length === 0) return [];
  await opts.ddl.query(
    `CREATE TABLE ${ident(opts.staging)}.${ident(s.table)} (${Object.entries(s.columns)
      .map(([c, type]) => `${ident(c)} ${type}${s.key.includes(c) ? keyColumn(type) : ''}`)
      .join(', ')})`,
  );
  let select = `SELECT * FROM ${ident(s.table)}`;
  if (s.plan.kind === 'partitions') {
    await opts.build.run(
      'CREATE OR REPLACE TEMP TABLE _publish_parts AS SELECT unnest(from_json($parts, \'["VARCHAR"]\')) AS p',
      { parts: JSON.stringify(s.plan.replace) },
    );
    select += ` t WHERE EXISTS (SELECT 1 FROM _publish_parts
                               WHERE p IS NOT DISTINCT FROM t.${ident(s.partitionBy!)}::VARCHAR)`;
  }
  const dir = join(opts.scratchDir, s.table);
  await rm(dir, { recursive: true, force: true });
  await mkdir(opts.scratchDir, { recursive: true });
  await opts.build.run(
    `COPY (${select}) TO ${literal(dir)} (FORMAT csv, HEADER false, FILE_SIZE_BYTES ${literal(FILE_BYTES)})`,
  );
  return (await readdir(dir)).map((f) => join(dir, f));
}

/**
 * A key column is NOT NULL from the start (a primary key needs it), checked as COPY reads.
 * A text key compares bytes (collation "C"), as DuckDB compares strings: the same order in
 * both warehouses, and PostgreSQL sorts it with abbreviated keys, which it uses for no
 * other collation, so the key is built faster.
 */
function keyColumn(type: string): string {
  return type === 'text' ? ' COLLATE "C" NOT NULL' : ' NOT NULL';
}

/** One CSV file streamed into the staged table with COPY on a free connection, then removed; returns its rows. */
async function copyFile(pool: pg.Pool, path: string, target: string, s: StagedTable): Promise<number> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    return await copyCsvFile(client, path, target);
  } catch (err) {
    failure = err as Error;
    throw keyViolation(s, err) ?? err;
  } finally {
    // Released with its error, the connection is closed rather than reused.
    client.release(failure);
    await rm(path, { force: true });
  }
}

/**
 * A table swapped in whole gets its key and statistics; a merge source gets its key (for
 * the join). The key is built as a unique index and then made the primary key, which takes
 * the index as it is. Foreign-key indexes come after the publish is visible (postgres-indexes.ts).
 */
async function finishTable(s: StagedTable, opts: StagingOptions): Promise<void> {
  if (s.plan.kind === 'partitions') return;
  const target = `${ident(opts.staging)}.${ident(s.table)}`;
  const pkey = `${s.table}_pkey`;
  if (s.key.length) {
    await opts.pool
      .query(`CREATE UNIQUE INDEX ${ident(pkey)} ON ${target} (${s.key.map(ident).join(', ')})`)
      .catch((err: unknown) => {
        throw keyViolation(s, err) ?? err;
      });
    await opts.pool.query(`ALTER TABLE ${target} ADD CONSTRAINT ${ident(pkey)} PRIMARY KEY USING INDEX ${ident(pkey)}`);
  }
  if (s.plan.kind === 'full') await opts.pool.query(`ANALYZE ${target}`);
}

/**
 * A duplicate or missing key, said as such (the model's tests should have caught it); undefined for any other error.
 */
function keyViolation(s: StagedTable, err: unknown): TerminalError | undefined {
  const code = (err as { code?: string }).code;
  if (code !== '23505' && code !== '23502') return undefined;
  return new TerminalError(
    'warehouse_key_violated',
    `${s.table}: key (${s.key.join(', ')}) is not unique or has nulls: ${errorMessage(err)}`,
    {
      subject: s.table,
      hint: "the model's unique and not_null tests should have caught this; check the model",
    },
  );
}
