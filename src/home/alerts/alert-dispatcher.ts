import type { AlertsConfig } from './alerts-config.ts';
import type { Orchestrator } from '../orchestrator.ts';
import { retryDelay, retryPolicy } from '../../dag/index.ts';
import { recoveryAlert, retryExhaustedAlert, runFailedAlert, slaMissedAlert, type Alert } from './alert.ts';
import { EmailSink } from './email-sink.ts';
import { WebhookSink } from './webhook-sink.ts';

interface Sink {
  name: string;
  send(alert: Alert): Promise<void>;
  close?(): void;
}

const DELIVERY = retryPolicy({ maxAttempts: 3, initialDelayMs: 1_000 });

/**
 * Turns orchestrator events into alerts (a run failed, a task gave up after its retries,
 * a run missed its SLA, a DAG recovered) and delivers each to every configured sink,
 * retrying a failed delivery; one sink failing never stops another or the pipeline.
 */
export class AlertDispatcher {
  private readonly sinks: Sink[];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly config: AlertsConfig,
    private readonly opts: {
      onError?: (sink: string, err: unknown) => void;
      delayMs?: (attempt: number) => number;
    } = {},
  ) {
    this.sinks = [
      ...config.webhooks.map((w) => new WebhookSink(w.url, w.headers)),
      ...(config.email ? [new EmailSink(config.email)] : []),
    ];
  }

  attach(orchestrator: Orchestrator): void {
    if (this.sinks.length === 0) return;
    const on = new Set(this.config.on);
    const url = this.config.baseUrl;
    orchestrator.on('run', (run, previous) => {
      if (run.state === 'failed' && on.has('failure')) this.dispatch(runFailedAlert(run, url));
      if (run.state === 'success' && previous?.state === 'failed' && on.has('recovery'))
        this.dispatch(recoveryAlert(run, previous, url));
    });
    orchestrator.on('task', (task) => {
      // A terminal error (bad data, a failed test) is not retried, so nothing was exhausted.
      if (task.state !== 'failed' || task.error?.kind === 'terminal' || !on.has('retry_exhausted')) return;
      void orchestrator.store
        .getRun(task.runId)
        .then((run) => run && this.dispatch(retryExhaustedAlert(run, task, url)));
    });
    orchestrator.on('sla_missed', (run, slaMs) => {
      if (on.has('sla_missed')) this.dispatch(slaMissedAlert(run, slaMs, url));
    });
  }

  dispatch(alert: Alert): void {
    for (const sink of this.sinks) {
      const p = this.deliver(sink, alert).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Waits for deliveries in flight (before a process exits). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
    for (const s of this.sinks) s.close?.();
  }

  private async deliver(sink: Sink, alert: Alert): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await sink.send(alert);
      } catch (err) {
        if (attempt >= DELIVERY.maxAttempts) return this.opts.onError?.(sink.name, err);
        await new Promise((r) =>
          setTimeout(r, this.opts.delayMs?.(attempt) ?? retryDelay(DELIVERY, attempt, Math.random())),
        );
      }
    }
  }
}
