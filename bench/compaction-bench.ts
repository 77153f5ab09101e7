/**
 * What merging a stream's small bronze files saves a build: delivers N small batches of
 * events over two days (a flush each, as the collector does at 500 ms), then times reading bronze as a
 * build does (the bronze view over the ledger's files, every column) before and after
 * `compactStreamBronze`, and the merge itself. Prints figures; asserts nothing.
 *
 *   npm run bench:compaction -- --deliveries 2000 --batch 100
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from '../src/cli/output.ts';
import { DuckSession } from '../src/duck/index.ts';
import { compactStreamBronze, openStreamDb, StreamIngestor } from '../src/ingest/index.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { openStateStore } from '../src/engines/duckdb/index.ts';
import { createBronzeSources } from '../src/transform/index.ts';

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '100' },
    dir: { type: 'string', default: '.bench/compaction' },
  },
});
const deliveries = Number(values.deliveries);
const batch = Number(values.batch);
await rm(values.dir, { recursive: true, force: true });
const layout = new LakeLayout(resolve(values.dir, 'home'));
const state = await openStateStore(layout.stateDb);
const types = ['page_view', 'product_view', 'add_to_cart', 'checkout_start', 'purchase'];

const ingestor = new StreamIngestor(
  await openStreamDb(layout, state),
  state,
  layout,
  { flushIntervalMs: 3_600_000, flushBytes: 1 << 30, maxBufferBytes: 1 << 30 },
  () => 'bench',
);
await ingestor.start();
// The flush start() kicks off must be over, or the first records would ride on the second.
await ingestor.flush();
const t0 = performance.now();
for (let d = 0; d < deliveries; d++) {
  await ingestor.accept(
    'events',
    Array.from({ length: batch }, (_, k) => {
      const i = d * batch + k;
      const day = 1 + Math.floor(i / ((deliveries * batch) / 2));
      return {
        event_id: `E${i}`,
        event_ts: `2026-11-0${day}T${String(i % 24).padStart(2, '0')}:00:00Z`,
        session_id: `S${Math.floor(i / 7)}`,
        customer_id: `C${i % 5000}`,
        event_type: types[i % 5],
        product_id: `P${i % 800}`,
        device: i % 3 ? 'mobile' : 'desktop',
      };
    }),
  );
  await ingestor.flush();
  if ((d + 1) % 200 === 0)
    process.stderr.write(
      `\r${d + 1}/${deliveries} deliveries, ${((d + 1) / ((performance.now() - t0) / 1000)).toFixed(0)}/s`,
    );
}
process.stderr.write('\n');
await ingestor.stop();

const db = await DuckSession.open(':memory:');
const read = async (): Promise<{ files: number; ms: number; rows: number }> => {
  const paths = await state.all<{ p: string }>(
    "SELECT bronze_path AS p FROM ingested_files WHERE entity = 'events' AND status = 'ingested'",
  );
  const started = performance.now();
  await createBronzeSources(db, { events: paths.map((p) => layout.resolve(p.p)) });
  const rows = Number(await db.scalar('SELECT count(*) FROM (SELECT DISTINCT ON (event_id) * FROM bronze_events)'));
  return { files: new Set(paths.map((p) => p.p)).size, ms: performance.now() - started, rows };
};
const before = await read();
const started = performance.now();
const merged = await compactStreamBronze(state, state, layout, { now: new Date(Date.now() + 2 * 3_600_000) });
const mergeMs = performance.now() - started;
const after = await read();
console.log(
  formatTable([
    {
      step: `build's bronze read, ${before.files} delivery globs (${deliveries} × ${batch} events over two days)`,
      ms: before.ms.toFixed(0),
      rows: before.rows,
    },
    {
      step: `merge ${merged.reduce((n, h) => n + h.merged, 0)} deliveries of ${merged.length} hour(s)`,
      ms: mergeMs.toFixed(0),
      rows: merged.reduce((n, h) => n + h.rows, 0),
    },
    { step: `build's bronze read, ${after.files} merged glob(s)`, ms: after.ms.toFixed(0), rows: after.rows },
  ]),
);
await db.close();
await state.close();
console.log(`home: ${join(values.dir, 'home')}`);
