import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from './until.ts';

const BIN = fileURLToPath(new URL('../../bin/shoplake.cjs', import.meta.url));

export interface WorkerProcess {
  proc: ChildProcess;
  /** What it printed so far, stdout and stderr. */
  out(): string;
  /** Resolves once it waits for tasks. */
  ready(): Promise<void>;
  /** SIGTERM, then the exit (nothing when it is gone already). */
  stop(): Promise<void>;
}

/** A `shoplake worker` process taking tasks from the queue beside `stateUrl`. */
export function startWorker(stateUrl: string): WorkerProcess {
  const proc = spawn(process.execPath, [BIN, 'worker', '--state', stateUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return {
    proc,
    out: () => out,
    ready: async () => {
      await until('a worker to start', async () => (out.includes('waiting for tasks') ? true : undefined), 30_000);
    },
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
