import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresType } from './postgres-type.ts';

test('DuckDB types map to PostgreSQL types; an unknown one is refused', () => {
  assert.equal(postgresType('VARCHAR'), 'text');
  assert.equal(postgresType('DECIMAL(18,2)'), 'numeric(18,2)');
  assert.equal(postgresType('TIMESTAMP WITH TIME ZONE'), 'timestamp with time zone');
  assert.equal(postgresType('TIMESTAMP'), 'timestamp without time zone');
  assert.equal(postgresType('BIGINT'), 'bigint');
  assert.equal(postgresType('INTEGER[]'), 'integer[]');
  assert.throws(() => postgresType('MAP(VARCHAR, INTEGER)'), /no PostgreSQL type/);
});
