import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await inst.connect();
await db.run("ATTACH '.bench/home-s1/warehouse.duckdb' AS wh (READ_ONLY)");
const tables = (await db.runAndReadAll("select table_name from duckdb_tables() where database_name='wh' and table_name not like '\\_%' escape '\\'")).getRowObjectsJson().map(r => r.table_name);
for (const t of tables) await db.run(`CREATE TABLE "${t}" AS SELECT * FROM wh."${t}"`);
await db.run('DETACH wh');
for (const mode of process.argv.slice(2)) {
  const f = `/tmp/pub-${mode}.duckdb`;
  await import('node:fs').then(fs => { fs.rmSync(f, { force: true }); fs.rmSync(f + '.wal', { force: true }); });
  if (mode !== 'default') await db.run(`SET force_compression='${mode}'`); else await db.run("RESET force_compression");
  const t0 = performance.now();
  await db.run(`ATTACH '${f}' AS o`);
  const per = {};
  for (const t of tables) { const a = performance.now(); await db.run(`CREATE TABLE o."${t}" AS SELECT * FROM "${t}"`); per[t] = Math.round(performance.now() - a); }
  const b = performance.now();
  await db.run('DETACH o');
  const size = (await import('node:fs')).statSync(f).size;
  console.log(mode, Math.round(performance.now() - t0), 'ms; detach', Math.round(performance.now() - b), 'size MB', (size / 1e6).toFixed(0), JSON.stringify(per));
}
