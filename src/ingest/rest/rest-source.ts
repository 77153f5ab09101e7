import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ENTITIES } from '../../contract/index.ts';
import { errorMessage, TerminalError, TransientError } from '../../errors/index.ts';
import { writeAtomically } from '../../lake/index.ts';

/** One paginated JSON API, declared in the config (`sources.rest`). */
export const RestSourceSchema = z
  .object({
    /** A name of your own: the landing file names and the saved cursor use it. */
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/),
    entity: z.enum(Object.keys(ENTITIES) as [string, ...string[]]),
    /** The first page's URL; query parameters below are added to it. */
    url: z.string().url(),
    /** Where the records are in a page's JSON (dot path); "" when the page is the array itself. */
    recordsPath: z.string().default('data'),
    pagination: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('page'),
          pageParam: z.string().default('page'),
          sizeParam: z.string().default('per_page'),
          size: z.number().int().positive().default(100),
        })
        .strict(),
      z
        .object({
          kind: z.literal('offset'),
          offsetParam: z.string().default('offset'),
          limitParam: z.string().default('limit'),
          size: z.number().int().positive().default(100),
        })
        .strict(),
      z
        .object({
          kind: z.literal('cursor'),
          cursorParam: z.string().default('cursor'),
          sizeParam: z.string().default('limit'),
          size: z.number().int().positive().default(100),
          nextCursorPath: z.string().default('next_cursor'),
        })
        .strict(),
      /** Follows `Link: <…>; rel="next"` headers (GitHub style). */
      z
        .object({
          kind: z.literal('link'),
          sizeParam: z.string().optional(),
          size: z.number().int().positive().default(100),
        })
        .strict(),
    ]),
    auth: z
      .union([
        z.object({ bearer: z.string().min(1) }).strict(),
        z.object({ apiKey: z.string().min(1), header: z.string().default('X-API-Key') }).strict(),
      ])
      .optional(),
    /**
     * Only what changed since the last run: the parameter to send,
     * the record field that moves, and a look-back for late updates.
     */
    incremental: z
      .object({
        param: z.string().default('updated_since'),
        field: z.string().default('updated_at'),
        lookbackMinutes: z.number().nonnegative().default(10),
      })
      .strict()
      .optional(),
    /** Attempts per page on 429, 5xx and network errors (Retry-After honoured). */
    maxAttempts: z.number().int().min(1).max(20).default(6),
    /** Safety stop: never more pages than this in one run. */
    maxPages: z.number().int().positive().default(10_000),
  })
  .strict();

export type RestSource = z.infer<typeof RestSourceSchema>;

export interface RestFetchResult {
  source: string;
  pages: number;
  records: number;
  files: string[];
  /** The cursor to save once the pages are in the landing zone (max of the incremental field seen). */
  cursor: string | undefined;
  retries: number;
}

export interface RestFetchOptions {
  landing: string;
  cursor: string | undefined;
  delayMs: (attempt: number) => number;
  runStamp: string;
}

/**
 * Fetches every page of a source since its cursor (minus the look-back) and lands each
 * page as a JSON file in `<landing>/<entity>/`, written aside and renamed, so the normal
 * pipeline ingests it. 429 and 5xx answers and network errors are retried with backoff,
 * honouring Retry-After; anything else stops the source with a coded error.
 */
export async function fetchRestSource(source: RestSource, opts: RestFetchOptions): Promise<RestFetchResult> {
  const dir = join(opts.landing, source.entity);
  await mkdir(dir, { recursive: true });
  const out: RestFetchResult = {
    source: source.name,
    pages: 0,
    records: 0,
    files: [],
    cursor: opts.cursor,
    retries: 0,
  };
  const first = new URL(source.url);
  const p = source.pagination;
  if (source.incremental && opts.cursor) {
    const since = new Date(Date.parse(opts.cursor) - source.incremental.lookbackMinutes * 60_000).toISOString();
    first.searchParams.set(source.incremental.param, since);
  }
  if (p.kind === 'page') first.searchParams.set(p.sizeParam, String(p.size));
  if (p.kind === 'offset') first.searchParams.set(p.limitParam, String(p.size));
  if (p.kind === 'cursor') first.searchParams.set(p.sizeParam, String(p.size));
  if (p.kind === 'link' && p.sizeParam) first.searchParams.set(p.sizeParam, String(p.size));

  let url: URL | undefined = first;
  let page = p.kind === 'page' ? 1 : 0;
  let offset = 0;
  while (url && out.pages < source.maxPages) {
    if (p.kind === 'page') url.searchParams.set(p.pageParam, String(page));
    if (p.kind === 'offset') url.searchParams.set(p.offsetParam, String(offset));
    const { body, link } = await getPage(source, url, opts.delayMs, () => out.retries++);
    const records = pick(body, source.recordsPath);
    if (!Array.isArray(records)) {
      throw new TerminalError(
        'api_bad_page',
        `${source.name}: ${url.pathname} did not return a list at "${source.recordsPath || '(root)'}"`,
        { subject: url.toString(), hint: 'set recordsPath for this source' },
      );
    }
    out.pages++;
    if (records.length > 0) {
      const file = join(dir, `api-${source.name}-${opts.runStamp}-p${String(out.pages).padStart(5, '0')}.json`);
      await writeAtomically(file, (tmp) => writeFile(tmp, JSON.stringify(records)));
      out.files.push(file);
      out.records += records.length;
      if (source.incremental) {
        for (const r of records as Array<Record<string, unknown>>) {
          const v = r[source.incremental.field];
          if (
            typeof v === 'string' &&
            !Number.isNaN(Date.parse(v)) &&
            (!out.cursor || Date.parse(v) > Date.parse(out.cursor))
          )
            out.cursor = v;
        }
      }
    }
    url = nextUrl(p, url, body, link, records.length);
    page++;
    offset += records.length;
  }
  return out;
}

function nextUrl(
  p: RestSource['pagination'],
  url: URL,
  body: unknown,
  link: string | null,
  count: number,
): URL | undefined {
  if (p.kind === 'page' || p.kind === 'offset') return count >= p.size ? new URL(url) : undefined;
  if (p.kind === 'cursor') {
    const cursor = pick(body, p.nextCursorPath);
    if (cursor === null || cursor === undefined || cursor === '') return undefined;
    const next = new URL(url);
    next.searchParams.set(p.cursorParam, String(cursor));
    return next;
  }
  const m = link
    ?.split(',')
    .map((s) => s.match(/<([^>]+)>\s*;\s*rel="?next"?/))
    .find(Boolean);
  return m ? new URL(m[1]!, url) : undefined;
}

async function getPage(
  source: RestSource,
  url: URL,
  delayMs: (attempt: number) => number,
  onRetry: () => void,
): Promise<{ body: unknown; link: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (source.auth && 'bearer' in source.auth) headers['authorization'] = `Bearer ${source.auth.bearer}`;
  if (source.auth && 'apiKey' in source.auth) headers[source.auth.header] = source.auth.apiKey;
  for (let attempt = 1; ; attempt++) {
    let wait: number;
    let why: string;
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
      if (res.ok) return { body: await res.json(), link: res.headers.get('link') };
      if (res.status !== 429 && res.status < 500) {
        throw new TerminalError(
          'api_refused',
          `${source.name}: ${url.pathname} answered ${res.status} ${res.statusText}`,
          {
            subject: url.toString(),
            hint:
              res.status === 401 || res.status === 403
                ? "check the source's auth in the config"
                : "check the source's url and parameters",
          },
        );
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : delayMs(attempt);
      why = `HTTP ${res.status}`;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      if (err instanceof TerminalError) throw err;
      wait = delayMs(attempt);
      why = errorMessage(err);
    }
    if (attempt >= source.maxAttempts) {
      throw new TransientError(
        'api_unavailable',
        `${source.name}: ${url.pathname} failed ${attempt} times (last: ${why})`,
        { subject: url.toString(), hint: 'the next run starts again from the saved cursor' },
      );
    }
    onRetry();
    await new Promise((r) => setTimeout(r, wait));
  }
}

function pick(body: unknown, path: string): unknown {
  if (!path) return body;
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
}
