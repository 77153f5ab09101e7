import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { pathExists } from './path-exists.ts';
import { randomBytes } from 'node:crypto';

/**
 * Writes aside, then renames into place: a reader (or a crash) sees the old file or the
 * new one, never half of one. `write` gets the temporary path to fill; what it returns
 * (a row count, say) is returned once the file is in place.
 */
export async function writeAtomically<T>(target: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const result = await write(tmp);
    await rename(tmp, target);
    return result;
  } catch (err) {
    await rm(tmp, { force: true, recursive: true });
    throw err;
  }
}

/**
 * Replaces a whole folder: the new one is built at `<dir>.next`, then swapped in by two
 * renames. `recoverSwap` finishes a swap a crash interrupted.
 */
export async function replaceDirectory(dir: string, build: (nextDir: string) => Promise<void>): Promise<void> {
  await build(await openNextDirectory(dir));
  await swapInNext(dir);
}

/** An empty `<dir>.next` for a replacement of `dir` to be built in; returns its path. */
export async function openNextDirectory(dir: string): Promise<string> {
  const next = `${dir}.next`;
  await rm(next, { recursive: true, force: true });
  await mkdir(next, { recursive: true });
  return next;
}

/** Puts a complete `<dir>.next` in the place of `dir`, by two renames. */
export async function swapInNext(dir: string): Promise<void> {
  const old = `${dir}.old`;
  await rm(old, { recursive: true, force: true });
  await rename(dir, old).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(`${dir}.next`, dir);
  await rm(old, { recursive: true, force: true });
}

export async function recoverSwap(dir: string): Promise<void> {
  if (!(await pathExists(dir)) && (await pathExists(`${dir}.old`))) {
    // Crashed between the two renames: the new folder was complete, the old one kept.
    if (await pathExists(`${dir}.next`)) await rename(`${dir}.next`, dir);
    else await rename(`${dir}.old`, dir);
  }
  await rm(`${dir}.next`, { recursive: true, force: true });
  await rm(`${dir}.old`, { recursive: true, force: true });
}
