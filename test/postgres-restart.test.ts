import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { ident, literal } from '../src/duck/index.ts';
import { PostgresWarehouse } from '../src/engines/postgres/index.ts';
import { postgresGoldDiff } from './helpers/postgres-gold-diff.ts';
import { dropSchema, POSTGRES_URL, postgresAvailable } from './helpers/postgres.ts';
import { goldBuild } from './helpers/gold-build.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { until } from './helpers/until.ts';

/** The Debian cluster serving the test URL's port (`pg_lsclusters`), which this test may restart. */
function localCluster(): { version: string; name: string } | undefined {
  const port = new URL(POSTGRES_URL).port || '5432';
  const host = new URL(POSTGRES_URL).hostname;
  if (!['127.0.0.1', 'localhost'].includes(host)) return undefined;
  const r = spawnSync('pg_lsclusters', ['-h'], { encoding: 'utf8' });
  const line =
    r.status === 0
      ? r.stdout
          .split('\n')
          .map((l) => l.trim().split(/\s+/))
          .find((f) => f[2] === port && f[3] === 'online')
      : undefined;
  return line ? { version: line[0]!, name: line[1]! } : undefined;
}

test(
  'PostgreSQL restarted during a publish: the publish waits for it, retries, ' +
    'and the published gold is whole and identical to the embedded warehouse',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const cluster = localCluster();
    if (!cluster) {
      t.skip(
        `no local Debian PostgreSQL cluster serves ${POSTGRES_URL} (pg_lsclusters): it cannot be restarted from here`,
      );
      return;
    }
    const ctl = (action: string) =>
      spawnSync(
        'pg_ctlcluster',
        [cluster.version, cluster.name, action, ...(action === 'restart' ? ['-m', 'fast'] : [])],
        { encoding: 'utf8' },
      );
    // Whatever happens below, the machine's PostgreSQL is left running for the tests after this one.
    t.after(() => {
      if (!localCluster()) ctl('start');
    });
    const schema = `gold_r${process.pid}`;
    t.after(() => dropSchema(schema));
    const root = await tempDir('pg-restart');
    const { build, tables, shapes } = await goldBuild(root, 53);
    try {
      // A big fact table, so that the publish is still loading when the server goes down.
      await build.run(
        `CREATE OR REPLACE TABLE fact_events AS SELECT * REPLACE (event_id || '-' || range AS event_id)
         FROM fact_events, range(30)`,
      );
      const wh = new PostgresWarehouse({ url: POSTGRES_URL, schema, scratchDir: join(root, 'scratch') });

      let done = false;
      const publishing = wh
        .publish({ build, tables, shapes, runId: 'restarted', publishedAt: new Date().toISOString() })
        .finally(() => (done = true));
      const watcher = new pg.Client({ connectionString: POSTGRES_URL });
      await watcher.connect();
      await until(
        'the load of fact_events',
        async () =>
          done || (await watcher.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY %fact_events%'")).rowCount
            ? true
            : undefined,
        60_000,
      );
      await watcher.end().catch(() => undefined);
      assert.equal(done, false, 'the publish was still running when the server went down');
      const restart = ctl('restart');
      assert.equal(restart.status, 0, `pg_ctlcluster restart: ${restart.stderr}`);

      const result = await publishing;
      assert.equal(
        result.tables.find((x) => x.table === 'fact_events')?.rows,
        Number(await build.scalar('SELECT count(*) FROM fact_events')),
      );
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        assert.equal(
          (await client.query(`SELECT run_id FROM ${ident(schema)}._publish_info`)).rows[0]?.run_id,
          'restarted',
        );
        assert.equal(
          (
            await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
              `${schema}__staging`,
            ])
          ).rowCount,
          0,
          'no staging schema is left',
        );
      } finally {
        await client.end();
      }
      // The build's gold as published, table by table: written to a warehouse file to compare.
      const expected = join(root, 'expected.duckdb');
      await build.run(`ATTACH ${literal(expected)} AS ex`);
      for (const tb of tables) await build.run(`CREATE TABLE ex.main.${ident(tb)} AS SELECT * FROM ${ident(tb)}`);
      await build.run('DETACH ex');
      assert.deepEqual(await postgresGoldDiff(expected, POSTGRES_URL, schema), []);
    } finally {
      await build.close();
    }
  },
);
