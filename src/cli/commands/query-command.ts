import type { Command } from 'commander';
import { TerminalError, errorMessage } from '../../errors/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { openForReading } from '../open-home.ts';
import { printJson, printTable } from '../output.ts';
import type { ShoplakeConfig } from '../../config/index.ts';
import { openWarehouseReader, readsPostgres } from '../../serve/index.ts';

/** Rows a PostgreSQL query returns at most (the console's cap is lower). */
const MAX_ROWS = 100_000;

export function registerQuery(program: Command): void {
  withCommonOptions(
    program
      .command('query')
      .description('run a read-only SQL query against the warehouse')
      .argument('<sql>', 'the query, e.g. "select * from mart_daily_revenue limit 5"')
      .option('--limit <n>', 'most rows to print at a terminal', (v) => Number(v), 200),
  ).action(async (sql: string, opts: CommonOptions & { limit: number }) => {
    const config = await configFor(opts);
    const rows = readsPostgres(config) ? await queryPostgres(config, sql) : await queryEmbedded(config.home, sql);
    if (opts.json) printJson(rows);
    else {
      printTable(rows.slice(0, opts.limit));
      if (rows.length > opts.limit)
        process.stdout.write(`(${rows.length - opts.limit} more rows; use --json or --limit)\n`);
    }
  });
}

/** The PostgreSQL warehouse, read-only, as the web app's console reads it. */
async function queryPostgres(config: ShoplakeConfig, sql: string): Promise<Record<string, unknown>[]> {
  const reader = openWarehouseReader(config);
  try {
    return (await reader.userQuery(sql, MAX_ROWS)).rows;
  } finally {
    await reader.close();
  }
}

async function queryEmbedded(home: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await openForReading(home, 'warehouse');
  let rows: Record<string, unknown>[];
  try {
    rows = await db.all(sql);
  } catch (err) {
    const msg = errorMessage(err).split('\n')[0]!;
    throw new TerminalError('query_failed', msg, {
      hint: /read-only/i.test(msg)
        ? 'the warehouse is read-only from the CLI; change data through the pipeline'
        : 'check the SQL; `shoplake catalog` lists the tables',
    });
  } finally {
    await db.close();
  }
  return rows;
}
