import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigSchema } from '../src/config/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout, mirrorS3Prefix, publishVersion, S3Store } from '../src/lake/index.ts';
import { runPipeline } from '../src/home/index.ts';
import { type DagRunRecord } from '../src/dag/index.ts';
import { startServer } from '../src/serve/index.ts';
import { s3Options, startFlakyProxy, startS3rver } from './helpers/s3rver.ts';
import { filesUnder } from './helpers/files-under.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { until } from './helpers/until.ts';
import { warehouseDiff } from './helpers/warehouse-diff.ts';

const sha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** A local folder into the bucket under a prefix, file by file, as a producer would drop it. */
async function uploadTree(store: S3Store, dir: string, bucket: string, prefix: string): Promise<number> {
  const files = await filesUnder(dir);
  for (const f of files) await store.upload(join(dir, f), bucket, `${prefix}${f}`);
  return files.length;
}

test(
  'S3 store: listing follows continuation pages, ' + 'large files go up in parts and come back byte for byte',
  async () => {
    const s3 = await startS3rver(['objects']);
    const dir = await tempDir('s3-store');
    const seen = await startFlakyProxy(s3.endpoint, Infinity);
    const store = new S3Store({ ...s3Options(seen.endpoint), listPageSize: 2, partSize: 5 * 2 ** 20 });
    try {
      for (let i = 0; i < 5; i++) {
        await writeFile(join(dir, `small-${i}.csv`), `id\n${i}\n`);
        await store.upload(join(dir, `small-${i}.csv`), 'objects', `in/small-${i}.csv`);
      }
      const big = Buffer.alloc(12 * 2 ** 20);
      for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE((i * 2654435761) >>> 0, i);
      await writeFile(join(dir, 'big.bin'), big);
      await store.upload(join(dir, 'big.bin'), 'objects', 'in/big.bin');

      const listed = await store.list('objects', 'in/');
      assert.deepEqual(
        listed.map((o) => o.key).sort(),
        ['in/big.bin', ...[0, 1, 2, 3, 4].map((i) => `in/small-${i}.csv`)],
        'all six objects over three pages',
      );
      const bigObject = listed.find((o) => o.key === 'in/big.bin')!;
      assert.equal(bigObject.size, big.length);
      const parts = seen.requests.filter((r) => r.startsWith('PUT /objects/in/big.bin?') && r.includes('partNumber='));
      assert.equal(parts.length, 3, '12 MiB went up as a multipart upload of three 5 MiB parts');
      assert.equal(
        seen.requests.filter((r) => /^GET \/objects\/?\?.*list-type=2/.test(r)).length,
        3,
        'six keys, two per page',
      );

      await store.download('objects', 'in/big.bin', join(dir, 'back', 'big.bin'));
      assert.equal(await sha(join(dir, 'back', 'big.bin')), await sha(join(dir, 'big.bin')));
      await assert.rejects(
        store.download('objects', 'in/missing.csv', join(dir, 'back', 'missing.csv')),
        (e: Error & { code?: string }) => e.code === 's3_failed',
      );
      assert.deepEqual(await filesUnder(join(dir, 'back')), ['big.bin'], 'a failed download leaves no partial file');

      // Versions behind a manifest: the newest two are kept, older ones deleted.
      for (const v of ['r1', 'r2', 'r3'])
        await publishVersion(
          store,
          [{ path: join(dir, 'small-0.csv'), name: 'a.csv' }],
          { bucket: 'objects', prefix: 'zone/' },
          v,
        );
      assert.deepEqual((await store.list('objects', 'zone/')).map((o) => o.key).sort(), [
        'zone/_manifest.json',
        'zone/v=r2/a.csv',
        'zone/v=r3/a.csv',
      ]);
      await store.download('objects', 'zone/_manifest.json', join(dir, 'm.json'));
      assert.equal((JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as { version: string }).version, 'r3');
    } finally {
      store.close();
    }
  },
);

test(
  'S3 landing and lake: a run from an s3:// landing zone builds the same warehouse ' +
    'as from the local folder, mirrors only what changed, and publishes bronze, ' +
    'silver, gold and the processed partition to the S3 lake behind manifests',
  async () => {
    const s3 = await startS3rver(['landing', 'lake']);
    const root = await tempDir('s3-lake');
    const landing = join(root, 'landing');
    await generateLanding({ out: landing, scale: 0.003, seed: 23, drops: 2, only: 1 });
    const store = new S3Store(s3.options);
    try {
      const uploaded = await uploadTree(store, landing, 'landing', 'shop/drops/');
      const logicalDate = '2024-06-30';
      const local = await runPipeline({ home: join(root, 'local'), landing, logicalDate });
      assert.equal(local.status, 'success', JSON.stringify(local.error));
      const onS3 = {
        home: join(root, 's3'),
        landing: 's3://landing/shop/drops',
        s3: s3.options,
        lakeUrl: 's3://lake/analytics',
        logicalDate,
      };
      const remote = await runPipeline(onS3);
      assert.equal(remote.status, 'success', JSON.stringify(remote.error));
      assert.equal(remote.files.discovered, local.files.discovered);
      assert.equal(remote.files.quarantined, local.files.quarantined);
      assert.deepEqual(
        await warehouseDiff(
          new LakeLayout(join(root, 'local')).warehouseDb,
          new LakeLayout(join(root, 's3')).warehouseDb,
        ),
        [],
      );

      const processed = await store.list('lake', `analytics/processed/date=${logicalDate}/`);
      await store.download(
        'lake',
        `analytics/processed/date=${logicalDate}/_manifest.json`,
        join(root, 'manifest.json'),
      );
      const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as {
        runId: string;
        files: Array<{ key: string; size: number }>;
      };
      assert.equal(manifest.runId, remote.runId);
      assert.ok(
        manifest.files.some((f) => f.key.endsWith('/fact_orders.parquet')),
        'fact_orders is in the manifest',
      );
      for (const f of manifest.files)
        assert.equal(processed.find((o) => o.key === f.key)?.size, f.size, `${f.key} is in the bucket whole`);

      // Nothing new in the bucket: nothing is downloaded, nothing is rebuilt.
      const mirror = new LakeLayout(join(root, 's3')).landingMirror('landing', 'shop/drops/');
      assert.equal((await filesUnder(mirror)).filter((f) => !f.startsWith('.')).length, uploaded);
      assert.deepEqual(await mirrorS3Prefix(store, { bucket: 'landing', prefix: 'shop/drops/' }, mirror), {
        listed: uploaded,
        downloaded: 0,
        bytes: 0,
      });
      const again = await runPipeline(onS3);
      assert.equal(again.status, 'nothing_new', JSON.stringify(again.error));

      // Drop 2 arrives in the bucket: only its objects are mirrored, and the result equals the local run's.
      const before = new Set(await filesUnder(landing));
      await generateLanding({ out: landing, scale: 0.003, seed: 23, drops: 2, only: 2 });
      const added = (await filesUnder(landing)).filter((f) => !before.has(f) && !f.startsWith('_'));
      for (const f of added) await store.upload(join(landing, f), 'landing', `shop/drops/${f}`);
      assert.equal((await runPipeline({ home: join(root, 'local'), landing, logicalDate })).status, 'success');
      const second = await runPipeline(onS3);
      assert.equal(second.status, 'success', JSON.stringify(second.error));
      assert.equal(
        second.files.discovered - second.files.unchanged,
        added.length,
        `only the new objects were new: ${added.join(', ')}`,
      );
      assert.deepEqual(
        await warehouseDiff(
          new LakeLayout(join(root, 'local')).warehouseDb,
          new LakeLayout(join(root, 's3')).warehouseDb,
        ),
        [],
      );

      // The whole lake is on S3 too: bronze file for file, silver and gold behind manifests naming this run's version.
      const layout = new LakeLayout(join(root, 's3'));
      assert.deepEqual(
        (await store.list('lake', 'analytics/bronze/')).map((o) => o.key.slice('analytics/bronze/'.length)).sort(),
        await filesUnder(layout.bronze),
      );
      for (const zone of ['silver', 'gold']) {
        await store.download('lake', `analytics/${zone}/_manifest.json`, join(root, `${zone}.json`));
        const m = JSON.parse(await readFile(join(root, `${zone}.json`), 'utf8')) as {
          version: string;
          files: Array<{ key: string; size: number }>;
        };
        assert.equal(m.version, second.runId, `${zone}: the manifest names the last run's version`);
        const objects = await store.list('lake', `analytics/${zone}/`);
        for (const f of m.files)
          assert.equal(objects.find((o) => o.key === f.key)?.size, f.size, `${f.key} is whole in the bucket`);
        assert.ok(
          m.files.some((f) => f.key.endsWith(zone === 'gold' ? '/fact_orders.parquet' : '/silver_rejects.parquet')),
        );
        const versions = new Set(
          objects.filter((o) => o.key.includes('/v=')).map((o) => o.key.split('/v=')[1]!.split('/')[0]),
        );
        assert.deepEqual(
          [...versions].sort(),
          [remote.runId, second.runId].sort(),
          `${zone}: this version and the one before are kept`,
        );
      }
    } finally {
      store.close();
    }
  },
);

test(
  'S3 faults: a server answering one request in four with 503 SlowDown still mirrors ' +
    'every object whole; a server that is gone fails the run as transient, naming the bucket',
  async () => {
    const s3 = await startS3rver(['landing']);
    const root = await tempDir('s3-flaky');
    const landing = join(root, 'landing');
    await generateLanding({ out: landing, scale: 0.002, seed: 5, drops: 1 });
    const direct = new S3Store(s3.options);
    const count = await uploadTree(direct, landing, 'landing', 'in/');
    direct.close();

    const proxy = await startFlakyProxy(s3.endpoint, 4);
    const flaky = new S3Store({ ...s3Options(proxy.endpoint), listPageSize: 5 });
    try {
      const mirror = join(root, 'mirror');
      const r = await mirrorS3Prefix(flaky, { bucket: 'landing', prefix: 'in/' }, mirror);
      assert.equal(r.downloaded, count);
      assert.ok(proxy.failed() > 0, `the proxy failed ${proxy.failed()} requests, retried by the store`);
      for (const f of await filesUnder(landing))
        assert.equal(await sha(join(mirror, f)), await sha(join(landing, f)), `${f} arrived whole`);
    } finally {
      flaky.close();
    }

    const gone = await runPipeline({
      home: join(root, 'home'),
      landing: 's3://landing/in',
      s3: { ...s3Options('http://127.0.0.1:9'), maxAttempts: 2 },
    });
    assert.equal(gone.status, 'failed');
    assert.equal(gone.error?.code, 's3_failed');
    assert.equal(gone.error?.kind, 'transient');
    assert.match(gone.error?.message ?? '', /s3:\/\/landing\/in\//);
  },
);

test(
  'S3 landing under serve: objects arriving in the bucket settle ' +
    'and start a run; objects still being written (.part) wait',
  async () => {
    const s3 = await startS3rver(['landing']);
    const root = await tempDir('s3-serve');
    const landing = join(root, 'landing');
    await generateLanding({ out: landing, scale: 0.002, seed: 9, drops: 2, only: 1 });
    const store = new S3Store(s3.options);
    await uploadTree(store, landing, 'landing', 'drops/');
    const config = ConfigSchema.parse({
      home: join(root, 'home'),
      landing: 's3://landing/drops',
      server: { port: 0 },
      orchestrator: { dailySchedule: '', watchIntervalMs: 100, settleMs: 300 },
      s3: { endpoint: s3.endpoint, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const server = await startServer({ config });
    const runs = async () => (await (await fetch(`${server.url}/api/runs?limit=100`)).json()) as DagRunRecord[];
    try {
      const first = await until('the landing run', async () =>
        (await runs()).find((r) => r.runType === 'landing' && r.state === 'success'),
      );
      const before = new Set(await filesUnder(landing));
      await generateLanding({ out: landing, scale: 0.002, seed: 9, drops: 2, only: 2 });
      const added = (await filesUnder(landing)).filter((f) => !before.has(f) && !f.startsWith('_'));
      await store.upload(join(landing, added[0]!), 'landing', `drops/${added[0]!}.part`);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal((await runs()).filter((r) => r.runType === 'landing').length, 1, 'a .part object starts nothing');
      for (const f of added) await store.upload(join(landing, f), 'landing', `drops/${f}`);
      const second = await until('the second landing run', async () =>
        (await runs()).find((r) => r.runType === 'landing' && r.runId !== first.runId && r.state === 'success'),
      );
      const summary = (await (await fetch(`${server.url}/api/runs/${second.runId}`)).json()) as {
        summary?: { files: { discovered: number; unchanged: number } };
      };
      assert.equal(summary.summary!.files.discovered - summary.summary!.files.unchanged, added.length);
    } finally {
      await server.close();
      store.close();
    }
  },
);
