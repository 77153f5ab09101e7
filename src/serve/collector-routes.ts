import { timingSafeEqual } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TerminalError, TransientError } from '../errors/index.ts';
import { STREAMS, type StreamIngestor, type StreamSpec } from '../ingest/index.ts';

/**
 * The collector: `POST /v1/events` and `POST /v1/orders` take a JSON array or NDJSON,
 * optionally gzip-encoded, with `Authorization: Bearer <collector.token>`. The answer
 * comes after the accepted records are on disk: `{accepted, rejected: [{index, reason,
 * detail}]}`; rejected records are quarantined, not dropped. A full buffer answers 429
 * with Retry-After instead of growing without bound.
 */
export async function registerCollectorRoutes(app: FastifyInstance, ctx: { ingestor: StreamIngestor; token: string; maxBatchBytes: number; onThrottled?: (stream: StreamSpec['name']) => void }): Promise<void> {
  const expected = Buffer.from(`Bearer ${ctx.token}`);
  await app.register(async (scope) => {
    // Bodies are read as bytes here: they may be gzip, and NDJSON is not JSON.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.maxBatchBytes }, (_req, body, done) => done(null, body));
    for (const spec of Object.values(STREAMS)) {
      scope.post(`/v1/${spec.name}`, async (req, reply) => {
        const auth = Buffer.from(req.headers.authorization ?? '');
        if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
          return reply.status(401).header('www-authenticate', 'Bearer').send({ error: { code: 'unauthorized', kind: 'terminal', message: 'a valid bearer token is required', hint: 'send Authorization: Bearer <collector.token>' } });
        }
        if (ctx.ingestor.full) {
          ctx.onThrottled?.(spec.name);
          throw Object.assign(new TransientError('buffer_full', 'the collector buffer is full; retry shortly', { subject: spec.name, hint: 'honour Retry-After' }), { retryAfter: 1 });
        }
        const records = parseBatch(req, spec);
        const result = await ctx.ingestor.accept(spec.name, records);
        return reply.status(200).send(result);
      });
    }
  });
}

function parseBatch(req: FastifyRequest, spec: StreamSpec): unknown[] {
  let body = req.body as Buffer | undefined;
  if (!body || body.length === 0) throw new TerminalError('bad_request', 'the request body is empty', { subject: spec.name, hint: 'send a JSON array or NDJSON' });
  if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) {
    try {
      body = gunzipSync(body);
    } catch (err) {
      throw new TerminalError('bad_request', `the body is not valid gzip: ${(err as Error).message}`, { subject: spec.name });
    }
  }
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  const first = text.trimStart()[0];
  if (first === '[') {
    try {
      return JSON.parse(text) as unknown[];
    } catch (err) {
      throw new TerminalError('bad_request', `the body is not a valid JSON array: ${(err as Error).message}`, { subject: spec.name, hint: 'send a JSON array, or one JSON object per line' });
    }
  }
  // NDJSON: one record per line; a line that does not parse is that record's rejection.
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => {
    try {
      return JSON.parse(l) as unknown;
    } catch {
      return l;
    }
  });
}
