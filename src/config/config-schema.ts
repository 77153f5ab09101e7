import { z } from 'zod';
import { HomeSchema, LakeConfigSchema, S3ConfigSchema } from '../lake/index.ts';
import { EngineConfigSchema } from '../duck/index.ts';
import { WarehouseConfigSchema } from '../warehouse/index.ts';
import { StateConfigSchema } from '../state/index.ts';
import { WorkersConfigSchema } from '../pipeline/index.ts';
import { DagFilesSchema } from '../dag/index.ts';
import { AlertsConfigSchema, OrchestratorConfigSchema } from '../home/index.ts';
import { LandingSchema, IngestConfigSchema, SourcesConfigSchema } from '../ingest/index.ts';
import { ServerConfigSchema } from '../serve/index.ts';
import { CollectorConfigSchema } from '../live/index.ts';
import { ModelsConfigSchema } from '../transform/index.ts';

/**
 * shoplake's configuration, validated once at the edge. Each stage owns its part of the
 * schema and documents every field where it defines it; this only assembles them.
 * `${NAME}` in any string is replaced by the environment variable.
 */
export const ConfigSchema = z
  .object({
    home: HomeSchema,
    landing: LandingSchema,
    lake: LakeConfigSchema,
    s3: S3ConfigSchema,
    engine: EngineConfigSchema,
    warehouse: WarehouseConfigSchema,
    state: StateConfigSchema,
    workers: WorkersConfigSchema,
    dags: DagFilesSchema,
    orchestrator: OrchestratorConfigSchema,
    ingest: IngestConfigSchema,
    server: ServerConfigSchema,
    sources: SourcesConfigSchema,
    models: ModelsConfigSchema,
    collector: CollectorConfigSchema,
    alerts: AlertsConfigSchema,
  })
  .strict()
  .refine((c) => !c.workers.enabled || c.state.url.startsWith('postgres'), {
    message: 'workers need the state in PostgreSQL (state.url: postgres://…), where their task queue lives',
    path: ['workers', 'enabled'],
  });

export type ShoplakeConfig = z.infer<typeof ConfigSchema>;
