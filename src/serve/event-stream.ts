import type { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type { Orchestrator, OrchestratorEvents } from '../home/index.ts';

/**
 * `GET /api/events`: server-sent events for live views: `run` (a run changed state),
 * `task` (a task instance changed) and `progress` (rows, files, tables of the stage
 * running now) and `live` (a micro-batch laid new stream events over the warehouse). A
 * comment line every 15 s keeps proxies from closing an idle stream.
 */
export function registerEventStream(app: FastifyInstance, orchestrator: Orchestrator, live: EventEmitter): void {
  app.get('/api/events', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': shoplake events\n\n');
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const onRun = (run: OrchestratorEvents['run'][0]) => send('run', run);
    const onTask = (task: OrchestratorEvents['task'][0]) => send('task', task);
    const onProgress = (p: OrchestratorEvents['progress'][0]) => send('progress', p);
    const onLive = (l: unknown) => send('live', l);
    live.on('live', onLive);
    orchestrator.on('run', onRun);
    orchestrator.on('task', onTask);
    orchestrator.on('progress', onProgress);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      orchestrator.off('run', onRun);
      orchestrator.off('task', onTask);
      orchestrator.off('progress', onProgress);
      live.off('live', onLive);
    });
  });
}
