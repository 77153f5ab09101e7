import { copyFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  ENTITIES,
  mapHeaders,
  missingKeyColumns,
  type EntityName,
  type FileRejectReason,
  type MappedColumn,
} from '../contract/index.ts';
import { ident, literal, type DuckSession } from '../duck/index.ts';
import { errorMessage } from '../errors/index.ts';
import { inferColumnTypes } from '../catalog/index.ts';
import { LAKE_PARQUET, writeAtomically, type LakeLayout } from '../lake/index.ts';
import {
  FORMAT_READERS,
  STAGED,
  STAGED_REJECTS,
  isContentError,
  narrowStaged,
  releaseStaged,
} from './formats/index.ts';
import { sniffFormat } from './sniff-format.ts';
import { writePartitionedBronze } from './write-partitioned-bronze.ts';
import type { FileBytes } from './read-landing-file.ts';
import type { FileOutcome } from './file-outcome.ts';
import type { LandingFile } from '../ledger/index.ts';

export interface IngestContext {
  db: DuckSession;
  layout: LakeLayout;
  batchId: string;
  ingestedAt: string;
  /**
   * Partition the bronze output by the UTC date of this canonical column (stream
   * deliveries, as Firehose prefixes by date); records whose value is no timestamp go
   * under `<name>=unknown` and are judged by silver like any other.
   */
  partitionBy?: { column: string; name: string };
}

/** What the writer of a file knows of it (a stream delivery), to read it with less work. */
export interface IngestHints {
  /** Every line is a JSON object with these keys, in order of first appearance (NDJSON only). */
  knownKeys?: readonly string[];
  /** A temp table of `_line`s: only those lines are ingested, the rest left out as if absent. */
  onlyLines?: string;
}

/**
 * Landing file → bronze Parquet (every column text, canonical names, lineage columns),
 * or → quarantine with its contract reason. Never throws for bad content; only for a
 * failure of the machine itself (disk, permissions), which the caller reports per file.
 */
export async function ingestFile(
  ctx: IngestContext,
  file: LandingFile,
  bytes: FileBytes,
  entity: EntityName | undefined,
  seq: number,
  hints: IngestHints = {},
): Promise<FileOutcome> {
  await releaseStaged(ctx.db);
  let done = false;
  try {
    const outcome = await stageAndWrite(ctx, file, bytes, entity, seq, hints);
    done = true;
    return outcome;
  } finally {
    // A failure to release after a failure is not the one to report.
    await releaseStaged(ctx.db).catch((err: unknown) => {
      if (done) throw err;
    });
  }
}

async function stageAndWrite(
  ctx: IngestContext,
  file: LandingFile,
  bytes: FileBytes,
  entity: EntityName | undefined,
  seq: number,
  hints: IngestHints,
): Promise<FileOutcome> {
  const base: FileOutcome = {
    file,
    seq,
    hash: bytes.hash,
    entity,
    status: 'quarantined',
    rowsOk: 0,
    rowsRejected: 0,
    drift: [],
  };
  const reject = async (
    reason: FileRejectReason,
    detail: string,
    extra: Partial<FileOutcome> = {},
  ): Promise<FileOutcome> => {
    const target = ctx.layout.quarantinedFile(bytes.hash, basename(file.rel));
    await writeAtomically(target, (tmp) => copyFile(file.abs, tmp));
    return { ...base, ...extra, reason, detail };
  };

  if (!entity)
    return reject(
      'unknown_entity',
      `no entity folder or name prefix in "${file.rel}"; expected one of ${Object.keys(ENTITIES).join(', ')}`,
    );
  const sniffed = sniffFormat(bytes.head, file.size);
  if (!sniffed.ok) return reject(sniffed.reason, sniffed.detail);
  if (bytes.gzipError) return reject('bad_compression', `gzip stream is broken: ${bytes.gzipError}`);
  const how = {
    format: sniffed.format,
    compression: sniffed.compression,
    ...('delimiter' in sniffed ? { delimiter: sniffed.delimiter } : {}),
  };

  let sourceColumns: string[];
  try {
    sourceColumns = await FORMAT_READERS[sniffed.format].stage(ctx.db, {
      path: bytes.textPath,
      compression: 'none',
      textBytes: bytes.textBytes,
      blankLines: bytes.blankLines,
      indentedLines: bytes.indentedLines,
      ...('delimiter' in sniffed ? { delimiter: sniffed.delimiter } : {}),
      ...(hints.knownKeys && sniffed.format === 'ndjson' ? { knownKeys: hints.knownKeys } : {}),
    });
    if (hints.onlyLines) await narrowStaged(ctx.db, hints.onlyLines);
  } catch (err) {
    // Only the file's content is the file's fault; memory or disk trouble is retried next run.
    if (!isContentError(err)) throw err;
    return reject('unparseable', `not valid ${sniffed.format}: ${firstLine(errorMessage(err))}`, how);
  }
  const mapped = mapHeaders(entity, sourceColumns);
  const missing = missingKeyColumns(entity, mapped);
  if (missing.length > 0) {
    return reject(
      'no_key_column',
      `key column ${missing.join(', ')} not found among headers [${sourceColumns.join(', ')}]`,
      how,
    );
  }

  const types = await inferColumnTypes(ctx.db, STAGED, sourceColumns);
  const columns = mapped.map((m) => ({ ...m, type: types[m.source] ?? 'text' }));
  const rowsRejected = Number(await ctx.db.scalar(`SELECT count(*) FROM ${STAGED_REJECTS}`));

  const lineage = (line: string) =>
    `${line} AS _line, ${literal(file.rel)} AS _source_file, ${seq}::BIGINT AS _file_seq, ` +
    `${literal(ctx.batchId)} AS _batch_id, ${literal(ctx.ingestedAt)}::TIMESTAMP AS _ingested_at`;
  const select = `SELECT ${selectMapped(mapped)}, ${lineage('_line::BIGINT')} FROM ${STAGED}`;
  // The count comes from the write itself: counting `staged` first would read the file once more.
  let rowsOk: number;
  let bronzePath: string;
  if (ctx.partitionBy) {
    ({ glob: bronzePath, rows: rowsOk } = await writePartitionedBronze(
      ctx.db,
      ctx.partitionBy,
      ctx.layout.bronzeStreamFiles(entity, ctx.partitionBy.name, seq, bytes.hash),
      select,
    ));
  } else {
    bronzePath = ctx.layout.bronzeFile(entity, seq, bytes.hash);
    // Row order inside a bronze file carries no meaning (`_line` does), and letting DuckDB
    // write row groups in any order makes the write much cheaper. Readers need order kept, so
    // it is switched back at once.
    rowsOk = await writeAtomically(bronzePath, async (tmp) => {
      await ctx.db.run('SET preserve_insertion_order = false');
      try {
        return Number(await ctx.db.scalar(`COPY (${select}) TO ${literal(tmp)} (${LAKE_PARQUET})`));
      } finally {
        await ctx.db.run('SET preserve_insertion_order = true');
      }
    });
  }
  let rejectsPath: string | undefined;
  if (rowsRejected > 0) {
    rejectsPath = ctx.layout.bronzeRejects(seq, bytes.hash);
    await writeAtomically(rejectsPath, (tmp) =>
      ctx.db.run(`COPY (SELECT ${literal(entity)} AS entity,
                        'malformed_row' AS reason, detail, raw, ${lineage('_line::BIGINT')}
                        FROM ${STAGED_REJECTS} ORDER BY _line)
                  TO ${literal(tmp)} (FORMAT parquet)`),
    );
  }
  return {
    ...base,
    ...how,
    status: 'ingested',
    rowsOk,
    rowsRejected,
    bronzePath,
    ...(rejectsPath ? { rejectsPath } : {}),
    columns,
  };
}

/** One bronze column per target; several sources of one target are coalesced in order. */
function selectMapped(mapped: readonly MappedColumn[]): string {
  const byTarget = new Map<string, string[]>();
  for (const m of mapped) byTarget.set(m.target, [...(byTarget.get(m.target) ?? []), `${ident(m.source)}::VARCHAR`]);
  return [...byTarget]
    .map(
      ([target, sources]) =>
        `${sources.length > 1 ? `coalesce(${sources.join(', ')})` : sources[0]} AS ${ident(target)}`,
    )
    .join(', ');
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}
