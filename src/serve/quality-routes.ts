import { pathExists } from '../lake/index.ts';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DuckSession, literal } from '../duck/index.ts';
import type { Orchestrator } from '../home/index.ts';
import { quarantinedFiles } from '../ledger/index.ts';
import { testResultsOf } from '../quality/index.ts';
import { parse } from './api-error.ts';

const RowsQuery = z
  .object({
    reason: z.string().optional(),
    entity: z.string().optional(),
    file: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/**
 * The quarantine browser and test results: rejected rows (from parsing and from silver's
 * checks) by reason, entity and file with their raw content, quarantined files with their
 * reason, and each run's data-test results.
 */
export function registerQualityRoutes(app: FastifyInstance, orchestrator: Orchestrator): void {
  const { layout, state } = orchestrator;

  app.get('/api/quarantine/summary', async () => {
    const files = await quarantinedFiles(state);
    const rows = await withRejects(layout, (db, src) =>
      db.all(`SELECT reason, entity, count(*)::INTEGER AS rows FROM ${src} GROUP BY ALL ORDER BY rows DESC`),
    );
    return { files, rows: rows ?? [] };
  });

  app.get('/api/quarantine/rows', async (req) => {
    const q = parse(RowsQuery, req.query, 'query');
    const rows = await withRejects(layout, (db, src) =>
      db.all(
        `SELECT entity, reason, detail, _source_file AS file, _line AS line, raw FROM ${src}
       WHERE ($reason IS NULL OR reason = $reason)
       AND ($entity IS NULL OR entity = $entity) AND ($file IS NULL OR _source_file = $file)
       ORDER BY _source_file, _line LIMIT $limit OFFSET $offset`,
        { reason: q.reason ?? null, entity: q.entity ?? null, file: q.file ?? null, limit: q.limit, offset: q.offset },
      ),
    );
    return rows ?? [];
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id/tests', async (req) => testResultsOf(state, req.params.id));
}

/** Every rejects file of the lake read as one relation; undefined when there are none yet. */
async function withRejects<T>(
  layout: Orchestrator['layout'],
  work: (db: DuckSession, source: string) => Promise<T>,
): Promise<T | undefined> {
  const files = (await readdir(layout.bronzeRejectsDir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => join(layout.bronzeRejectsDir, f));
  const streamDir = join(layout.lake, 'quarantine', 'rows', 'stream');
  files.push(
    ...(await readdir(streamDir).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.parquet'))
      .map((f) => join(streamDir, f)),
  );
  if (await pathExists(layout.silverRejects)) files.push(layout.silverRejects);
  if (files.length === 0) return undefined;
  const db = await DuckSession.open(':memory:');
  try {
    return await work(db, `read_parquet([${files.map(literal).join(', ')}], union_by_name = true)`);
  } finally {
    await db.close();
  }
}
