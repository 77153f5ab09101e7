import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { DuckSession, literal } from '../src/duck/index.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { runPipeline } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

interface Landing {
  [path: string]: string | Buffer;
}

async function writeLanding(dir: string, files: Landing): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

const GOOD = {
  'stores/s.csv':
    'store_id,store_name,channel,city,state,country,opened_date\nS1,Main,retail,Boston,MA,USA,2020-01-01\n',
  'customers/c.csv':
    'customer_id,first_name,last_name,email,signup_date,updated_at\n' +
    'C1,Ada,Lovelace,ADA@Example.com ,2023-01-01,2023-01-01T00:00:00Z\n',
  'products/p.json':
    '[{"product_id":"P1","product_name":"Lamp","category":"home","unit_price":"$1,234.50","updated_at":1700000000}]',
};

test('every file-level reason quarantines the file with its bytes, and the other files still load', async () => {
  const root = await tempDir('rejects-files');
  const landing = join(root, 'landing');
  const gz = gzipSync('order_id,line_number,product_id,quantity,unit_price\n' + 'O1,1,P1,1,1.00\n'.repeat(2000));
  await writeLanding(landing, {
    ...GOOD,
    'orders/empty.csv': '',
    'order_items/cut.csv.gz': gz.subarray(0, Math.floor(gz.length / 2)),
    'events/blob.ndjson': Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x10, 0x00, 0x7f]),
    'products/broken.json': '[{"product_id": "P9", "product_name": ',
    'suppliers.csv': 'supplier_id\nX\n',
    'customers/nokey.csv': 'first_name,email\nA,a@b.co\n',
  });
  const s = await runPipeline({ home: join(root, 'home'), landing });
  assert.equal(s.status, 'success', JSON.stringify(s.error));
  const reasons = Object.fromEntries(
    s.fileResults.filter((f) => f.status === 'quarantined').map((f) => [f.path, f.reason]),
  );
  assert.deepEqual(reasons, {
    'orders/empty.csv': 'empty_file',
    'order_items/cut.csv.gz': 'bad_compression',
    'events/blob.ndjson': 'not_text',
    'products/broken.json': 'unparseable',
    'suppliers.csv': 'unknown_entity',
    'customers/nokey.csv': 'no_key_column',
  });
  assert.equal(s.files.ingested, 3, 'the good files load despite the bad ones');
  const kept = await readdir(join(new LakeLayout(join(root, 'home')).lake, 'quarantine', 'files'));
  assert.equal(kept.length, 6, 'each rejected file is kept byte for byte');
});

test('every row-level reason lands in quarantine with file, line and raw content; good lines stay', async () => {
  const root = await tempDir('rejects-rows');
  const landing = join(root, 'landing');
  await writeLanding(landing, {
    ...GOOD,
    'orders/o.csv':
      [
        'order_id,customer_id,store_id,order_ts,status,updated_at',
        'O1,C1,S1,2024-01-05 10:00,placed,2024-01-05 10:00',
        ',C1,S1,2024-01-05 10:00,placed,2024-01-05 10:00', // line 3: missing_key
        'O2,C1,S1,yesterday,placed,2024-01-05 10:00', // line 4: bad_timestamp
        'O3,C1,S1,01/06/2024 09:30,Shipped,2024-01-06 10:00',
      ].join('\n') + '\n',
    'order_items/i.csv':
      [
        'order_id,line_number,product_id,quantity,unit_price,discount',
        'O1,1,P1,2,10.00,1.00',
        'O1,2,P1,three,10.00,0', // line 3: bad_number
        'O1,3,P1,0,10.00,0', // line 4: invalid_value (quantity 0)
        'O1,4,P1,1,10.00,11.00', // line 5: invalid_value (discount > gross)
        'O1,5,P1', // line 6: malformed_row
        'O3,1,P1,1,"$1,234.50",0',
      ].join('\n') + '\n',
    'events/e.ndjson':
      [
        '{"event_id":"E1","event_ts":"2024-01-05T10:00:00Z","session_id":"S","event_type":"pageview"}',
        // 2: invalid_value
        '{"event_id":"E2","event_ts":"2024-01-05T10:00:00Z","session_id":"S","event_type":"teleport"}',
        '{"event_id":"E3","event_ts":', // 3: malformed_row
        '',
        '{"event_id":"E4","event_ts":1704448800000,"session_id":"S","type":"Add-To-Cart"}',
      ].join('\n') + '\n',
  });
  const home = join(root, 'home');
  const s = await runPipeline({ home, landing });
  assert.equal(s.status, 'success', JSON.stringify(s.error));

  const layout = new LakeLayout(home);
  const db = await DuckSession.open(':memory:');
  try {
    const silver = await db.all<{ entity: string; reason: string; _source_file: string; _line: number; raw: string }>(
      `SELECT entity, reason, _source_file, _line::INTEGER AS _line, raw
       FROM read_parquet(${literal(layout.silverRejects)}) ORDER BY entity, _line`,
    );
    assert.deepEqual(
      silver.map((r) => `${r._source_file}:${r._line} ${r.reason}`),
      [
        'events/e.ndjson:2 invalid_value',
        'order_items/i.csv:3 bad_number',
        'order_items/i.csv:4 invalid_value',
        'order_items/i.csv:5 invalid_value',
        'orders/o.csv:3 missing_key',
        'orders/o.csv:4 bad_timestamp',
      ],
    );
    assert.match(silver.find((r) => r.reason === 'bad_timestamp')!.raw, /yesterday/);
    const bronze = await db.all<{ _source_file: string; _line: number; raw: string; reason: string }>(
      `SELECT _source_file, _line::INTEGER AS _line, raw, reason
       FROM read_parquet(${literal(join(layout.bronzeRejectsDir, '*.parquet'))}) ORDER BY _source_file`,
    );
    assert.deepEqual(
      bronze.map((r) => `${r._source_file}:${r._line} ${r.reason} ${r.raw}`),
      ['events/e.ndjson:3 malformed_row {"event_id":"E3","event_ts":', 'order_items/i.csv:6 malformed_row O1,5,P1'],
    );

    await db.run(`ATTACH ${literal(layout.warehouseDb)} AS wh (READ_ONLY)`);
    const lines = await db.all(
      `SELECT order_id, line_number::INTEGER AS l, net_amount::VARCHAR AS net, status
       FROM wh.fact_orders ORDER BY 1, 2`,
    );
    assert.deepEqual(lines, [
      { order_id: 'O1', l: 1, net: '19.00', status: 'placed' },
      { order_id: 'O3', l: 1, net: '1234.50', status: 'shipped' },
    ]);
    const events = await db.all(
      "SELECT event_id, event_type, strftime(event_ts, '%Y-%m-%d %H:%M') AS ts FROM wh.fact_events ORDER BY 1",
    );
    assert.deepEqual(events, [
      { event_id: 'E1', event_type: 'page_view', ts: '2024-01-05 10:00' },
      { event_id: 'E4', event_type: 'add_to_cart', ts: '2024-01-05 10:00' },
    ]);
    const cust = await db.all('SELECT email, country FROM wh.dim_customer WHERE customer_key > 0');
    assert.deepEqual(cust, [{ email: 'ada@example.com', country: null }]);
  } finally {
    await db.close();
  }
});

test('a landing folder named "stream" is remembered like any other: quarantined once, then left alone', async () => {
  const root = await tempDir('stream-folder');
  const landing = join(root, 'landing');
  await writeLanding(landing, {
    'stream/events/seg-export.csv': 'event_id,event_ts\ne1,2024-01-01T00:00:00Z\n',
    'stores/stores.csv': 'store_id,store_name\nS1,One\n',
  });
  const home = join(root, 'home');
  const first = await runPipeline({ home, landing });
  assert.equal(first.files.quarantined, 1, 'a top folder that is no entity is unknown_entity');
  const again = await runPipeline({ home, landing });
  assert.equal(again.status, 'nothing_new');
  assert.equal(again.files.unchanged, 2);
});
