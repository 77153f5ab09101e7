import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planTableLoad } from './table-load-plan.ts';

const cols = { date_key: 'integer', amount: 'numeric(18,2)' };

test('a table not published yet, or whose columns changed in name, type or order, is loaded whole', () => {
  assert.equal(planTableLoad({ columns: cols, published: undefined, key: ['id'] }).kind, 'full');
  assert.equal(
    planTableLoad({ columns: cols, published: { date_key: 'integer', amount: 'double precision' }, key: ['id'] }).kind,
    'full',
  );
  assert.equal(
    planTableLoad({ columns: cols, published: { amount: 'numeric(18,2)', date_key: 'integer' }, key: ['id'] }).kind,
    'full',
  );
  assert.equal(planTableLoad({ columns: cols, published: { date_key: 'integer' }, key: ['id'] }).kind, 'full');
});

test(
  'partitions: only new or changed fingerprints are replaced, ' + 'vanished ones removed; none recorded means whole',
  () => {
    const published = [
      { part: '20250101', rows: 10, fingerprint: 'a' },
      { part: '20250102', rows: 5, fingerprint: 'b' },
      { part: '20250103', rows: 5, fingerprint: 'c' },
      { part: null, rows: 1, fingerprint: 'n' },
    ];
    const build = [
      { part: '20250101', rows: 10, fingerprint: 'a' },
      { part: '20250102', rows: 5, fingerprint: 'B' },
      { part: '20250104', rows: 2, fingerprint: 'd' },
      { part: null, rows: 2, fingerprint: 'n' },
    ];
    assert.deepEqual(planTableLoad({ columns: cols, published: cols, key: ['id'], partitions: { build, published } }), {
      kind: 'partitions',
      replace: ['20250102', '20250104', null],
      remove: ['20250103'],
    });
    assert.deepEqual(
      planTableLoad({ columns: cols, published: cols, key: ['id'], partitions: { build: published, published } }),
      { kind: 'partitions', replace: [], remove: [] },
    );
    assert.equal(
      planTableLoad({ columns: cols, published: cols, key: ['id'], partitions: { build, published: undefined } }).kind,
      'full',
    );
  },
);

test('unpartitioned tables merge by key; without a key they are loaded whole', () => {
  assert.deepEqual(planTableLoad({ columns: cols, published: cols, key: ['date_key'] }), { kind: 'merge' });
  assert.equal(planTableLoad({ columns: cols, published: cols, key: [] }).kind, 'full');
});
