import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { errorMessage, ShoplakeError, TerminalError } from '../errors/index.ts';

/** The HTTP status of an error: by its stable code where one says more, else by its kind. */
export function httpStatusOf(err: ShoplakeError): number {
  if (err.code.endsWith('_not_found')) return 404;
  if (err.code === 'run_exists' || err.code === 'dead_letter_resolved') return 409;
  if (err.code === 'upload_too_large') return 413;
  if (err.code === 'buffer_full') return 429;
  return err.kind === 'transient' ? 503 : 400;
}

/**
 * Every error leaves the API as `{ "error": { code, kind, message, subject, hint } }`,
 * with the same codes the CLI prints, so a client matches on `code`, never on text.
 */
export function sendError(err: unknown, _req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof ShoplakeError) {
    const retryAfter = (err as { retryAfter?: number }).retryAfter;
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return reply.status(httpStatusOf(err)).send({ error: err.toJSON() });
  }
  const fe = err as FastifyError;
  if (fe.statusCode && fe.statusCode < 500) {
    return reply.status(fe.statusCode).send({
      error: {
        code: fe.statusCode === 404 ? 'route_not_found' : 'bad_request',
        kind: 'terminal',
        message: fe.message,
      },
    });
  }
  return reply.status(500).send({ error: { code: 'internal', kind: 'internal', message: errorMessage(err) } });
}

/** Validates a request part with its zod schema; a mismatch is a 400 naming the fields. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, part: string): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || part}: ${i.message}`).join('; ');
  throw new TerminalError('bad_request', `invalid ${part}: ${issues}`, {
    subject: part,
    hint: 'see the API section of the README',
  });
}
