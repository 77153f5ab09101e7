import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout, S3Store } from '../src/lake/index.ts';
import { queueLocation, runPipeline } from '../src/home/index.ts';
import type { RunOptions } from '../src/pipeline/index.ts';
import { postgresGoldDiff } from './helpers/postgres-gold-diff.ts';
import { dropSchema, POSTGRES_URL, postgresAvailable, tempStateUrl } from './helpers/postgres.ts';
import { startS3rver } from './helpers/s3rver.ts';
import { filesUnder } from './helpers/files-under.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { readTruth, truthMismatches } from './helpers/truth-check.ts';
import { warehouseDiff } from './helpers/warehouse-diff.ts';
import { startWorker } from './helpers/worker-process.ts';

test(
  'e2e on servers: two drops from an S3 landing zone, ingested by two workers, the state store ' +
    '(runs, ledger, catalog) in PostgreSQL, gold published to PostgreSQL and the processed zone ' +
    'to S3 — every gold table identical to the embedded run, which matches the truth',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const stateUrl = tempStateUrl(t, 'shoplake_e2e');
    const goldSchema = `gold_e2e${process.pid}`;
    t.after(async () => {
      for (const s of [goldSchema, `${goldSchema}__staging`]) await dropSchema(s);
    });
    const s3 = await startS3rver(['landing', 'lake']);
    const store = new S3Store(s3.options);
    const root = await tempDir('e2e-servers');
    const landing = join(root, 'landing');
    const embedded = join(root, 'embedded');
    const servers = join(root, 'servers');
    const onServers: RunOptions & { stateUrl: string } = {
      home: servers,
      landing: 's3://landing/shop',
      s3: s3.options,
      lakeUrl: 's3://lake/analytics',
      logicalDate: '2024-12-31',
      stateUrl,
      postgresWarehouse: { url: POSTGRES_URL, schema: goldSchema },
      workers: { ...queueLocation(stateUrl), taskTimeoutSeconds: 60, attempts: 3, idleMs: 60_000 },
    };
    const workers = [startWorker(stateUrl), startWorker(stateUrl)];
    try {
      await Promise.all(workers.map((w) => w.ready()));
      const uploaded = new Set<string>();
      for (const drop of [1, 2]) {
        await generateLanding({ out: landing, scale: 0.005, seed: 41, drops: 2, only: drop });
        for (const f of (await filesUnder(landing)).filter((f) => !uploaded.has(f))) {
          await store.upload(join(landing, f), 'landing', `shop/${f}`);
          uploaded.add(f);
        }
        const local = await runPipeline({ home: embedded, landing, logicalDate: '2024-12-31' });
        assert.equal(local.status, 'success', JSON.stringify(local.error));
        assert.deepEqual(
          await truthMismatches(embedded, await readTruth(landing, drop)),
          [],
          `the embedded run matches the truth after drop ${drop}`,
        );

        const remote = await runPipeline(onServers);
        assert.equal(remote.status, 'success', JSON.stringify(remote.error));
        assert.deepEqual(
          [remote.files.ingested, remote.files.quarantined, remote.files.duplicates],
          [local.files.ingested, local.files.quarantined, local.files.duplicates],
        );
        assert.deepEqual(
          await postgresGoldDiff(new LakeLayout(embedded).warehouseDb, POSTGRES_URL, goldSchema),
          [],
          `PostgreSQL gold = embedded gold after drop ${drop}`,
        );
        assert.deepEqual(
          await warehouseDiff(new LakeLayout(embedded).warehouseDb, new LakeLayout(servers).warehouseDb),
          [],
        );
      }
      const took = workers.map((w) => (w.out().match(/ done /g) ?? []).length);
      assert.ok(
        took.every((n) => n > 0),
        `both workers ingested files (${took.join(', ')})`,
      );
      await store.download('lake', 'analytics/processed/date=2024-12-31/_manifest.json', join(root, 'manifest.json'));
      const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as {
        files: Array<{ key: string }>;
      };
      assert.ok(manifest.files.length >= 10, `the processed partition is on S3 (${manifest.files.length} files)`);
    } finally {
      for (const w of workers) await w.stop();
      store.close();
    }
  },
);
