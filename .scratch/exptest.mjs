import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await inst.connect();
await db.run('SET preserve_insertion_order = false');
await db.run("ATTACH '.bench/home-s1/warehouse.duckdb' AS wh (READ_ONLY)");
for (const t of ['fact_events', 'fact_orders']) await db.run(`CREATE TABLE "${t}" AS SELECT * FROM wh."${t}"`);
await db.run("CREATE TABLE silver_events AS SELECT * FROM read_parquet('.bench/home-s1/lake/silver/silver_events.parquet')");
for (const comp of ['zstd, COMPRESSION_LEVEL 1', 'zstd, COMPRESSION_LEVEL -3', 'zstd']) {
  for (const t of ['silver_events', 'fact_events', 'fact_orders']) {
    const a = performance.now();
    await db.run(`COPY "${t}" TO '/tmp/x-${t}.parquet' (FORMAT parquet, COMPRESSION ${comp})`);
    const size = (await import('node:fs')).statSync(`/tmp/x-${t}.parquet`).size;
    console.log(comp, t, Math.round(performance.now() - a), 'ms', (size/1e6).toFixed(0), 'MB');
  }
}
