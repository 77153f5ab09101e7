import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { TransientError } from '../errors/index.ts';
import { STREAMS, type BatchParsers, type StreamIngestor, type StreamSpec } from '../ingest/index.ts';

export interface CollectorRoutesContext {
  ingestor: StreamIngestor;
  parsers: BatchParsers;
  token: string;
  maxBatchBytes: number;
  onThrottled?: (stream: StreamSpec['name']) => void;
  onParsed?: (stream: StreamSpec['name'], seconds: number) => void;
}

/**
 * The collector: `POST /v1/events` and `POST /v1/orders` take a JSON array or NDJSON,
 * optionally gzip-encoded, with `Authorization: Bearer <collector.token>`. The answer
 * comes after the accepted records are on disk: `{accepted, rejected: [{index, reason,
 * detail}]}`; rejected records are quarantined, not dropped. A full buffer answers 429
 * with Retry-After instead of growing without bound.
 */
export async function registerCollectorRoutes(app: FastifyInstance, ctx: CollectorRoutesContext): Promise<void> {
  const expected = Buffer.from(`Bearer ${ctx.token}`);
  await app.register(async (scope) => {
    // Bodies are read as bytes here: they may be gzip, and NDJSON is not JSON.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.maxBatchBytes }, (_req, body, done) =>
      done(null, body),
    );
    for (const spec of Object.values(STREAMS)) {
      scope.post(`/v1/${spec.name}`, async (req, reply) => {
        const auth = Buffer.from(req.headers.authorization ?? '');
        if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
          return reply
            .status(401)
            .header('www-authenticate', 'Bearer')
            .send({
              error: {
                code: 'unauthorized',
                kind: 'terminal',
                message: 'a valid bearer token is required',
                hint: 'send Authorization: Bearer <collector.token>',
              },
            });
        }
        if (ctx.ingestor.full) {
          ctx.onThrottled?.(spec.name);
          throw Object.assign(
            new TransientError('buffer_full', 'the collector buffer is full; retry shortly', {
              subject: spec.name,
              hint: 'honour Retry-After',
            }),
            { retryAfter: 1 },
          );
        }
        const started = performance.now();
        const batch = await ctx.parsers.parse(
          spec.name,
          (req.body as Buffer | undefined) ?? new Uint8Array(0),
          /gzip/i.test(String(req.headers['content-encoding'] ?? '')),
        );
        ctx.onParsed?.(spec.name, (performance.now() - started) / 1000);
        return reply.status(200).send(await ctx.ingestor.acceptPrepared(spec.name, batch, started));
      });
    }
  });
}
