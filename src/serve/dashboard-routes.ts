import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { StateDb } from '../state/index.ts';
import { modelTestStatus } from '../quality/index.ts';
import { TerminalError } from '../errors/index.ts';
import { parse } from './api-error.ts';
import { dashboardData, dashboardOptions } from './dashboard-data.ts';
import type { WarehouseReader } from '../warehouse/index.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const DashboardQuery = z
  .object({
    from: day,
    to: day,
    store: z.string().optional(),
    channel: z.string().optional(),
    category: z.string().optional(),
  })
  .strict();
const QueryBody = z
  .object({ sql: z.string().min(1).max(100_000), maxRows: z.number().int().min(1).max(10_000).default(1000) })
  .strict();

/** Tables a dashboard reads, whose data-quality status each chart shows. */
const SOURCES = [
  'fact_orders',
  'fact_events',
  'dim_customer',
  'dim_product',
  'dim_store',
  'dim_date',
  'mart_customer_ltv',
  'mart_user_activity_daily',
];

/**
 * The warehouse read by the web app: dashboard figures, filter
 * options, freshness, quality, and the read-only SQL console.
 */
export function registerDashboardRoutes(
  app: FastifyInstance,
  ctx: { warehouse: WarehouseReader; state: StateDb },
): void {
  const { warehouse } = ctx;

  app.get('/api/dashboard/options', async () => {
    const options = await dashboardOptions(warehouse);
    return { ...options, quality: await tableQuality(ctx.state, options.runId) };
  });

  app.get('/api/dashboard', async (req) => {
    const f = parse(DashboardQuery, req.query, 'query');
    if (f.to < f.from)
      throw new TerminalError('bad_request', `to (${f.to}) is before from (${f.from})`, {
        subject: 'query',
        hint: 'swap the dates',
      });
    return dashboardData(warehouse, f);
  });

  app.post('/api/query', async (req) => {
    const body = parse(QueryBody, req.body, 'body');
    return warehouse.userQuery(body.sql, body.maxRows);
  });
}

/** pass, warn or fail per source table, from the data tests of the run that published the warehouse. */
async function tableQuality(
  state: StateDb,
  runId: string | null,
): Promise<Record<string, 'pass' | 'warn' | 'fail' | 'unknown'>> {
  const byModel = runId ? await modelTestStatus(state, runId) : new Map<string, 'pass' | 'warn' | 'fail'>();
  return Object.fromEntries(SOURCES.map((t) => [t, byModel.get(t) ?? 'unknown']));
}
