import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckSession } from '../../duck/index.ts';
import { csvReader } from './csv-reader.ts';
import { jsonReader } from './json-reader.ts';
import { ndjsonReader } from './ndjson-reader.ts';
import { rawLines, STAGED, STAGED_REJECTS, type FormatReader } from './format-reader.ts';
import { jsonLinesToStaged } from './json-objects.ts';
import { readLandingFile } from '../read-landing-file.ts';

async function stage(reader: FormatReader, text: string, extra: { delimiter?: string; folder?: string } = {}) {
  const dir = join(await mkdtemp(join(tmpdir(), 'reader-')), extra.folder ?? '');
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'f');
  await writeFile(path, text);
  const db = await DuckSession.open(':memory:');
  try {
    const bytes = await readLandingFile(path, dir);
    const columns = await reader.stage(db, {
      path,
      compression: 'none',
      textBytes: text.length,
      blankLines: bytes.blankLines,
      indentedLines: bytes.indentedLines,
      ...(extra.delimiter ? { delimiter: extra.delimiter } : {}),
    });
    const copiedLines =
      Number(await db.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'staged_data'")) > 0;
    return { columns, ...(await stagedTables(db)), copiedLines };
  } finally {
    await db.close();
  }
}

async function stagedTables(db: DuckSession) {
  const rows = await db.all<Record<string, unknown>>(`SELECT * FROM ${STAGED} ORDER BY _line`);
  const rejects = await db.all<{ _line: bigint; raw: string; detail: string }>(
    `SELECT * FROM ${STAGED_REJECTS} ORDER BY _line`,
  );
  return {
    rows: rows.map((r) => ({ ...r, _line: Number(r._line) }) as Record<string, unknown>),
    rejects: rejects.map((r) => ({ ...r, _line: Number(r._line) })),
  };
}

test('csv: good rows keep their file line across empty lines, CRLF and rejected lines', async () => {
  const clean = await stage(csvReader, 'a,b\n1,x\n2,y\n3,z\n', { delimiter: ',' });
  assert.deepEqual(
    clean.rows.map((x) => [x._line, x.a, x.b]),
    [
      [2, '1', 'x'],
      [3, '2', 'y'],
      [4, '3', 'z'],
    ],
  );
  const crlf = await stage(csvReader, 'a,b\r\n1,x\r\n\r\n2,y\r\n', { delimiter: ',' });
  assert.deepEqual(
    crlf.rows.map((x) => [x._line, x.a]),
    [
      [2, '1'],
      [4, '2'],
    ],
  );
  const r = await stage(csvReader, 'a,b\n1,x\n\n2,y\n3,z,EXTRA\n\n\n4,w\n', { delimiter: ',' });
  assert.deepEqual(
    r.rows.map((x) => [x._line, x.a]),
    [
      [2, '1'],
      [4, '2'],
      [8, '4'],
    ],
  );
  assert.deepEqual(
    r.rejects.map((x) => [x._line, x.raw]),
    [[5, '3,z,EXTRA']],
  );
});

test('ndjson: keys in order of first appearance, late keys kept, values as text', async () => {
  const r = await stage(ndjsonReader, '{"id":"1","n":5}\n{"id":"2","flag":true,"nested":{"k":1}}\n');
  assert.deepEqual(r.columns, ['id', 'n', 'flag', 'nested']);
  assert.deepEqual(r.rows, [
    { _line: 1, id: '1', n: '5', flag: null, nested: null },
    { _line: 2, id: '2', n: null, flag: 'true', nested: '{"k":1}' },
  ]);
});

test('ndjson: empty lines keep numbering; broken lines and non-objects become rejects', async () => {
  const r = await stage(ndjsonReader, '\uFEFF{"id":"1"}\n\n  \n{"id":"2"\n[1,2]\n {"id":"3"}\r\n');
  assert.deepEqual(
    r.rows.map((x) => [x._line, x.id]),
    [
      [1, '1'],
      [6, '3'],
    ],
  );
  assert.deepEqual(
    r.rejects.map((x) => [x._line, x.detail]),
    [
      [4, 'invalid JSON'],
      [5, 'a JSON array, not an object'],
    ],
  );
});

test('ndjson: without empty or indented lines, a non-object or broken line still keeps every line number', async () => {
  const r = await stage(ndjsonReader, '{"id":"1"}\n42\n{"id":"2"}\n{"id":\n{"id":"3"}{"id":"4"}\n{"id":"5"}');
  assert.deepEqual(
    r.rows.map((x) => [x._line, x.id]),
    [
      [1, '1'],
      [3, '2'],
      [6, '5'],
    ],
  );
  assert.deepEqual(
    r.rejects.map((x) => [x._line, x.detail]),
    [
      [2, 'a JSON number, not an object'],
      [4, 'invalid JSON'],
      [5, 'invalid JSON'],
    ],
  );
});

test(
  'ndjson: two objects on one line, or one object over two lines, ' + 'are rejects; later lines keep their numbers',
  async () => {
    const two = await stage(ndjsonReader, '{"id":"1"}\n{"id":"2"}{"id":"3"}\n{"id":"4"}\n');
    assert.deepEqual(
      two.rows.map((x) => [x._line, x.id]),
      [
        [1, '1'],
        [3, '4'],
      ],
    );
    assert.deepEqual(
      two.rejects.map((x) => [x._line, x.detail]),
      [[2, 'invalid JSON']],
    );
    const split = await stage(ndjsonReader, '{"id":"1"}\n{"id":"2",\n"x":1}\n{"id":"3"}\n');
    assert.deepEqual(
      split.rows.map((x) => [x._line, x.id]),
      [
        [1, '1'],
        [4, '3'],
      ],
    );
    assert.deepEqual(
      split.rejects.map((x) => x._line),
      [2, 3],
    );
  },
);

test("ndjson: a clean file read by DuckDB's JSON reader stages what reading its raw lines stages", async () => {
  const text =
    [
      '{"id":"1","price":1.50,"n":1e3,"ok":true,"tags":["a"],"at":null,"ordinality":"o"}',
      '{"id":"2","name":"Zoë \\"Z\\" \\u00e9\\t","extra":{"k":[1,2]},' +
        '"big":18446744073709551616,"neg":-7,"no":false,"empty":""}',
      '{"id":"3","price":-0.0,"_shoplake_ordinal":"x","deep":[{"a":{"b":null}}]}',
    ].join('\r\n') + '\n';
  const { copiedLines, ...fast } = await stage(ndjsonReader, text);
  assert.equal(copiedLines, false, 'the fast path reads the file itself');
  const dir = await mkdtemp(join(tmpdir(), 'reader-'));
  await writeFile(join(dir, 'f'), text);
  const db = await DuckSession.open(':memory:');
  try {
    const columns = await jsonLinesToStaged(
      db,
      `SELECT line FROM ${rawLines({ path: join(dir, 'f'), compression: 'none', textBytes: text.length })}`,
    );
    assert.deepEqual(fast, { columns, ...(await stagedTables(db)) });
    assert.equal(fast.rows.length, 3);
    assert.equal(fast.rows[0]!['ordinality'], 'o');
  } finally {
    await db.close();
  }
});

test('ndjson: keys differing only in case are kept apart, not merged', async () => {
  const r = await stage(ndjsonReader, '{"Id":"1"}\n{"id":"2"}\n');
  assert.deepEqual(r.columns, ['Id', 'id_2']);
  assert.deepEqual(
    r.rows.map((x) => [x.Id, x.id_2]),
    [
      ['1', null],
      [null, '2'],
    ],
  );
});

test('a file in a folder named like a Hive partition (month=2024-01) gets no column from its path', async () => {
  const folder = 'month=2024-01';
  const cases: Array<[FormatReader, string, string[]]> = [
    [csvReader, 'id,n\n1,2\n', ['id', 'n']],
    [ndjsonReader, '{"id":"1"}\n', ['id']],
    [ndjsonReader, '{"id":"1"}\n\n{"id":"2"}\n', ['id']],
    [jsonReader, '[{"id":"1"}]', ['id']],
  ];
  for (const [reader, text, columns] of cases) {
    const r = await stage(reader, text, { folder, delimiter: ',' });
    assert.deepEqual(r.columns, columns, `${reader.format}: ${JSON.stringify(text)}`);
    assert.deepEqual(Object.keys(r.rows[0]!), ['_line', ...columns]);
  }
});
