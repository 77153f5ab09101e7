import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ENTITIES } from '../contract/index.ts';
import { TerminalError } from '../errors/index.ts';
import type { Orchestrator } from '../home/index.ts';
import { parse } from './api-error.ts';

/** File names an upload may have: the formats the landing zone reads, optionally gzipped. */
const ACCEPTED = /\.(csv|tsv|txt|json|ndjson|jsonl)(\.gz)?$/i;

const UploadQuery = z
  .object({
    entity: z.enum(Object.keys(ENTITIES) as [string, ...string[]]),
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(ACCEPTED, 'a .csv, .tsv, .txt, .json, .ndjson or .jsonl file, optionally .gz'),
    /** Queue a run for the file at once (the default), or leave it to the watcher or the schedule. */
    run: z.enum(['true', 'false']).default('true'),
  })
  .strict();

/**
 * `POST /api/uploads?entity=&name=`: the request body is the file, streamed into the
 * landing zone under a hidden `.tmp` name (which the pipeline never reads), refused past
 * the size limit, then renamed into `<landing>/<entity>/` and a run queued. A file is
 * never half there: it appears whole or not at all.
 */
export function registerUploadRoutes(
  app: FastifyInstance,
  ctx: { orchestrator: Orchestrator; landing: string; maxBytes: number },
): void {
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.post('/api/uploads', { bodyLimit: ctx.maxBytes }, async (req, reply) => {
    const q = parse(UploadQuery, req.query, 'query');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > ctx.maxBytes) throw tooLarge(ctx.maxBytes);
    if (!req.body || typeof (req.body as NodeJS.ReadableStream).pipe !== 'function') {
      throw new TerminalError(
        'bad_request',
        'send the file as the request body with content-type application/octet-stream',
        { subject: 'body' },
      );
    }
    const dir = join(ctx.landing, q.entity);
    await mkdir(dir, { recursive: true });
    const safe = q.name.replace(/[^\w.-]+/g, '_');
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const target = join(dir, `upload-${stamp}-${safe}`);
    const tmp = join(dir, `.${randomBytes(6).toString('hex')}.upload.tmp`);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, next) {
        bytes += chunk.length;
        next(bytes > ctx.maxBytes ? tooLarge(ctx.maxBytes) : null, chunk);
      },
    });
    try {
      await pipeline(req.body as NodeJS.ReadableStream, limit, createWriteStream(tmp));
      if (bytes === 0)
        throw new TerminalError('upload_empty', 'the uploaded file is empty', {
          subject: q.name,
          hint: 'pick a file with data',
        });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const run =
      q.run === 'true'
        ? await ctx.orchestrator.trigger('daily', {
            runType: 'landing',
            conf: { upload: `${q.entity}/${target.split('/').pop()}` },
          })
        : undefined;
    return reply
      .status(201)
      .send({ entity: q.entity, file: `${q.entity}/${target.split('/').pop()}`, bytes, run: run ?? null });
  });
}

function tooLarge(max: number): TerminalError {
  return new TerminalError(
    'upload_too_large',
    `the file is larger than the ${Math.round(max / 2 ** 20)} MiB upload limit`,
    { subject: 'body', hint: 'split it, or drop it into the landing folder directly' },
  );
}
