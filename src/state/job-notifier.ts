import { createHash } from 'node:crypto';
import pg from 'pg';

/** What a notification says happened to a queue's jobs. */
export type JobEvent = 'created' | 'settled';

/**
 * PostgreSQL LISTEN/NOTIFY beside the job queues, so that a worker takes a job as soon as
 * it is submitted and the run sees it settled as soon as a worker finishes it. pg-boss
 * finds both by polling (an idle worker every half second, the run every 200 ms), so a
 * task waited out two polls between submit and settled, which small runs of short tasks
 * feel. The polls stay: a notification only cuts one short, so one lost with its
 * connection costs nothing but that time.
 */
export class JobNotifier {
  private readonly waiters = new Set<(queue: string, event: JobEvent, id: string | undefined) => void>();
  /** The listening connection; undefined while it is being made again. */
  private client: pg.Client | undefined;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    private readonly channel: string,
  ) {}

  /**
   * Listens on the channel of the queues kept in `schema`; undefined when it cannot connect
   * (the polls do without). A connection lost later (a server restart) is made again,
   * after 1 s, doubling to 30 s.
   */
  static async open(url: string, schema: string): Promise<JobNotifier | undefined> {
    // A channel is an identifier: PostgreSQL cuts LISTEN's to 63 bytes and refuses a longer pg_notify one.
    const channel =
      Buffer.byteLength(`${schema}_jobs`) <= 63
        ? `${schema}_jobs`
        : `jobs_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
    const notifier = new JobNotifier(url, channel);
    return (await notifier.connect()) ? notifier : undefined;
  }

  private async connect(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
    } catch {
      await client.end().catch(() => undefined);
      return false;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return false;
    }
    client.on('notification', (msg) => {
      const note = parsePayload(msg.payload ?? '');
      if (!note) return;
      for (const waiter of this.waiters) waiter(note.queue, note.event, note.id);
    });
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
      this.reconnect(1_000);
    });
    this.client = client;
    return true;
  }

  private reconnect(delay: number): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect().then((ok) => {
        if (!ok) this.reconnect(Math.min(30_000, delay * 2));
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  /**
   * Tells every listener that jobs of `queue` were created, or that job `id` settled
   * (nobody, while the connection is being made again).
   */
  async notify(queue: string, event: JobEvent, id?: string): Promise<void> {
    await this.client
      ?.query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify({ queue, event, id })])
      .catch(() => undefined);
  }

  /** Calls `fn` on every notification until the returned function is called. */
  subscribe(fn: (queue: string, event: JobEvent, id: string | undefined) => void): () => void {
    this.waiters.add(fn);
    return () => this.waiters.delete(fn);
  }

  /**
   * Watches for `event` on `queue`: each `wait(ms)` resolves with the job ids the events
   * since the last wait named (at once if there were any), at the next event, or with
   * undefined after `ms`. `stop` ends the watch.
   */
  watch(queue: string, event: JobEvent): { wait: (ms: number) => Promise<string[] | undefined>; stop: () => void } {
    let pending: string[] | undefined;
    let wake: (() => void) | undefined;
    const stop = this.subscribe((q, e, id) => {
      if (q !== queue || e !== event) return;
      (pending ??= []).push(...(id ? [id] : []));
      wake?.();
    });
    const wait = async (ms: number): Promise<string[] | undefined> => {
      if (!pending) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, ms);
        });
        clearTimeout(timer);
        wake = undefined;
      }
      const ids = pending;
      pending = undefined;
      return ids;
    };
    return { wait, stop: () => void stop() };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.waiters.clear();
    await this.client?.end().catch(() => undefined);
  }
}

function parsePayload(payload: string): { queue: string; event: JobEvent; id?: string } | undefined {
  try {
    const note = JSON.parse(payload) as { queue?: unknown; event?: unknown; id?: unknown };
    if (typeof note.queue !== 'string' || (note.event !== 'created' && note.event !== 'settled')) return undefined;
    return { queue: note.queue, event: note.event, ...(typeof note.id === 'string' ? { id: note.id } : {}) };
  } catch {
    return undefined;
  }
}
