import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TransientError } from '../errors/index.ts';

/**
 * One owner per home: the process that runs the pipeline holds `<home>/shoplake.lock`
 * (its pid). A lock whose process is gone is taken over.
 */
export interface HomeLock {
  release(): Promise<void>;
}

export async function acquireHomeLock(lockFile: string, purpose: string): Promise<HomeLock> {
  await mkdir(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockFile, 'wx');
      await fh.writeFile(JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
      await fh.close();
      return { release: () => rm(lockFile, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = await readHolder(lockFile);
      if (holder && isAlive(holder.pid)) {
        throw new TransientError(
          'home_locked',
          `another shoplake process (pid ${holder.pid}, ${holder.purpose}) owns this home since ${holder.since}`,
          {
            subject: lockFile,
            hint: 'wait for it to finish, or send your command to the running server',
          },
        );
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new TransientError('home_locked', 'could not take the home lock', { subject: lockFile });
}

export async function readHolder(
  lockFile: string,
): Promise<{ pid: number; purpose: string; since: string } | undefined> {
  try {
    return JSON.parse(await readFile(lockFile, 'utf8')) as { pid: number; purpose: string; since: string };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
