import type { StateDb } from '../state/index.ts';
import { TerminalError } from '../errors/index.ts';
import type { LandingFile } from '../ledger/index.ts';

export type DeadLetterStatus = 'dead' | 'replaying' | 'resolved';

export interface DeadLetter {
  id: string;
  kind: 'landing_file';
  subject: string;
  errorCode: string;
  error: string;
  attempts: number;
  status: DeadLetterStatus;
  runId: string | undefined;
  firstFailedAt: string;
  lastFailedAt: string;
  resolvedAt: string | undefined;
  resolvedBy: string | undefined;
}

interface Row {
  id: string;
  kind: 'landing_file';
  subject: string;
  size: number | null;
  mtime_ms: number | null;
  error_code: string;
  error: string;
  attempts: number;
  status: DeadLetterStatus;
  run_id: string | null;
  first_failed_at: string;
  last_failed_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

const COLUMNS = `id, kind, subject, size, mtime_ms, error_code, error, attempts,
  status, run_id, first_failed_at::VARCHAR AS first_failed_at,
  last_failed_at::VARCHAR AS last_failed_at, resolved_at::VARCHAR AS resolved_at, resolved_by`;

/**
 * Landing files that kept failing after their retries (not bad data, which is quarantined:
 * a file that cannot be read, a disk or engine error). A dead file is left alone by later
 * runs until `replay` asks for it again or the file itself changes; the ledger still
 * decides what is ingested, so a replay never ingests anything twice.
 */
export class DeadLetterQueue {
  constructor(private readonly db: StateDb) {}

  /** Open letters (dead or replaying) by landing path. */
  async open(): Promise<
    Map<string, { id: string; status: DeadLetterStatus; size: number | null; mtimeMs: number | null }>
  > {
    const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM dead_letters WHERE status <> 'resolved'`);
    return new Map(
      rows.map((r) => [
        r.subject,
        { id: r.id, status: r.status, size: r.size === null ? null : Number(r.size), mtimeMs: r.mtime_ms },
      ]),
    );
  }

  /** A file gave up after `attempts` more attempts: a new letter, or the open one updated. */
  async add(
    file: LandingFile,
    err: { code: string; message: string },
    attempts: number,
    runId: string,
  ): Promise<string> {
    return this.db.transaction(async () => {
      const open = await this.db.one<{ id: string }>(
        "SELECT id FROM dead_letters WHERE subject = $s AND status <> 'resolved'",
        { s: file.rel },
      );
      if (open) {
        await this.db.run(
          `UPDATE dead_letters
           SET status = 'dead', attempts = attempts + $n, error_code = $code, error = $msg, run_id = $run,
           size = $size, mtime_ms = $mtime, last_failed_at = now()::TIMESTAMP WHERE id = $id`,
          {
            n: attempts,
            code: err.code,
            msg: err.message,
            run: runId,
            size: file.size,
            mtime: file.mtimeMs,
            id: open.id,
          },
        );
        return open.id;
      }
      const n = Number(await this.db.scalar('SELECT count(*) FROM dead_letters')) + 1;
      const id = `dl-${n}`;
      await this.db.run(
        `INSERT INTO dead_letters
         VALUES ($id, 'landing_file', $s, $size, $mtime, $code, $msg, $n,
         'dead', $run, now()::TIMESTAMP, now()::TIMESTAMP, NULL, NULL)`,
        {
          id,
          s: file.rel,
          size: file.size,
          mtime: file.mtimeMs,
          code: err.code,
          msg: err.message,
          n: attempts,
          run: runId,
        },
      );
      return id;
    });
  }

  /** The file went through: its open letter is resolved by this run. */
  async resolve(subject: string, runId: string): Promise<void> {
    await this.db.run(
      `UPDATE dead_letters SET status = 'resolved', resolved_at = now()::TIMESTAMP, resolved_by = $run
       WHERE subject = $s AND status <> 'resolved'`,
      { s: subject, run: runId },
    );
  }

  /** Marks letters for the next run to try again; returns the ids marked. */
  async requestReplay(ids: readonly string[] | 'all'): Promise<string[]> {
    return this.db.transaction(async () => {
      const targets =
        ids === 'all'
          ? (await this.db.all<{ id: string }>("SELECT id FROM dead_letters WHERE status = 'dead' ORDER BY id")).map(
              (r) => r.id,
            )
          : [...ids];
      for (const id of targets) {
        const letter = await this.get(id);
        if (!letter)
          throw new TerminalError('dead_letter_not_found', `no dead letter "${id}"`, {
            subject: id,
            hint: 'list them with `shoplake dlq list`',
          });
        if (letter.status === 'resolved')
          throw new TerminalError(
            'dead_letter_resolved',
            `${id} was already ingested by ${letter.resolvedBy ?? 'an earlier run'}`,
            { subject: id, hint: 'nothing to replay' },
          );
      }
      for (const id of targets)
        await this.db.run("UPDATE dead_letters SET status = 'replaying' WHERE id = $id", { id });
      return targets;
    });
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const row = await this.db.one<Row>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $id`, { id });
    return row && toLetter(row);
  }

  async list(status?: DeadLetterStatus): Promise<DeadLetter[]> {
    const rows = await this.db.all<Row>(
      `SELECT ${COLUMNS} FROM dead_letters
       WHERE $status::VARCHAR IS NULL OR status = $status ORDER BY first_failed_at, id`,
      { status: status ?? null },
    );
    return rows.map(toLetter);
  }

  /** Letters waiting: dead or being replayed (the queue depth). */
  async depth(): Promise<number> {
    return Number(await this.db.scalar("SELECT count(*) FROM dead_letters WHERE status <> 'resolved'"));
  }
}

function toLetter(r: Row): DeadLetter {
  return {
    id: r.id,
    kind: r.kind,
    subject: r.subject,
    errorCode: r.error_code,
    error: r.error,
    attempts: Number(r.attempts),
    status: r.status,
    runId: r.run_id ?? undefined,
    firstFailedAt: r.first_failed_at,
    lastFailedAt: r.last_failed_at,
    resolvedAt: r.resolved_at ?? undefined,
    resolvedBy: r.resolved_by ?? undefined,
  };
}
