import { constants, gunzipSync } from 'node:zlib';
import type { FileRejectReason } from '../contract/index.ts';

/** What a file is, decided from its first bytes (contract §2: the content decides). */
export type Sniffed =
  | { ok: true; compression: 'gzip' | 'none'; format: 'csv'; delimiter: string }
  | { ok: true; compression: 'gzip' | 'none'; format: 'json' | 'ndjson' }
  | { ok: false; reason: FileRejectReason; detail: string };

export const SNIFF_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '|', '\t'];

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Sniffs from the first SNIFF_BYTES of a file (`head`) and the file's full size. */
export function sniffFormat(head: Buffer, size: number): Sniffed {
  if (size === 0) return { ok: false, reason: 'empty_file', detail: 'the file has 0 bytes' };
  const compression = isGzip(head) ? 'gzip' : 'none';
  let text: Buffer = head;
  if (compression === 'gzip') {
    try {
      // A partial flush inflates what the head holds without requiring the stream's end.
      text = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (err) {
      return {
        ok: false,
        reason: 'bad_compression',
        detail: `gzip header found but the data does not inflate: ${(err as Error).message}`,
      };
    }
  }
  if (text.length >= 3 && text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf) text = text.subarray(3);
  const binary = binaryReason(text);
  if (binary) return { ok: false, reason: 'not_text', detail: binary };
  const str = text.toString('utf8');
  const first = str.search(/\S/);
  if (first < 0) return { ok: false, reason: 'empty_file', detail: 'the file holds only whitespace' };

  const c = str[first];
  if (c === '[') return { ok: true, compression, format: 'json' };
  if (c === '{') return { ok: true, compression, format: jsonOrNdjson(str.slice(first)) };

  const lines = str
    .slice(first)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  // The last line of a head may be cut short; leave it out unless it is the only one.
  const sample = lines.length > 1 && text.length >= SNIFF_BYTES ? lines.slice(0, -1) : lines;
  const delimiter = sniffDelimiter(sample.slice(0, 50));
  if (!delimiter) {
    return { ok: false, reason: 'unparseable', detail: 'no JSON, and no delimiter (, ; | tab) in the header line' };
  }
  return { ok: true, compression, format: 'csv', delimiter };
}

function binaryReason(text: Buffer): string | undefined {
  const n = Math.min(text.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = text[i]!;
    if (b === 0) return 'NUL byte found: binary content';
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (n > 0 && control / n > 0.05) return `${control} control bytes in the first ${n}: binary content`;
  try {
    // Decode all but a last partial character: the head may cut one in two.
    new TextDecoder('utf-8', { fatal: true }).decode(text.subarray(0, Math.max(0, n - 4)));
  } catch {
    return 'not valid UTF-8 text';
  }
  return undefined;
}

/** `{` first: NDJSON when the first line is a whole JSON value and another line follows. */
function jsonOrNdjson(str: string): 'json' | 'ndjson' {
  const lines = str.split(/\r?\n/).filter((l) => l.trim() !== '');
  const firstLine = lines[0]!.trim();
  try {
    const value: unknown = JSON.parse(firstLine);
    if (lines.length > 1) return 'ndjson';
    // One line holding an object with one array of records is a wrapped JSON document.
    const arrays = Object.values(value as object).filter(Array.isArray);
    return arrays.length === 1 ? 'json' : 'ndjson';
  } catch {
    // A first line that is not a whole value: pretty-printed JSON, or a line longer than the head.
    return 'json';
  }
}

/** The delimiter that splits the header into the most fields and the rows consistently. */
export function sniffDelimiter(lines: readonly string[]): string | undefined {
  if (lines.length === 0) return undefined;
  let best: { d: string; score: number } | undefined;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const header = counts[0]!;
    if (header === 0) continue;
    const consistent = counts.filter((c) => c === header).length / counts.length;
    const score = consistent * 1000 + header;
    if (!best || score > best.score) best = { d, score };
  }
  return best?.d;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}
