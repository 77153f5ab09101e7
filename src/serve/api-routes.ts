import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TerminalError } from '../errors/index.ts';
import type { DeadLetterQueue } from '../ingest/index.ts';
import { catalogView } from '../catalog/index.ts';
import { homeStatus, replayDeadLetters, type Orchestrator, type Scheduler } from '../home/index.ts';
import { RunSummaries } from '../pipeline/index.ts';
import { parse } from './api-error.ts';
import { describeDags } from './describe-dags.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const RunQuery = z
  .object({
    dag: z.string().optional(),
    status: z.enum(['queued', 'running', 'success', 'failed', 'skipped']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(20),
  })
  .strict();
const TriggerBody = z
  .object({
    logicalDate: day.optional(),
    conf: z.record(z.string(), z.unknown()).optional(),
    /** Answer when the run has ended (with its summary) instead of when it is queued. */
    wait: z.boolean().default(false),
  })
  .strict();
const BackfillBody = z
  .object({
    from: day,
    to: day,
    reprocess: z.enum(['none', 'failed', 'all']).default('none'),
    wait: z.boolean().default(false),
  })
  .strict();
const StatusQuery = z.object({ runs: z.coerce.number().int().min(1).max(1000).default(10) }).strict();
const CatalogQuery = z.object({ entity: z.string().optional() }).strict();
const DlqQuery = z.object({ status: z.enum(['dead', 'replaying', 'resolved']).optional() }).strict();
const ReplayBody = z.union([
  z.object({ ids: z.array(z.string()).min(1), wait: z.boolean().default(false) }).strict(),
  z.object({ all: z.literal(true), wait: z.boolean().default(false) }).strict(),
]);

/**
 * The JSON API under /api: DAGs, runs, triggers, backfills, the
 * home's status, catalog and quality, and the dead-letter queue.
 */
export function registerApiRoutes(
  app: FastifyInstance,
  ctx: { orchestrator: Orchestrator; dlq: DeadLetterQueue; scheduler?: Scheduler | undefined },
): void {
  const { orchestrator, dlq } = ctx;

  app.get('/api/dags', async () => describeDags(orchestrator, ctx.scheduler));

  app.get('/api/runs', async (req) => {
    const q = parse(RunQuery, req.query, 'query');
    return orchestrator.store.listRuns({
      ...(q.dag ? { dag: q.dag } : {}),
      ...(q.status ? { state: q.status } : {}),
      limit: q.limit,
    });
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id', async (req) => {
    const run = await orchestrator.store.getRun(req.params.id);
    if (!run)
      throw new TerminalError('run_not_found', `no run "${req.params.id}"`, {
        subject: req.params.id,
        hint: 'list runs with GET /api/runs',
      });
    const [tasks, logs] = await Promise.all([orchestrator.store.tasks(run.runId), orchestrator.store.logs(run.runId)]);
    return { ...run, tasks, logs, summary: orchestrator.summaryOf(run.runId) };
  });

  app.post<{ Params: { dag: string } }>('/api/dags/:dag/runs', async (req, reply) => {
    const body = parse(TriggerBody, req.body, 'body');
    const run = await orchestrator.trigger(req.params.dag, {
      logicalDate: body.logicalDate,
      runType: 'manual',
      ...(body.conf ? { conf: body.conf } : {}),
    });
    if (!body.wait) return reply.status(202).send(run);
    const done = await orchestrator.waitFor(run.runId);
    return { ...done, summary: orchestrator.summaryOf(run.runId) };
  });

  app.post<{ Params: { dag: string } }>('/api/dags/:dag/backfill', async (req, reply) => {
    const body = parse(BackfillBody, req.body, 'body');
    const items = await orchestrator.backfill(req.params.dag, body);
    if (!body.wait) return reply.status(202).send({ items });
    for (const item of items) if (item.runId) await orchestrator.waitFor(item.runId);
    return {
      items,
      runs: await Promise.all(items.filter((i) => i.runId).map((i) => orchestrator.store.getRun(i.runId!))),
    };
  });

  app.get('/api/status', async (req) =>
    homeStatus(orchestrator.state, orchestrator.layout, parse(StatusQuery, req.query, 'query').runs),
  );
  app.get('/api/catalog', async (req) =>
    catalogView(orchestrator.state, parse(CatalogQuery, req.query, 'query').entity),
  );
  app.get('/api/quality', async () => new RunSummaries(orchestrator.state).lastQuality());

  app.get('/api/dlq', async (req) => dlq.list(parse(DlqQuery, req.query, 'query').status));

  app.get<{ Params: { id: string } }>('/api/dlq/:id', async (req) => {
    const letter = await dlq.get(req.params.id);
    if (!letter)
      throw new TerminalError('dead_letter_not_found', `no dead letter "${req.params.id}"`, {
        subject: req.params.id,
        hint: 'list them with GET /api/dlq',
      });
    return letter;
  });

  app.post('/api/dlq/replay', async (req, reply) => {
    const body = parse(ReplayBody, req.body, 'body');
    const replayed = await replayDeadLetters(orchestrator, dlq, 'ids' in body ? body.ids : 'all');
    if (!replayed.run || !body.wait) return reply.status(replayed.run ? 202 : 200).send(replayed);
    await orchestrator.waitFor(replayed.run.runId);
    return {
      ids: replayed.ids,
      run: await orchestrator.store.getRun(replayed.run.runId),
      letters: await Promise.all(replayed.ids.map((id) => dlq.get(id))),
    };
  });
}
