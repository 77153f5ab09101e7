import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { catalogView } from '../src/catalog/index.ts';
import { DuckSession } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { DeadLetterQueue, openStreamDb, STREAMS } from '../src/ingest/index.ts';
import { deliverSegment } from '../src/ingest/stream/deliver-segment.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { homeStatus, Orchestrator, replayDeadLetters } from '../src/home/index.ts';
import type { RunSummary } from '../src/pipeline/index.ts';
import { RunSummaries } from '../src/pipeline/index.ts';
import { qualityView } from '../src/quality/index.ts';
import { openStateStore } from '../src/engines/duckdb/index.ts';
import { PostgresStateDb } from '../src/engines/postgres/index.ts';
import { type StateDb } from '../src/state/index.ts';
import { POSTGRES_URL, postgresAvailable, tempStateUrl } from './helpers/postgres.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { until } from './helpers/until.ts';
import { warehouseDiff } from './helpers/warehouse-diff.ts';

/** What a state store holds about a home, without run ids and clock times. */
async function stateContents(state: StateDb, layout: LakeLayout): Promise<unknown> {
  const catalog = await catalogView(state);
  const status = await homeStatus(state, layout, 5);
  const quality = await qualityView(state, await new RunSummaries(state).lastSuccessfulRunId());
  return {
    ledger: await state.all(
      `SELECT seq, path, content_hash, size, entity, status, reason, detail, format, compression, delimiter,
       rows_ok, rows_rejected, bronze_path, rejects_path, schema_version FROM ingested_files ORDER BY seq`,
    ),
    versions: catalog.entities.map((e) => ({
      ...e,
      versions: e.versions.map((v) => ({ ...v, created_at: undefined })),
    })),
    drift: catalog.drift,
    files: status.files,
    runs: status.runs.map((r) => [r['status'], r['mode'], r['ingested'], r['quarantined'], r['duplicates']]),
    quality,
    tests: await state.all(
      'SELECT model, test, severity, status, failures FROM test_results ORDER BY model, test, status, failures',
    ),
    letters: (await new DeadLetterQueue(state).list()).map((l) => [l.subject, l.status, l.attempts, l.errorCode]),
  };
}

test(
  'PostgreSQL state store: ledger, catalog, run summaries, test results and dead letters ' +
    'live in PostgreSQL and say what the embedded store says, over two drops and a replay',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const stateUrl = tempStateUrl(t, 'shoplake_state');
    const root = await tempDir('pg-state');
    const landing = join(root, 'landing');
    const spare = join(root, 'spare');
    await generateLanding({ out: spare, scale: 0.002, seed: 9, drops: 1 });
    const mount = join(root, 'mount', 'orders-late.csv.gz');
    const homes = { embedded: join(root, 'embedded'), postgres: join(root, 'postgres') };
    const open = (which: keyof typeof homes) =>
      Orchestrator.open({
        purpose: 'test',
        home: homes[which],
        landing,
        fileAttempts: 2,
        retryDelayMs: 5,
        ...(which === 'postgres' ? { stateUrl } : {}),
      });
    const daily = async (o: Orchestrator): Promise<RunSummary> => {
      const r = await o.trigger('daily', {});
      await o.waitFor(r.runId);
      return o.summaryOf(r.runId)!;
    };
    const both = async (step: (o: Orchestrator) => Promise<void>) => {
      const out: Record<string, unknown> = {};
      for (const which of ['embedded', 'postgres'] as const) {
        const o = await open(which);
        try {
          await step(o);
          out[which] = await stateContents(o.state, o.layout);
        } finally {
          await o.close();
        }
      }
      assert.deepEqual(out['postgres'], out['embedded']);
      return out['postgres'] as Awaited<ReturnType<typeof stateContents>> & {
        ledger: Array<{ path: string }>;
        letters: unknown[][];
      };
    };

    for (const drop of [1, 2]) {
      await generateLanding({ out: landing, scale: 0.004, seed: 43, drops: 2, only: drop });
      // A landing file that is a link into a share that is not mounted: it fails every attempt.
      if (drop === 1) await symlink(mount, join(landing, 'orders', 'orders-late.csv.gz'));
      const seen = await both(async (o) => {
        const s = await daily(o);
        assert.equal(s.status, 'success', JSON.stringify(s.error));
      });
      assert.ok(seen.ledger.length > 10, `the ledger lists drop ${drop}'s files (${seen.ledger.length})`);
      assert.deepEqual(seen.letters, [['orders/orders-late.csv.gz', 'dead', 2, 'ENOENT']]);
      assert.deepEqual(
        await warehouseDiff(new LakeLayout(homes.embedded).warehouseDb, new LakeLayout(homes.postgres).warehouseDb),
        [],
        `same warehouse after drop ${drop}`,
      );
    }

    await mkdir(join(root, 'mount'), { recursive: true });
    await copyFile(
      join(
        spare,
        'orders',
        (await readdir(join(spare, 'orders'))).find((f) => f.includes('part'))!,
      ),
      mount,
    );
    const replayed = await both(async (o) => {
      const { run } = await replayDeadLetters(o, new DeadLetterQueue(o.state), 'all');
      await o.waitFor(run!.runId);
    });
    assert.deepEqual(replayed.letters, [['orders/orders-late.csv.gz', 'resolved', 2, 'ENOENT']]);
    assert.ok(replayed.ledger.some((f) => f.path === 'orders/orders-late.csv.gz'));

    // All of it is in PostgreSQL: the postgres home's own state file has none of it.
    const local = await openStateStore(new LakeLayout(homes.postgres).stateDb);
    try {
      assert.deepEqual(
        await local.all(
          `SELECT (SELECT count(*) FROM ingested_files) AS files,
           (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM dead_letters) AS letters`,
        ),
        [{ files: '0', runs: '0', letters: '0' }],
      );
    } finally {
      await local.close();
    }
  },
);

test(
  'PostgreSQL state store: a database holding only the run ' +
    'history (version 1) is upgraded in place, its runs kept',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const url = tempStateUrl(t, 'shoplake_upgrade');
    const schema = new URL(url).searchParams.get('schema')!;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      // What shoplake created before the state store moved to PostgreSQL.
      await client.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
      await client.query(
        'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      await client.query(`CREATE TABLE dag_runs (run_id TEXT PRIMARY KEY, dag TEXT NOT NULL,
      logical_date DATE NOT NULL, run_type TEXT NOT NULL, state TEXT NOT NULL, conf JSONB,
      queued_at TIMESTAMPTZ NOT NULL, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, error JSONB)`);
      await client.query(
        `INSERT INTO dag_runs
         VALUES ('run-old', 'daily', '2024-01-01', 'manual', 'success', '{}', now(), now(), now(), NULL)`,
      );
      await client.query('INSERT INTO schema_migrations (version) VALUES (1)');

      const state = await PostgresStateDb.connect(url);
      try {
        assert.deepEqual(
          (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map(
            (r: { version: number }) => r.version,
          ),
          [1, 2],
        );
        assert.equal(await state.scalar("SELECT run_id FROM dag_runs WHERE dag = 'daily'"), 'run-old');
        await state.run('INSERT INTO kv VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value', {
          key: 'k',
          value: 'v',
        });
        assert.equal(await state.scalar('SELECT value FROM kv WHERE key = $key', { key: 'k' }), 'v');
      } finally {
        await state.close();
      }
      // Connecting again applies nothing twice.
      await (await PostgresStateDb.connect(url)).close();
      assert.equal((await client.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n, 2);
    } finally {
      await client.end();
    }
  },
);

test(
  'PostgreSQL state store: a stream segment whose ledger row committed but whose ' +
    'identities were not kept (a crash between the two) is not ingested again',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const state = await PostgresStateDb.connect(tempStateUrl(t, 'shoplake_stream'));
    const root = await tempDir('pg-state-stream');
    const layout = new LakeLayout(join(root, 'home'));
    const work = await openStateStore(layout.stateDb);
    const db = await openStreamDb(layout, work);
    try {
      const segment = join(root, 'seg-00000000000001-000001.ndjson');
      const events = [1, 2, 3].map((i) =>
        JSON.stringify({
          event_id: `e-${i}`,
          event_ts: `2024-06-0${i}T10:00:00Z`,
          session_id: 'S-1',
          customer_id: 'C000001',
          event_type: 'page_view',
          product_id: 'P00001',
        }),
      );
      await writeFile(segment, `${events.join('\n')}\n`);
      const first = await deliverSegment(db, state, layout, STREAMS.events, segment, 'batch-1');
      assert.equal(first.delivered, 3);
      assert.equal(await state.scalar("SELECT count(*) FROM ingested_files WHERE path LIKE 'stream/%'"), '1');
      assert.equal(
        await state.scalar('SELECT count(*) FROM schema_versions'),
        '1',
        "the segment's schema is in the PostgreSQL catalog",
      );

      // The crash: the local identities are gone, the ledger row is not.
      await db.run('DELETE FROM stream_ids');
      const again = await deliverSegment(db, state, layout, STREAMS.events, segment, 'batch-2');
      assert.deepEqual([again.delivered, again.duplicates], [0, 3]);
      assert.equal(await state.scalar('SELECT count(*) FROM ingested_files'), '1');
      assert.equal(await db.scalar('SELECT count(*) FROM stream_ids'), '3', 'the identities are kept now');
      const third = await deliverSegment(db, state, layout, STREAMS.events, segment, 'batch-3');
      assert.deepEqual([third.delivered, third.duplicates], [0, 3]);
    } finally {
      await db.close();
      await work.close();
      await state.close();
    }
  },
);

test('DuckSession and PostgresStateDb return the same row shapes for the state tables', async (t) => {
  if (!(await postgresAvailable(t))) return;
  const pgState = await PostgresStateDb.connect(tempStateUrl(t, 'shoplake_shapes'));
  const duck = await DuckSession.open(':memory:');
  try {
    const sql = `SELECT 5::BIGINT AS big, count(*) AS n, 1.5::DOUBLE PRECISION AS d,
      '2026-01-02 03:04:05.5'::TIMESTAMP AS ts, '{"a":1}'::JSON AS j, 3::INTEGER AS i, $v AS v`;
    assert.deepEqual(await pgState.all(sql, { v: 'x' }), await duck.all(sql, { v: 'x' }));
  } finally {
    await duck.close();
    await pgState.close();
  }
});

test(
  'PostgreSQL state store: one owner at a time — a second home on the ' +
    'same schema is refused, naming the first, until the first lets go',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const stateUrl = tempStateUrl(t, 'shoplake_owner');
    const root = await tempDir('pg-state-owner');
    await mkdir(join(root, 'landing'), { recursive: true });
    const open = (home: string) =>
      Orchestrator.open({ purpose: 'test', home: join(root, home), landing: join(root, 'landing'), stateUrl });
    const first = await open('first');
    try {
      await assert.rejects(
        open('second'),
        (e: Error & { code?: string; kind?: string }) =>
          e.code === 'state_locked' &&
          e.kind === 'transient' &&
          e.message.includes(join(root, 'first')) &&
          e.message.includes(`pid ${process.pid}`),
      );
    } finally {
      await first.close();
    }
    const second = await open('second');
    await second.close();
  },
);

test(
  'PostgreSQL state store: the owner claims the state store again when its lock ' +
    'connection drops; if another process took it meanwhile, it runs nothing more',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const stateUrl = tempStateUrl(t, 'shoplake_reclaim');
    const schema = new URL(stateUrl).searchParams.get('schema')!;
    const root = await tempDir('pg-state-reclaim');
    await mkdir(join(root, 'landing'), { recursive: true });
    const open = (home: string) =>
      Orchestrator.open({ purpose: 'test', home: join(root, home), landing: join(root, 'landing'), stateUrl });
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const key = `${schema}:owner`;
    const holders = async () =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_locks
           WHERE locktype = 'advisory' AND granted AND objid::bigint = (hashtext($1)::bigint & 4294967295)`,
          [key],
        )
      ).rows.map((r) => r.pid);
    const first = await open('first');
    try {
      const [lockPid] = await holders();
      assert.ok(lockPid, 'the owner holds the advisory lock');
      await admin.query('SELECT pg_terminate_backend($1)', [lockPid]);
      await until(
        'the claim made again on a new connection',
        async () => {
          const now = await holders();
          return now.length === 1 && now[0] !== lockPid ? true : undefined;
        },
        10_000,
      );
      await assert.rejects(open('second'), (e: Error & { code?: string }) => e.code === 'state_locked');
      assert.equal(first.ownershipLost, undefined);

      // Dropped again, and another process takes the lock before the owner asks again.
      const lost = new Promise<Error>((resolve) => first.once('ownership_lost', resolve));
      const intruder = new pg.Client({ connectionString: POSTGRES_URL });
      await intruder.connect();
      try {
        // Waits until the backend is gone; the owner asks again a second later.
        await admin.query('SELECT pg_terminate_backend($1, 5000)', [(await holders())[0]]);
        assert.equal(
          (await intruder.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key])).rows[0]?.ok,
          true,
        );
        const err = await lost;
        assert.match(err.message, /lost its claim on the state store/);
        await assert.rejects(
          first.trigger('daily'),
          (e: Error & { code?: string }) => e.code === 'state_ownership_lost',
        );
      } finally {
        await intruder.end();
      }
    } finally {
      await first.close();
      await admin.end();
    }
  },
);
