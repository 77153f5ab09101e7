import { pathExists } from '../lake/index.ts';

import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The built web app (`npm run build:web`, run by `npm install`): its files under `/`. */
export const WEB_DIST = new URL('../../web/dist/', import.meta.url).pathname;

export async function registerWebApp(app: FastifyInstance): Promise<void> {
  const built = await pathExists(`${WEB_DIST}index.html`);
  if (!built) {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/plain')
        .send('The web app is not built: run `npm run build:web` (npm install does it).\nThe API is under /api.'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', index: ['index.html'], wildcard: true });
}
