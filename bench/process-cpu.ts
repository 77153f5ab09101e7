import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Fields of /proc/<pid>/stat after the command name (stat(5) numbers
 * them from 3), or undefined off Linux or once the process is gone.
 */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system, every thread) a process has used, from /proc (Linux; NaN
 * elsewhere); with `reaped`, also what its children that it has waited for used.
 */
export function cpuSeconds(pid: number, reaped = false): number {
  const f = statFields(pid);
  if (!f) return NaN;
  // utime, stime, cutime and cstime are fields 14–17 of stat(5),
  // 12–15 after the command name (clock ticks, 100 a second).
  return (Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0)) / 100;
}

/**
 * CPU seconds a local PostgreSQL server has used: its processes alive now, and the
 * connections that have ended (the postmaster waits for them, so they count in its
 * children's time). NaN when no PostgreSQL runs on this machine (a remote server).
 */
export function postgresServerCpu(): number {
  if (!existsSync('/proc')) return NaN;
  const servers = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
  if (servers.length === 0) return NaN;
  // The postmaster is the one whose parent is not a postgres process.
  const postmasters = servers.filter((pid) => !servers.includes(Number(statFields(pid)?.[1])));
  return servers.reduce((sum, pid) => sum + (cpuSeconds(pid, postmasters.includes(pid)) || 0), 0);
}
