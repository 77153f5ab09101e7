import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckSession } from '../duck/index.ts';
import { ShoplakeError } from '../errors/index.ts';
import { tableReferences } from './sql-references.ts';

test('the tables a query reads, from DuckDB’s parser: joins, subqueries, table macros; its CTEs left out', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    const sql = `WITH recent AS (SELECT * FROM silver_orders WHERE order_ts > now() - INTERVAL 7 DAY)
      SELECT r.*, c.email FROM recent r
      LEFT JOIN dim_customer c USING (customer_key)
      WHERE r.store_id IN (SELECT store_id FROM "dim_store")
      UNION ALL SELECT * FROM sl_latest_version('stg_orders', ['order_id'], 'updated_at')
      UNION ALL SELECT * FROM sl_duplicate_counts('orders', 'stg_orders', 'silver_orders')`;
    assert.deepEqual(await tableReferences(db, sql, 'm.sql'), [
      'bronze_files',
      'dim_customer',
      'dim_store',
      'silver_orders',
      'stg_orders',
    ]);
    // A string that only looks like a table name (a column literal, a macro's label) is no reference.
    assert.deepEqual(await tableReferences(db, "SELECT 'dim_date' AS t FROM mart_funnel", 'm.sql'), ['mart_funnel']);
    await assert.rejects(
      tableReferences(db, 'SELECT FROM WHERE', 'models/gold/broken.sql'),
      (e: unknown) =>
        e instanceof ShoplakeError && e.code === 'model_sql_invalid' && /models\/gold\/broken\.sql: /.test(e.message),
    );
  } finally {
    await db.close();
  }
});
