import { access } from 'node:fs/promises';

/** The path exists (and this process may see it); a missing one is no error. */
export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
