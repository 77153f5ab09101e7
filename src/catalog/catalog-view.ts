import type { StateDb } from '../state/index.ts';
import { filesPerEntity } from '../ledger/index.ts';

export interface CatalogView {
  entities: Array<{
    entity: string;
    files: number;
    latest: number;
    versions: Array<{
      version: number;
      first_file: string;
      created_at: string;
      columns: Array<Record<string, string>>;
    }>;
  }>;
  drift: Array<Record<string, unknown>>;
}

/** The schema catalog as the CLI and the API show it: per entity, files, schema versions and drift. */
export async function catalogView(state: StateDb, entity?: string): Promise<CatalogView> {
  const params = { entity: entity ?? null };
  const versions = await state.all<{
    entity: string;
    version: number;
    columns: string;
    first_file: string;
    created_at: string;
  }>(
    `SELECT entity, version, columns::VARCHAR AS columns, first_file, created_at::VARCHAR AS created_at
     FROM schema_versions
     WHERE $entity::VARCHAR IS NULL OR entity = $entity ORDER BY entity, version`,
    params,
  );
  const drift = await state.all(
    `SELECT entity, version, kind, column_name, detail, file FROM drift_events
     WHERE $entity::VARCHAR IS NULL OR entity = $entity ORDER BY entity, version, kind, column_name`,
    params,
  );
  const files = await filesPerEntity(state, entity);
  const entities = [...new Set(versions.map((v) => v.entity))].map((name) => {
    const vs = versions.filter((v) => v.entity === name);
    return {
      entity: name,
      files: files.get(name) ?? 0,
      versions: vs.map((v) => ({
        version: Number(v.version),
        first_file: v.first_file,
        created_at: v.created_at,
        columns: JSON.parse(v.columns) as Array<Record<string, string>>,
      })),
      latest: Number(vs.at(-1)!.version),
    };
  });
  return { entities, drift };
}
