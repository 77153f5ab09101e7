import { gunzipSync } from 'node:zlib';
import { TerminalError } from '../../errors/index.ts';
import type { StreamSpec } from './stream-spec.ts';

export interface RecordRejection {
  index: number;
  reason: 'malformed_row' | 'missing_key';
  detail: string;
}

/** A batch checked record by record and serialized for its stream's logs. */
export interface PreparedBatch {
  /** The good records, one JSON line each. */
  good: string[];
  /** Every key the good records hold, in the order JSON.stringify writes them. */
  keys: string[];
  /** The rejected records as quarantine lines (reason, detail, raw, received_at, index). */
  bad: string[];
  rejected: RecordRejection[];
}

/** One verdict per record: none is dropped, a bad one is quarantined with its reason. */
export function prepareBatch(spec: StreamSpec, records: readonly unknown[], receivedAt: string): PreparedBatch {
  const good: string[] = [];
  const keys = new Set<string>();
  const bad: string[] = [];
  const rejected: RecordRejection[] = [];
  records.forEach((r, index) => {
    const verdict = check(spec, r);
    if (verdict) {
      rejected.push({ index, ...verdict });
      bad.push(
        JSON.stringify({
          reason: verdict.reason,
          detail: verdict.detail,
          raw: typeof r === 'string' ? r : JSON.stringify(r),
          received_at: receivedAt,
          index,
        }),
      );
    } else {
      for (const k of Object.keys(r as object)) keys.add(k);
      good.push(JSON.stringify(r));
    }
  });
  return { good, keys: [...keys], bad, rejected };
}

/**
 * A collector request's body as records: a JSON array or NDJSON (a line that does not
 * parse is that record's rejection), gzip-encoded or not. Throws `bad_request` for a body
 * that is neither.
 */
export function parseBatchBody(bytes: Uint8Array, gzip: boolean, spec: StreamSpec): unknown[] {
  let body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (body.length === 0)
    throw new TerminalError('bad_request', 'the request body is empty', {
      subject: spec.name,
      hint: 'send a JSON array or NDJSON',
    });
  if (gzip) {
    try {
      body = gunzipSync(body);
    } catch (err) {
      throw new TerminalError('bad_request', `the body is not valid gzip: ${(err as Error).message}`, {
        subject: spec.name,
      });
    }
  }
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  const first = text.trimStart()[0];
  if (first === '[') {
    try {
      return JSON.parse(text) as unknown[];
    } catch (err) {
      throw new TerminalError('bad_request', `the body is not a valid JSON array: ${(err as Error).message}`, {
        subject: spec.name,
        hint: 'send a JSON array, or one JSON object per line',
      });
    }
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as unknown;
      } catch {
        return l;
      }
    });
}

/**
 * A JetStream message's records: one JSON object, an array, or NDJSON (a line that does not
 * parse is that record's rejection). An empty message holds none.
 */
export function parseMessage(data: Uint8Array): unknown[] {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8').trim();
  if (text === '') return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v : [v];
  } catch {
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        try {
          return JSON.parse(l) as unknown;
        } catch {
          return l;
        }
      });
  }
}

function check(spec: StreamSpec, r: unknown): Omit<RecordRejection, 'index'> | undefined {
  if (typeof r !== 'object' || r === null || Array.isArray(r))
    return {
      reason: 'malformed_row',
      detail: `a JSON ${Array.isArray(r) ? 'array' : r === null ? 'null' : typeof r}, not an object`,
    };
  const key = (r as Record<string, unknown>)[spec.key];
  if (key === undefined || key === null || String(key).trim() === '')
    return { reason: 'missing_key', detail: `${spec.key} is empty` };
  return undefined;
}
