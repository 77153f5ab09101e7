import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { DuckSession } from '../duck/index.ts';
import { MACROS_SQL_URL } from './index.ts';

let db: DuckSession;
before(async () => {
  db = await DuckSession.open(':memory:');
  await db.run(await readFile(MACROS_SQL_URL, 'utf8'));
});
after(() => db.close());

const parse = async (fn: string, raw: string | null) =>
  (await db.one<{ v: unknown }>(`SELECT ${fn}(c)::VARCHAR AS v FROM (SELECT sl_clean($raw::VARCHAR) AS c)`, { raw }))
    ?.v ?? null;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** Every timestamp shape of contract §3, rendered in JavaScript from the same instant. */
const RENDERINGS: Array<(d: Date) => string> = [
  (d) => d.toISOString().replace('.000Z', 'Z'),
  (d) => {
    const shifted = new Date(d.getTime() + 2 * 3600_000);
    return iso(shifted).replace(' ', 'T') + '+02:00';
  },
  (d) => {
    const shifted = new Date(d.getTime() - 5.5 * 3600_000);
    return iso(shifted).replace(' ', 'T') + '-0530';
  },
  (d) => iso(d),
  (d) =>
    `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  (d) => String(Math.floor(d.getTime() / 1000)),
  (d) => String(d.getTime()),
  (d) => `  ${d.toISOString().replace('.000Z', 'Z')} `,
];

test('property: every timestamp shape parses to the same UTC instant', async () => {
  const instant = fc
    .integer({ min: Date.UTC(2001, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 })
    .map((s) => new Date(s * 1000));
  await fc.assert(
    fc.asyncProperty(instant, fc.integer({ min: 0, max: RENDERINGS.length - 1 }), async (d, k) => {
      assert.equal(await parse('sl_ts', RENDERINGS[k]!(d)), iso(d), `rendering ${k}: ${RENDERINGS[k]!(d)}`);
    }),
    { numRuns: 300 },
  );
});

test('dates in the three contract shapes, and things that are not timestamps', async () => {
  for (const raw of ['2024-03-07', '03/07/2024', '2024/03/07']) assert.equal(await parse('sl_date', raw), '2024-03-07');
  for (const raw of ['yesterday', '2024-13-45 25:61:00', '31/31/2024', '', 'N/A', '2024-02-30T10:00:00Z'])
    assert.equal(await parse('sl_ts', raw), null, raw);
});

test('property: sl_date_key is the date written as YYYYMMDD, for dates and timestamps', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }), async (s) => {
      const d = new Date(s * 1000);
      const want = d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
      const row = await db.one<{ ts: number; day: number }>(
        'SELECT sl_date_key(to_timestamp($s)::TIMESTAMP) AS ts, sl_date_key(to_timestamp($s)::DATE) AS day',
        { s },
      );
      assert.deepEqual([row?.ts, row?.day], [want, want]);
    }),
    { numRuns: 200 },
  );
});

test('property: money in any accepted shape parses to its cents', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 10_000_000_00 }),
      fc.integer({ min: 0, max: 3 }),
      async (cents, shape) => {
        const v = (cents / 100).toFixed(2);
        const text = [
          `$${Number(v).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
          ` ${v} `,
          v,
          `"${v}"`.slice(1, -1),
        ][shape]!;
        assert.equal(await parse('sl_money', text), v);
      },
    ),
    { numRuns: 200 },
  );
});

test('property: whole numbers with padding or a .0 parse; fractions and words do not', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: -1000, max: 1_000_000 }), async (n) => {
      assert.equal(await parse('sl_int', ` ${n} `), String(n));
      assert.equal(await parse('sl_int', `${n}.0`), String(n));
      assert.equal(await parse('sl_int', `${n}.5`), null);
    }),
    { numRuns: 100 },
  );
  assert.equal(await parse('sl_int', 'three'), null);
});

test('null tokens, categoricals, emails, phones, countries', async () => {
  for (const t of ['', 'NULL', 'null', 'None', 'N/A', 'n/a', 'NaN', '-', '?', '   '])
    assert.equal(await parse('', t), null, JSON.stringify(t));
  assert.equal(await parse('sl_status', ' CANCELED '), 'cancelled');
  assert.equal(await parse('sl_status', 'Delivered'), 'delivered');
  assert.equal(await parse('sl_gender', 'M'), 'male');
  assert.equal(await parse('sl_gender', 'Female'), 'female');
  assert.equal(await parse('sl_gender', 'nonbinary'), 'other');
  assert.equal(await parse('sl_gender', 'N/A'), 'unknown');
  for (const us of ['USA', 'U.S.', 'United States', 'us', 'US']) assert.equal(await parse('sl_country', us), 'US');
  for (const gb of ['GB', 'UK', 'United Kingdom']) assert.equal(await parse('sl_country', gb), 'GB');
  assert.equal(await parse('sl_country', 'Germany'), 'DE');
  assert.equal(await parse('sl_email', ' Ada.L@Example.COM '), 'ada.l@example.com');
  assert.equal(await parse('sl_email', 'ada_at_example'), null);
  assert.equal(await parse('sl_phone', '+1 (624) 704-1038'), '+16247041038');
  assert.equal(await parse('sl_phone', '624.704.1038'), '6247041038');
  for (const [raw, want] of [
    ['pageview', 'page_view'],
    ['view_item', 'product_view'],
    ['addtocart', 'add_to_cart'],
    ['Add-To-Cart', 'add_to_cart'],
    [' PURCHASE ', 'purchase'],
  ]) {
    assert.equal(await parse('sl_event_type', raw!), want);
  }
});

test('property: sl_clean is trim() and the null tokens, whatever skips the trim', async () => {
  // Space separators trim() strips, ASCII and not, padding values of every length.
  const spaces = [' ', '\u00a0', '\u2007', '\u202f', '\u3000', '\u1680'];
  const tokens = ['', 'NULL', 'null', 'None', 'N/A', 'n/a', 'NaN', '-', '?'];
  const core = fc.oneof(
    fc.constantFrom(...tokens),
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.constantFrom('Zoë', 'C00042', 'ORD-0001'),
  );
  const padding = fc.array(fc.constantFrom(...spaces), { maxLength: 2 }).map((a) => a.join(''));
  await fc.assert(
    fc.asyncProperty(padding, core, padding, async (lead, value, trail) => {
      const raw = lead + value + trail;
      const row = await db.one<{ got: string | null; want: string | null }>(
        `SELECT sl_clean(r) AS got,
       CASE WHEN list_contains(from_json($tokens, '["VARCHAR"]'), trim(r)) THEN NULL ELSE trim(r) END AS want
       FROM (SELECT $raw::VARCHAR AS r)`,
        { raw, tokens: JSON.stringify(tokens) },
      );
      assert.equal(row?.got, row?.want, JSON.stringify(raw));
    }),
    { numRuns: 400 },
  );
  assert.equal((await db.one<{ v: unknown }>('SELECT sl_clean(NULL) AS v'))?.v, null);
});
