import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, copyFile, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigSchema } from '../src/config/index.ts';
import { DuckSession, literal } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import type { DagRunRecord } from '../src/dag/index.ts';
import { serverInfoPath, startServer } from '../src/serve/index.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { until } from './helpers/until.ts';

const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;

/** The CLI in a process of its own, as a user runs it beside the server (async: the server lives in this process). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test(
  'serve: the watcher runs new landing files, ' + 'the API and the CLI drive runs and backfills, metrics count them',
  async () => {
    const root = await tempDir('serve');
    const landing = join(root, 'landing');
    const spare = join(root, 'spare');
    const home = join(root, 'home');
    await generateLanding({ out: landing, scale: 0.005, seed: 5, drops: 1 });
    await generateLanding({ out: spare, scale: 0.002, seed: 6, drops: 1 });
    const config = ConfigSchema.parse({
      home,
      landing,
      server: { port: 0, uploadLimitMb: 0.01 },
      orchestrator: { dailySchedule: '', watchIntervalMs: 100, settleMs: 400 },
    });
    const server = await startServer({ config });
    const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    try {
      assert.ok(await access(serverInfoPath(home)).then(() => true));
      // The files already in the landing folder settle and start a run of their own.
      const first = await until('the landing run', async () =>
        (await api<DagRunRecord[]>('GET', '/api/runs')).body.find(
          (r) => r.runType === 'landing' && r.state === 'success',
        ),
      );
      assert.equal(first.dag, 'daily');

      const health = await api<{ status: string }>('GET', '/healthz');
      assert.deepEqual([health.status, health.body.status], [200, 'ok']);
      const dags = (
        await api<Array<{ name: string; tasks: Array<{ name: string; trigger: string }> }>>('GET', '/api/dags')
      ).body;
      assert.equal(dags[0]?.name, 'daily');
      assert.equal(dags[0]?.tasks.find((t) => t.name === 'unload')?.trigger, 'none_failed');

      // The data dictionary describes every column of every published table, with its type.
      const docs = (
        await api<{
          tables: Array<{
            name: string;
            published: boolean;
            columns: Array<{ name: string; type: string; description: string }>;
          }>;
        }>('GET', '/api/models')
      ).body;
      const undescribed = docs.tables
        .filter((t) => t.published)
        .flatMap((t) => t.columns.filter((c) => !c.description || !c.type).map((c) => `${t.name}.${c.name}`));
      assert.deepEqual(undescribed, []);
      assert.ok(docs.tables.find((t) => t.name === 'fact_orders')!.columns.length > 10);

      // Validated input, stable codes.
      const bad = await api<{ error: { code: string } }>('POST', '/api/dags/daily/runs', { logicalDate: '5 March' });
      assert.deepEqual([bad.status, bad.body.error.code], [400, 'bad_request']);
      const unknown = await api<{ error: { code: string } }>('POST', '/api/dags/nope/runs', {});
      assert.deepEqual([unknown.status, unknown.body.error.code], [404, 'dag_not_found']);
      assert.equal((await api<{ error: { code: string } }>('GET', '/api/runs/nope')).body.error.code, 'run_not_found');

      // Uploads: refused past the size limit (nothing left behind) or with a name the landing zone would not read.
      const upload = (name: string, body: Buffer) =>
        fetch(`${server.url}/api/uploads?entity=orders&name=${name}&run=false`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: new Uint8Array(body),
        });
      const big = await upload('big.csv', Buffer.alloc(20_000, 'a'));
      assert.deepEqual(
        [big.status, ((await big.json()) as { error: { code: string } }).error.code],
        [413, 'upload_too_large'],
      );
      const pdf = await upload('x.pdf', Buffer.from('x'));
      assert.deepEqual(
        [pdf.status, ((await pdf.json()) as { error: { code: string } }).error.code],
        [400, 'bad_request'],
      );
      assert.ok(
        (await readdir(join(landing, 'orders'))).every((f) => !f.includes('upload')),
        'a refused upload leaves nothing in the landing zone',
      );

      // Live events while a run goes: its state changes, its tasks, the progress of its stages.
      const events = new AbortController();
      const seen: string[] = [];
      const stream = fetch(`${server.url}/api/events`, { signal: events.signal })
        .then(async (res) => {
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            for (const m of value.matchAll(/^event: (\w+)$/gm)) seen.push(m[1]!);
          }
        })
        .catch(() => undefined);
      await api('POST', '/api/dags/daily/runs', { logicalDate: '2024-02-01', conf: { fullRefresh: true }, wait: true });
      await until(
        'events',
        async () => (seen.includes('progress') && seen.filter((e) => e === 'run').length >= 2 ? true : undefined),
        5000,
      );
      assert.ok(seen.includes('task'));
      events.abort();
      await stream;

      // A second server on the same port is refused with a code and a hint.
      const port = Number(new URL(server.url).port);
      const clash = await cli([
        'serve',
        '--home',
        join(root, 'other-home'),
        '--landing',
        landing,
        '--port',
        String(port),
      ]);
      assert.equal(clash.status, 3);
      assert.match(clash.stderr, /port_unavailable/);

      // The CLI finds the server and asks it: trigger, runs, backfill (the home's files stay the server's).
      const trig = await cli(['trigger', 'daily', '--home', home, '--date', '2024-03-05', '--json']);
      assert.equal(trig.status, 0, trig.stderr);
      assert.equal((JSON.parse(trig.stdout) as DagRunRecord).state, 'success');
      const back = await cli([
        'backfill',
        'daily',
        '--home',
        home,
        '--from',
        '2024-03-01',
        '--to',
        '2024-03-03',
        '--json',
      ]);
      assert.equal(back.status, 0, back.stderr);
      assert.deepEqual(
        (JSON.parse(back.stdout) as { items: Array<{ action: string }> }).items.map((i) => i.action),
        ['queue', 'queue', 'queue'],
      );
      const again = await cli([
        'backfill',
        'daily',
        '--home',
        home,
        '--from',
        '2024-03-02',
        '--to',
        '2024-03-04',
        '--json',
      ]);
      assert.deepEqual(
        (JSON.parse(again.stdout) as { items: Array<{ action: string }> }).items.map((i) => i.action),
        ['keep', 'keep', 'queue'],
      );
      const listed = JSON.parse(
        (await cli(['runs', '--home', home, '--json', '--limit', '50'])).stdout,
      ) as DagRunRecord[];
      // Reads of the home go through the server too, while it holds the state file.
      const status = await cli(['status', '--home', home, '--json']);
      assert.equal(status.status, 0, status.stderr);
      assert.ok(
        (JSON.parse(status.stdout) as { layers: Array<{ layer: string }> }).layers.some((l) => l.layer === 'gold'),
      );
      const catalog = await cli(['catalog', '--home', home, '--entity', 'orders', '--json']);
      assert.equal(
        (JSON.parse(catalog.stdout) as { entities: Array<{ entity: string }> }).entities[0]?.entity,
        'orders',
      );
      const report = await cli(['report', '--home', home, '--json']);
      assert.ok((JSON.parse(report.stdout) as { report: { files: { ingested: number } } }).report.files.ingested > 0);
      assert.equal(listed.filter((r) => r.runType === 'backfill').length, 4);

      // Each backfilled day's processed partition holds that day's facts, as published.
      const layout = new LakeLayout(home);
      const db = await DuckSession.open(':memory:');
      try {
        await db.run(`ATTACH ${literal(layout.warehouseDb)} AS wh (READ_ONLY)`);
        for (const day of ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04']) {
          const part = layout.processedPartition(day);
          const files = await readdir(part);
          assert.ok(files.includes('fact_orders.parquet') && files.includes('dim_customer.parquet'), day);
          const inPart = Number(
            await db.scalar(`SELECT count(*) FROM read_parquet(${literal(join(part, 'fact_orders.parquet'))})`),
          );
          const inWarehouse = Number(
            await db.scalar('SELECT count(*) FROM wh.fact_orders WHERE date_key = $k', {
              k: Number(day.replaceAll('-', '')),
            }),
          );
          assert.equal(inPart, inWarehouse, day);
          const dims = Number(
            await db.scalar(`SELECT count(*) FROM read_parquet(${literal(join(part, 'dim_customer.parquet'))})`),
          );
          assert.equal(dims, Number(await db.scalar('SELECT count(*) FROM wh.dim_customer')));
        }
      } finally {
        await db.close();
      }

      // A file copied in under a .tmp name is left alone until it is renamed to its real name.
      const extra = (await readdir(join(spare, 'orders'))).find((f) => f.includes('part'))!;
      const target = join(landing, 'orders', `late-${extra}`);
      await copyFile(join(spare, 'orders', extra), `${target}.tmp`);
      await new Promise((r) => setTimeout(r, 1200));
      const before = (await api<DagRunRecord[]>('GET', '/api/runs?limit=100')).body.filter(
        (r) => r.runType === 'landing',
      ).length;
      assert.equal(before, 1, 'a .tmp file must not start a run');
      await rename(`${target}.tmp`, target);
      const second = await until('the second landing run', async () =>
        (await api<DagRunRecord[]>('GET', '/api/runs?limit=100')).body.find(
          (r) => r.runType === 'landing' && r.runId !== first.runId && r.state === 'success',
        ),
      );
      const detail = (await api<{ summary?: { files: { ingested: number } } }>('GET', `/api/runs/${second.runId}`))
        .body;
      assert.equal(detail.summary?.files.ingested, 1);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /shoplake_dag_runs_total\{dag="daily",state="success"\} ([6-9]|\d\d)/);
      assert.match(metrics, /shoplake_queue_depth\{queue="runs"\} 0/);
      assert.match(metrics, /shoplake_queue_depth\{queue="dead_letters"\} 0/);
      assert.match(metrics, /shoplake_rows_processed_total\{stage="ingest"\} [1-9]/);
      assert.match(metrics, /shoplake_task_duration_seconds_count\{dag="daily",task="publish",state="success"\} [1-9]/);
    } finally {
      await server.close();
    }
    assert.equal(
      await access(serverInfoPath(home)).then(
        () => true,
        () => false,
      ),
      false,
    );
  },
);
