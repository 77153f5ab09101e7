/**
 * The engine process behind ChildDuckSession: one in-memory DuckDB, a DuckSession per
 * connection the parent opened, requests answered over the IPC channel.
 */
import { errorToJson } from '../errors/index.ts';
import type { EngineReply, EngineRequest } from './child-duck-session.ts';
import { DuckSession } from './duck-session.ts';
import type { Row } from './sql-session.ts';

const sessions = new Map<number, DuckSession>();
let nextConn = 1;
let closed = false;

// The parent gone (killed, crashed) closes the channel: a build nobody waits for stops.
// Not by process.exit: its static destructors wait for DuckDB's running statement to end
// (a build's next hour, say). The database is in memory; what it spilled, the next run clears.
process.on('disconnect', () => {
  if (!closed) process.kill(process.pid, 'SIGKILL');
});
process.on('message', (req: EngineRequest) => void handle(req));

async function handle(req: EngineRequest): Promise<void> {
  if (req.op === 'interrupt') {
    sessions.get(req.conn)?.interrupt();
    return;
  }
  let reply: EngineReply;
  try {
    reply = { id: req.id, ok: true, ...(await answer(req)) };
  } catch (err) {
    reply = { id: req.id, ok: false, error: errorToJson(err) };
  }
  closed ||= req.op === 'close' && req.conn === 0;
  process.send!(reply, () => {
    if (closed) process.disconnect();
  });
}

async function answer(req: Exclude<EngineRequest, { op: 'interrupt' }>): Promise<{ rows?: Row[]; conn?: number }> {
  if (req.op === 'open') {
    sessions.set(0, await DuckSession.open(':memory:', req.options));
    return {};
  }
  const session = sessions.get(req.conn);
  if (!session) throw new Error(`connection ${req.conn} is not open in the engine process`);
  switch (req.op) {
    case 'run':
      await session.run(req.sql, req.params);
      return {};
    case 'all':
      return { rows: await session.all(req.sql, req.params) };
    case 'fork': {
      const conn = nextConn++;
      sessions.set(conn, await session.fork());
      return { conn };
    }
    case 'close':
      if (req.conn === 0) {
        for (const [conn, s] of sessions) if (conn !== 0) await s.close();
      }
      await session.close();
      sessions.delete(req.conn);
      return {};
  }
}
