import { join } from 'node:path';
import { literal, type SqlSession } from '../duck/index.ts';
import { swapInNext, writeAtomically, type LakeLayout, type S3Lake } from '../lake/index.ts';
import type { Model } from '../transform/index.ts';
import { DuckdbWarehouse } from '../engines/duckdb/index.ts';
import { PostgresWarehouse } from '../engines/postgres/index.ts';
import { type PublishResult } from '../warehouse/index.ts';

export interface PublishBuild {
  /** The build database: every model a table or a view over its zone file. */
  db: SqlSession;
  layout: LakeLayout;
  models: readonly Model[];
  runId: string;
  builtThroughSeq: number;
  postgresWarehouse?: { url: string; schema: string; connections?: number } | undefined;
  s3Lake?: S3Lake | undefined;
  /** Called as each table or zone is done, with how many steps there are in all. */
  tick: (item: string, total: number) => void;
}

/**
 * A finished build out to its readers: the silver rejects to quarantine, gold to the
 * embedded warehouse (and PostgreSQL), then the silver and gold zones the build wrote beside
 * the published ones swapped in whole, then the S3 lake. Returns the embedded publish.
 */
export async function publishBuild(p: PublishBuild): Promise<PublishResult> {
  const goldTables = p.models.filter((m) => m.publish).map((m) => m.name);
  const total = 2 + (p.postgresWarehouse ? 2 * goldTables.length + 1 : goldTables.length) + (p.s3Lake ? 3 : 0);
  const tick = (item: string) => p.tick(item, total);
  await writeAtomically(p.layout.silverRejects, (tmp) =>
    p.db.run(`COPY silver_rejects TO ${literal(tmp)} (FORMAT parquet)`),
  );
  const request = {
    build: p.db,
    tables: goldTables,
    runId: p.runId,
    publishedAt: new Date().toISOString(),
    builtThroughSeq: p.builtThroughSeq,
    shapes: tableShapes(p.models),
  };
  const embedded = await new DuckdbWarehouse(p.layout.warehouseDb).publish({
    ...request,
    onTable: (t) => tick(`warehouse/${t}`),
  });
  if (p.postgresWarehouse) {
    await new PostgresWarehouse({ ...p.postgresWarehouse, scratchDir: join(p.layout.tmp, 'pg-copy') }).publish({
      ...request,
      onTable: (t) => tick(`postgres/${t}`),
      onVisible: () => tick('postgres/visible (indexes next)'),
    });
  }
  // Last of the local steps: the build's views read the zone files where they were written.
  for (const zone of ['silver', 'gold'] as const) {
    await swapInNext(p.layout.zone(zone));
    tick(`lake/${zone}`);
  }
  await p.s3Lake?.publishZones(p.layout, p.runId, { runId: p.runId, builtThroughSeq: p.builtThroughSeq }, tick);
  return embedded;
}

/** Keys, foreign-key columns and partition columns of the published models, for warehouses that use them. */
function tableShapes(models: readonly Model[]): Record<string, { key: readonly string[]; indexes: string[] }> {
  return Object.fromEntries(
    models
      .filter((m) => m.publish)
      .map((m) => [
        m.name,
        {
          key: m.key,
          indexes: (m.tests ?? []).flatMap((t) => (t.kind === 'relationship' ? [t.column] : [])),
          ...(m.partitionBy ? { partitionBy: m.partitionBy.column } : {}),
        },
      ]),
  );
}
