import { readdir, stat } from 'node:fs/promises';
import { TerminalError } from '../errors/index.ts';
import { join, relative, sep } from 'node:path';
import type { LandingFile } from '../ledger/index.ts';

/**
 * The files of a landing folder, sorted by path, symbolic links followed. Hidden (`.x`) and metadata (`_x`) names
 * are skipped at any depth, as are files still being written by the `.tmp`/`.part`
 * convention.
 */
export async function discoverLanding(root: string): Promise<LandingFile[]> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new TerminalError('landing_missing', `landing folder ${root} does not exist or is not a folder`, {
      subject: root,
      hint: 'pass --landing <dir>, set `landing` in shoplake.config, or make demo data with `shoplake generate`',
    });
  }
  const out: LandingFile[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('_') || /\.(tmp|part|crdownload)$/i.test(e.name)) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile() || e.isSymbolicLink()) {
        // A link is followed to its file (links to folders are not walked: no cycles). A
        // link whose target is missing (an unmounted share) is listed all the same, so its
        // failure is retried and dead-lettered instead of the file silently vanishing.
        const s = await stat(abs).catch(() => undefined);
        if (s && !s.isFile()) continue;
        out.push({ rel: relative(root, abs).split(sep).join('/'), abs, size: s?.size ?? -1, mtimeMs: s?.mtimeMs ?? 0 });
      }
    }
  }
  await walk(root);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
