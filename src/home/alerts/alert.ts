import type { DagRunRecord, TaskInstanceRecord } from '../../dag/index.ts';

export type AlertEvent = 'failure' | 'retry_exhausted' | 'sla_missed' | 'recovery';

/** One alert, whatever sink carries it. */
export interface Alert {
  event: AlertEvent;
  dag: string;
  runId: string;
  logicalDate: string;
  /** One line: what happened. */
  title: string;
  /** The details a person acts on: error, task, attempts, what to do next. */
  lines: string[];
  at: string;
  link?: string | undefined;
}

const ICON: Record<AlertEvent, string> = {
  failure: ':red_circle:',
  retry_exhausted: ':warning:',
  sla_missed: ':hourglass:',
  recovery: ':large_green_circle:',
};

export function runFailedAlert(run: DagRunRecord, baseUrl?: string): Alert {
  const e = run.error;
  return base(
    'failure',
    run,
    `shoplake: ${run.dag} run for ${run.logicalDate} FAILED`,
    [
      e ? `error [${e.code}]${e.subject ? ` in ${e.subject}` : ''}: ${e.message}` : 'no error recorded',
      `see \`shoplake runs show ${run.runId}\``,
    ],
    baseUrl,
  );
}

export function retryExhaustedAlert(run: DagRunRecord, task: TaskInstanceRecord, baseUrl?: string): Alert {
  const e = task.error;
  return base(
    'retry_exhausted',
    run,
    `shoplake: task ${task.task} of ${run.dag} gave up after ${task.attempt} attempt${task.attempt === 1 ? '' : 's'}`,
    [e ? `last error [${e.code}]: ${e.message}` : 'no error recorded', ...(e?.hint ? [`hint: ${e.hint}`] : [])],
    baseUrl,
  );
}

export function slaMissedAlert(run: DagRunRecord, slaMs: number, baseUrl?: string): Alert {
  return base(
    'sla_missed',
    run,
    `shoplake: ${run.dag} run for ${run.logicalDate} missed its SLA`,
    [`not finished ${Math.round(slaMs / 60_000)} min after it was queued (${run.queuedAt})`],
    baseUrl,
  );
}

export function recoveryAlert(run: DagRunRecord, previous: DagRunRecord, baseUrl?: string): Alert {
  return base(
    'recovery',
    run,
    `shoplake: ${run.dag} recovered: run for ${run.logicalDate} succeeded`,
    [
      `the previous run ${previous.runId} (${previous.logicalDate}) had ` +
        `failed${previous.error ? `: [${previous.error.code}] ${previous.error.message}` : ''}`,
    ],
    baseUrl,
  );
}

/** Slack's incoming-webhook payload: `text` for notifications, blocks for the message. */
export function slackPayload(a: Alert): Record<string, unknown> {
  const body = [...a.lines, ...(a.link ? [`<${a.link}|open the run>`] : [])].join('\n');
  return {
    text: `${ICON[a.event]} ${a.title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${ICON[a.event]} *${a.title}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: body } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `run ${a.runId} · ${a.at}` }] },
    ],
    shoplake: { event: a.event, dag: a.dag, runId: a.runId, logicalDate: a.logicalDate, at: a.at },
  };
}

function base(event: AlertEvent, run: DagRunRecord, title: string, lines: string[], baseUrl?: string): Alert {
  return {
    event,
    dag: run.dag,
    runId: run.runId,
    logicalDate: run.logicalDate,
    title,
    lines,
    at: new Date().toISOString(),
    ...(baseUrl ? { link: `${baseUrl.replace(/\/$/, '')}/runs/${run.runId}` } : {}),
  };
}
