import type { DagFilesSchema } from '../dag/index.ts';
import type { EngineConfig } from '../duck/index.ts';
import type { IngestConfig, SourcesConfig } from '../ingest/index.ts';
import type { LakeConfig, S3Config } from '../lake/index.ts';
import type { WorkersConfig } from '../pipeline/index.ts';
import type { ModelsConfig } from '../transform/index.ts';
import type { StateConfig } from '../state/index.ts';
import type { WarehouseConfig } from '../warehouse/index.ts';
import type { OrchestratorConfig } from './orchestrator-config.ts';
import type { z } from 'zod';

/** The parts of the config the owner of a home reads (src/config assembles the whole). */
export interface HomeConfig {
  home: string;
  landing: string;
  lake: LakeConfig;
  s3: S3Config;
  engine: EngineConfig;
  warehouse: WarehouseConfig;
  state: StateConfig;
  workers: WorkersConfig;
  dags: z.infer<typeof DagFilesSchema>;
  orchestrator: OrchestratorConfig;
  ingest: IngestConfig;
  sources: SourcesConfig;
  models: ModelsConfig;
}
