import { readdir, rm } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { literalList, type SqlSession } from '../../duck/index.ts';
import { errorMessage } from '../../errors/index.ts';
import type { LakeLayout } from '../../lake/index.ts';
import type { StateDb } from '../../state/index.ts';
import {
  deliveriesOfHour,
  highestSeq,
  repointHour,
  streamBronzePaths,
  unmergedHours,
  withLedgerLock,
  type DeliveryHour,
} from '../../ledger/index.ts';
import { writePartitionedBronze } from '../write-partitioned-bronze.ts';
import { STREAMS, type StreamSpec } from './stream-spec.ts';

/** One closed hour of a stream's deliveries merged into one bronze file per day, or why not. */
export interface StreamCompaction {
  stream: StreamSpec['name'];
  /** The UTC hour the deliveries were made in, `YYYY-MM-DD HH:00:00`. */
  hour: string;
  status: 'compacted' | 'failed';
  deliveries: number;
  /** Bronze files (one per delivery, or an earlier merge of the hour) read. */
  merged: number;
  rows: number;
  /** The merged files' glob, relative to the home, as the ledger now points at it. */
  bronzePath?: string;
  error?: string;
  ms: number;
}

export interface CompactOptions {
  now?: Date;
  /** An hour is merged once it ended this long ago: a delivery begun just before its end has committed by then. */
  graceMs?: number;
  onHour?: (c: StreamCompaction, done: number, total: number) => void;
}

/**
 * Merges stream deliveries into one bronze file per (closed hour, day): at a flush every
 * 500 ms a stream writes up to 172,800 small files a day, and every build reads bronze
 * whole. Rows keep their lineage (`_file_seq`, `_line`, `_source_file`), so the build reads
 * the merged files as it read the small ones. The merge is written aside; the ledger rows
 * of the hour are pointed at it in one transaction (under the ledger lock, so deliveries
 * wait only for that); the small files are removed after. A crash before the switch leaves
 * an unreferenced merge, one after it leaves unreferenced small files: both are swept by
 * the next compaction. An hour is merged again when a delivery of it came late.
 *
 * Only a caller that knows no build is reading bronze may call this (the `daily` DAG's
 * `compact_stream` task, before the build lists its files): the small files are removed.
 */
export async function compactStreamBronze(
  db: SqlSession,
  state: StateDb,
  layout: LakeLayout,
  opts: CompactOptions = {},
): Promise<StreamCompaction[]> {
  const now = opts.now ?? new Date();
  const closedBefore = new Date(Math.floor((now.getTime() - (opts.graceMs ?? 120_000)) / 3_600_000) * 3_600_000);
  const groups: Array<{ spec: StreamSpec; hour: DeliveryHour }> = [];
  for (const spec of Object.values(STREAMS)) {
    for (const hour of await unmergedHours(state, spec.entity, closedBefore)) groups.push({ spec, hour });
  }
  const out: StreamCompaction[] = [];
  for (const { spec, hour } of groups) {
    const c = await compactHour(db, state, layout, spec, hour);
    out.push(c);
    opts.onHour?.(c, out.length, groups.length);
  }
  for (const spec of Object.values(STREAMS)) await sweepStrays(state, layout, spec);
  return out;
}

async function compactHour(
  db: SqlSession,
  state: StateDb,
  layout: LakeLayout,
  spec: StreamSpec,
  g: DeliveryHour,
): Promise<StreamCompaction> {
  const started = performance.now();
  const rows = await deliveriesOfHour(state, spec.entity, g);
  const expected = rows.reduce((n, r) => n + r.rows, 0);
  const inputs = [...new Set(rows.map((r) => r.bronzePath))];
  const result = { stream: spec.name, hour: g.hour, deliveries: rows.length, merged: inputs.length, rows: expected };
  const target = layout.bronzeStreamCompacted(spec.entity, spec.partition.name, g.first, g.last);
  const bronzePath = relative(layout.home, target.glob);
  try {
    const written = await writePartitionedBronze(
      db,
      { column: spec.partition.field, name: spec.partition.name },
      target,
      `SELECT * FROM read_parquet(${literalList(inputs.map((p) => layout.resolve(p)))},
                                  union_by_name = true, hive_partitioning = false)`,
    );
    if (written.rows !== expected) {
      throw new Error(
        `the merge holds ${written.rows} rows where the ledger ` +
          `counts ${expected}; the deliveries were left as they are`,
      );
    }
    await withLedgerLock(state, () => repointHour(state, spec.entity, g, rows.length, bronzePath));
  } catch (err) {
    // Whatever the merge wrote is unreferenced: the sweep removes it.
    return { ...result, status: 'failed', error: errorMessage(err), ms: performance.now() - started };
  }
  // Here, outside the ledger lock, rather than left to the sweep: removing an hour of small
  // files (7,200 at 500 ms) under the lock would hold deliveries back for as long.
  await removeStreamFiles(target.dir, new Set(inputs.filter((p) => p !== bronzePath).map((p) => basename(p))));
  return { ...result, status: 'compacted', bronzePath, ms: performance.now() - started };
}

const DELIVERY_FILE = /^(\d{8,})-[0-9a-f]{16}\.parquet$/;
const MERGED_FILE = /^c\d{8,}-\d{8,}\.parquet$/;

/**
 * Removes the stream's bronze files no ledger row points at: small files whose merge was
 * switched in before a crash, a merge a crash left unswitched. A delivery's file whose
 * sequence number is not handed out yet is left alone: a delivery that failed before its
 * ledger row committed writes it again under the same name. Done under the ledger lock,
 * so no delivery commits between the look at the ledger and the removal.
 */
async function sweepStrays(state: StateDb, layout: LakeLayout, spec: StreamSpec): Promise<void> {
  const dir = join(layout.bronze, spec.entity, 'stream');
  await withLedgerLock(state, async () => {
    const firstFree = (await highestSeq(state)) + 1;
    const referenced = new Set((await streamBronzePaths(state, spec.entity)).map((p) => basename(p)));
    const stray = (name: string) => {
      if (referenced.has(name)) return false;
      if (MERGED_FILE.test(name)) return true;
      const seq = DELIVERY_FILE.exec(name)?.[1];
      return seq !== undefined && Number(seq) < firstFree;
    };
    await removeStreamFiles(dir, stray);
  });
}

/** Removes, from every day folder of a stream's bronze, the files named in `names` (or that `names` picks). */
async function removeStreamFiles(dir: string, names: ReadonlySet<string> | ((name: string) => boolean)): Promise<void> {
  const picks = typeof names === 'function' ? names : (n: string) => names.has(n);
  for (const day of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!day.isDirectory() || day.name.startsWith('.')) continue;
    const folder = join(dir, day.name);
    for (const name of await readdir(folder)) {
      if (picks(name)) await rm(join(folder, name), { force: true });
    }
  }
}
