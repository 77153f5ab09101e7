import { useCallback, useEffect, useState } from 'react';
import type { EChartsOption } from 'echarts';
import { api, ApiError } from '../api';
import { Chart } from '../components/chart';

interface Run {
  runId: string;
  dag: string;
  logicalDate: string;
  runType: string;
  state: string;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: { code: string; message: string };
}
interface Task {
  task: string;
  group?: string;
  state: string;
  attempt: number;
  durationMs?: number;
  error?: { message: string };
}
interface Dag {
  name: string;
  tasks: Array<{ name: string; dependsOn: string[]; group: string | null }>;
}
interface Detail extends Run {
  tasks: Task[];
  logs: Array<{ at: string; task: string; attempt: number; message: string }>;
}

const COLORS: Record<string, string> = {
  success: '#2e9d5b',
  failed: '#d64545',
  running: '#3b6fd8',
  queued: '#9aa5b1',
  up_for_retry: '#e0a526',
  skipped: '#c4cdd5',
  upstream_failed: '#b07070',
};

/** Run history, one run's DAG as a graph with task states, attempts and logs; live while runs go. */
export function RunsPage() {
  const [runs, setRuns] = useState<Run[]>([]);
  const [dags, setDags] = useState<Dag[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [range, setRange] = useState({ from: '', to: '' });

  const refresh = useCallback(() => {
    void api<Run[]>('/api/runs?limit=50').then(setRuns);
    if (selected) void api<Detail>(`/api/runs/${selected}`).then(setDetail);
  }, [selected]);
  useEffect(() => {
    void api<Dag[]>('/api/dags').then(setDags);
  }, []);
  useEffect(() => {
    refresh();
    // Live: every run or task change re-reads what is shown.
    const events = new EventSource('/api/events');
    let pending: number | undefined;
    const soon = () => {
      clearTimeout(pending);
      pending = window.setTimeout(refresh, 150);
    };
    events.addEventListener('run', soon);
    events.addEventListener('task', soon);
    return () => {
      clearTimeout(pending);
      events.close();
    };
  }, [refresh]);

  const act = (p: Promise<unknown>, ok: string) =>
    p
      .then(
        () => setMessage(ok),
        (e: ApiError) => setMessage(`${e.code}: ${e.message}`),
      )
      .finally(refresh);
  const dag = dags.find((d) => d.name === (detail?.dag ?? 'daily'));
  return (
    <div className="runs">
      <div className="card actions">
        <button
          type="button"
          onClick={() => act(api('/api/dags/daily/runs', { method: 'POST', body: {} }), 'daily run queued')}
        >
          Trigger daily run
        </button>
        <label>
          From <input type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
        </label>
        <label>
          To <input type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
        </label>
        <button
          type="button"
          disabled={!range.from || !range.to}
          onClick={() =>
            act(
              api('/api/dags/daily/backfill', { method: 'POST', body: range }),
              `backfill ${range.from}..${range.to} queued`,
            )
          }
        >
          Backfill
        </button>
        {message && (
          <span className="message" role="status">
            {message}
          </span>
        )}
      </div>
      <div className="split">
        <section className="card" aria-label="runs">
          <table>
            <thead>
              <tr>
                <th>run</th>
                <th>dag</th>
                <th>logical date</th>
                <th>type</th>
                <th>state</th>
                <th>took</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr
                  key={r.runId}
                  className={r.runId === selected ? 'selected' : ''}
                  onClick={() => setSelected(r.runId)}
                  data-run={r.runId}
                >
                  <td>
                    <a
                      href={`#/runs/${r.runId}`}
                      onClick={(e) => {
                        e.preventDefault();
                        setSelected(r.runId);
                      }}
                    >
                      {r.runId}
                    </a>
                  </td>
                  <td>{r.dag}</td>
                  <td>{r.logicalDate}</td>
                  <td>{r.runType}</td>
                  <td>
                    <span className="state" style={{ background: COLORS[r.state] }}>
                      {r.state}
                    </span>
                  </td>
                  <td className="num">
                    {r.startedAt && r.finishedAt
                      ? `${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s`
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {detail && dag && (
          <section className="card" aria-label="run detail">
            <h2>
              {detail.runId}{' '}
              <span className="state" style={{ background: COLORS[detail.state] }}>
                {detail.state}
              </span>
            </h2>
            {detail.error && (
              <p className="error">
                [{detail.error.code}] {detail.error.message}
              </p>
            )}
            <Chart label="run graph" option={graph(dag, detail.tasks)} height={420} />
            <table>
              <thead>
                <tr>
                  <th>task</th>
                  <th>state</th>
                  <th>attempts</th>
                  <th>took</th>
                  <th>error</th>
                </tr>
              </thead>
              <tbody>
                {detail.tasks.map((t) => (
                  <tr key={t.task} data-task={t.task} data-state={t.state}>
                    <td>{t.task}</td>
                    <td>{t.state}</td>
                    <td className="num">{t.attempt}</td>
                    <td className="num">{t.durationMs === undefined ? '' : `${(t.durationMs / 1000).toFixed(2)} s`}</td>
                    <td>{t.error?.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <details>
              <summary>logs ({detail.logs.length})</summary>
              <pre>{detail.logs.map((l) => `${l.at}  ${l.task}#${l.attempt}  ${l.message}`).join('\n')}</pre>
            </details>
          </section>
        )}
      </div>
    </div>
  );
}

/** The DAG laid out by depth (a task sits one column right of its deepest dependency), coloured by state. */
function graph(dag: Dag, tasks: Task[]): EChartsOption {
  const state = new Map(tasks.map((t) => [t.task, t.state]));
  const depth = new Map<string, number>();
  for (const t of dag.tasks) depth.set(t.name, Math.max(0, ...t.dependsOn.map((d) => (depth.get(d) ?? 0) + 1)));
  const rows = new Map<number, number>();
  const nodes = dag.tasks.map((t) => {
    const x = depth.get(t.name)!;
    const y = rows.get(x) ?? 0;
    rows.set(x, y + 1);
    return {
      name: t.name,
      x: x * 160,
      y: y * 50,
      itemStyle: { color: COLORS[state.get(t.name) ?? 'queued'] },
      label: { show: true, position: 'bottom' as const, fontSize: 10 },
    };
  });
  return {
    tooltip: {
      formatter: (p) => {
        const n = (p as { name: string }).name;
        return `${n}: ${state.get(n) ?? 'not run'}`;
      },
    },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: true,
        symbolSize: 16,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 6,
        data: nodes,
        links: dag.tasks.flatMap((t) => t.dependsOn.map((d) => ({ source: d, target: t.name }))),
        lineStyle: { color: '#aab', curveness: 0.1 },
      },
    ],
  };
}
