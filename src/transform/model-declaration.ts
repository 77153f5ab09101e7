import type { DataTestSpec } from '../quality/index.ts';

/**
 * A model is a `.sql` file beside a small typed declaration, as in dbt. The declaration
 * says its grain and key, what its columns mean and which data tests guard it; what it
 * depends on is read from the SQL itself (tableReferences), and the run order and the DAG
 * are derived from that.
 */
export interface ModelDeclaration {
  name: string;
  layer: 'silver' | 'gold';
  description: string;
  grain: string;
  key: string[];
  columns?: Record<string, string>;
  tests?: DataTestSpec[];
  /** Published to the warehouse (gold tables and marts). */
  publish?: boolean;
  /**
   * The column holding each row's business day, as a DATE or a YYYYMMDD `date_key`: the
   * processed-zone unload of a logical date takes only that day's rows. Tables without
   * one (dimensions, whole-history marts) are unloaded whole.
   */
  partitionBy?: { column: string; kind: 'date' | 'date_key' };
  /** A step between layers (stg_*, int_*): dropped from the build once every model that reads it is built. */
  intermediate?: boolean;
}

/** A model as its files declare it, before its dependencies are read from its SQL. */
export interface DeclaredModel extends ModelDeclaration {
  sql: string;
  sqlPath: string;
}

export interface Model extends DeclaredModel {
  /** The built-in retail package, or the project's own models (config `models.paths`). */
  origin: 'builtin' | 'project';
  /** Models or sources (`bronze_<entity>`, `bronze_files`) its SQL reads. */
  dependsOn: string[];
  /**
   * The entities whose bronze files building it reads: its bronze sources, and for the
   * lineage table (`bronze_files`) the entities its inputs were staged from.
   */
  bronzeInputs: string[];
}

/**
 * What building a model reads: its dependencies, and the tables its relationship tests
 * look keys up in (which must be built first too, though the SQL does not name them).
 */
export function modelInputs(model: Pick<Model, 'dependsOn' | 'tests'>): string[] {
  return [
    ...new Set([...model.dependsOn, ...(model.tests ?? []).flatMap((t) => (t.kind === 'relationship' ? [t.to] : []))]),
  ];
}

/**
 * The lake zone a model's table is kept in: published models in gold, the cleansed
 * entities (`silver_<entity>`) in silver; steps between layers, the duplicate counts and
 * the rejects (quarantined apart) in none.
 */
export function lakeZoneOf(model: ModelDeclaration): 'silver' | 'gold' | undefined {
  if (model.publish) return 'gold';
  if (
    model.layer === 'silver' &&
    !model.intermediate &&
    model.name.startsWith('silver_') &&
    model.name !== 'silver_rejects'
  )
    return 'silver';
  return undefined;
}

export function defineModel(decl: ModelDeclaration): ModelDeclaration {
  return decl;
}
