import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { errorFromJson, TerminalError, TransientError, type ErrorJson } from '../errors/index.ts';
import type { DuckOptions } from './duck-session.ts';
import { SqlSession, type Params, type Row } from './sql-session.ts';

/** What the parent asks of the engine process, one connection (`conn`) at a time. */
export type EngineRequest =
  | { id: number; op: 'open'; options: DuckOptions }
  | { id: number; op: 'run' | 'all'; conn: number; sql: string; params?: Params | undefined }
  | { id: number; op: 'fork' | 'close'; conn: number }
  | { id: number; op: 'interrupt'; conn: number };

export type EngineReply =
  { id: number; ok: true; rows?: Row[]; conn?: number } | { id: number; ok: false; error: ErrorJson };

export interface EngineProcessOptions {
  /** How much lower than this process's the engine's CPU priority is (nice, 0–19 on Unix). */
  nice: number;
}

const CHILD_MAIN = fileURLToPath(new URL('./duck-child-main.ts', import.meta.url));

/**
 * A DuckDB database in a child process, used through the same session API as one in this
 * process. The child runs at a lower CPU priority (`nice`): its queries take the cores
 * only when this process leaves them idle, so a serving process's event loop (the
 * collector's acknowledgements, the API) keeps its latency while a build runs. Thread
 * priorities are per thread on Linux and DuckDB's worker threads start from whichever
 * thread created them, so an in-process engine cannot be lowered reliably; a process can.
 */
export class ChildDuckSession extends SqlSession {
  private constructor(
    private readonly engine: EngineProcess,
    private readonly conn: number,
  ) {
    super(':memory: (engine process)');
  }

  /** Starts the engine process with an in-memory database; the session is its first connection. */
  static async open(options: DuckOptions, process_: EngineProcessOptions): Promise<ChildDuckSession> {
    const engine = new EngineProcess(process_);
    try {
      await engine.request({ op: 'open', options });
    } catch (err) {
      // A database that would not open (a bad memory limit, say) leaves no process behind.
      await engine.stop();
      throw err;
    }
    return new ChildDuckSession(engine, 0);
  }

  /** The engine process's id (for tests and logs). */
  get pid(): number | undefined {
    return this.engine.pid;
  }

  async fork(): Promise<ChildDuckSession> {
    const reply = await this.engine.request({ op: 'fork', conn: this.conn });
    return new ChildDuckSession(this.engine, reply.conn!);
  }

  interrupt(): void {
    this.engine.send({ id: -1, op: 'interrupt', conn: this.conn });
  }

  protected async execute(sql: string, params: Params | undefined): Promise<void> {
    await this.engine.request({ op: 'run', conn: this.conn, sql, params: portable(params) });
  }

  protected async query(sql: string, params: Params | undefined): Promise<Row[]> {
    return (await this.engine.request({ op: 'all', conn: this.conn, sql, params: portable(params) })).rows ?? [];
  }

  /** Closing the first connection closes the database and ends the process. */
  protected async disconnect(): Promise<void> {
    if (this.conn === 0) await this.engine.stop();
    else await this.engine.request({ op: 'close', conn: this.conn }).catch(() => undefined);
  }
}

type Request = EngineRequest extends infer R ? (R extends EngineRequest ? Omit<R, 'id'> : never) : never;

/** The child process and the requests waiting for its replies. */
class EngineProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<
    number,
    { resolve: (r: Extract<EngineReply, { ok: true }>) => void; reject: (err: Error) => void }
  >();
  private nextId = 1;
  private ended: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(opts: EngineProcessOptions) {
    const node = [process.execPath, '--import', import.meta.resolve('tsx'), CHILD_MAIN];
    // `nice` sets the priority before node starts, so every thread of the child has it;
    // Windows has no `nice`, and its process priority covers every thread anyway.
    const unix = process.platform !== 'win32' && opts.nice > 0;
    this.child = spawn(unix ? 'nice' : node[0]!, unix ? ['-n', String(opts.nice), ...node] : node.slice(1), {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    if (!unix && opts.nice > 0 && this.child.pid) setPriority(this.child.pid, opts.nice);
    this.child.on('message', (reply: EngineReply) => this.settle(reply));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.end(
          new TransientError(
            'engine_process_exited',
            `the build's DuckDB process (pid ${this.child.pid}) ` +
              `exited ${signal ? `on ${signal}` : `with code ${code}`}`,
            {
              subject: 'engine process',
              hint:
                'it may have run out of memory (engine.memoryLimit) or been killed; the ' +
                "run's next attempt starts a new one, or set engine.buildProcess: inline",
            },
          ),
        );
        resolve();
      });
      // A process that could not start never exits: nothing to wait for then.
      this.child.on('error', (err) => {
        this.end(
          new TransientError('engine_process_failed', `could not start the build's DuckDB process: ${err.message}`, {
            subject: 'engine process',
            hint: 'set engine.buildProcess: inline to build in this process',
          }),
        );
        if (this.child.pid === undefined) resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  request(req: Request): Promise<Extract<EngineReply, { ok: true }>> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send({ ...req, id } as EngineRequest);
    });
  }

  send(req: EngineRequest): void {
    // A failed send means the process is gone: its exit (or spawn error) fails the requests.
    if (!this.ended && this.child.connected) this.child.send(req, () => undefined);
  }

  /** Closes the database and waits for the process to end; kills it if it does not. */
  async stop(): Promise<void> {
    if (!this.ended) await this.request({ op: 'close', conn: 0 }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  private settle(reply: EngineReply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply);
    else w.reject(errorFromJson(reply.error));
  }

  private end(err: Error): void {
    this.ended ??= err;
    for (const w of this.waiting.values()) w.reject(this.ended);
    this.waiting.clear();
  }
}

/** Parameters cross to the child by structured clone: DuckDB value objects would arrive as plain objects. */
function portable(params: Params | undefined): Params | undefined {
  for (const v of params === undefined ? [] : Object.values(params)) {
    if (v !== null && typeof v === 'object')
      throw new TerminalError('param_not_portable', 'a DuckDB value object cannot be sent to the engine process', {
        hint: 'bind it as a string, number, bigint or boolean and cast it in SQL',
      });
  }
  return params;
}
