import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically } from '../lake/index.ts';

/** What a running `shoplake serve` leaves in its home so that CLI commands can find it. */
export interface ServerInfo {
  url: string;
  pid: number;
  startedAt: string;
}

export function serverInfoPath(home: string): string {
  return join(home, 'server.json');
}

export async function writeServerInfo(home: string, info: ServerInfo): Promise<void> {
  await writeAtomically(serverInfoPath(home), (tmp) => writeFile(tmp, JSON.stringify(info, null, 2)));
}

export async function removeServerInfo(home: string): Promise<void> {
  await rm(serverInfoPath(home), { force: true });
}

/**
 * The server that owns this home, if one is up: its info file names a live process that
 * answers /healthz. A stale file (a killed server) counts as none.
 */
export async function findServer(home: string, timeoutMs = 1500): Promise<ServerInfo | undefined> {
  let info: ServerInfo;
  try {
    info = JSON.parse(await readFile(serverInfoPath(home), 'utf8')) as ServerInfo;
  } catch {
    return undefined;
  }
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  try {
    const res = await fetch(`${info.url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? info : undefined;
  } catch {
    return undefined;
  }
}
