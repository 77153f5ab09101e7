import { cp, rm } from 'node:fs/promises';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { runPipeline } from '../src/orchestrate/index.ts';
import { DuckSession } from '../src/duck/index.ts';
const root = '/tmp/diffdays'; await rm(root, { recursive: true, force: true });
await generateLanding({ out: `${root}/landing`, scale: 0.005, seed: 51, drops: 2, only: 1 });
await runPipeline({ home: `${root}/home`, landing: `${root}/landing` });
await cp(`${root}/home/warehouse.duckdb`, `${root}/wh1.duckdb`);
await generateLanding({ out: `${root}/landing`, scale: 0.005, seed: 51, drops: 2, only: 2 });
await runPipeline({ home: `${root}/home`, landing: `${root}/landing` });
const db = await DuckSession.open(':memory:');
await db.run(`ATTACH '${root}/wh1.duckdb' AS a (READ_ONLY)`); await db.run(`ATTACH '${root}/home/warehouse.duckdb' AS b (READ_ONLY)`);
console.log(await db.all(`SELECT (SELECT count(*) FROM a.fact_orders)::INT a_rows, (SELECT count(*) FROM b.fact_orders)::INT b_rows,
  (SELECT count(*) FROM (SELECT * FROM b.fact_orders EXCEPT SELECT * FROM a.fact_orders))::INT changed_rows,
  (SELECT count(DISTINCT date_key) FROM (SELECT * FROM b.fact_orders EXCEPT SELECT * FROM a.fact_orders))::INT changed_days,
  (SELECT count(DISTINCT date_key) FROM b.fact_orders)::INT n_days`));
console.log(await db.all(`SELECT count(*)::INT n, count(*) FILTER (WHERE a.status <> b.status)::INT status, count(*) FILTER (WHERE a.customer_key <> b.customer_key)::INT cust, count(*) FILTER (WHERE a.net_amount <> b.net_amount)::INT amt FROM a.fact_orders a JOIN b.fact_orders b USING (order_id, line_number) WHERE a.status <> b.status OR a.customer_key <> b.customer_key OR a.net_amount <> b.net_amount OR a.date_key <> b.date_key`).catch(e => String(e)));
