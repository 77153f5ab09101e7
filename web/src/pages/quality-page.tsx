import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { formatCount } from '../format';

interface Summary {
  files: Array<{ path: string; entity: string | null; reason: string; detail: string; ingested_at: string }>;
  rows: Array<{ reason: string; entity: string; rows: number }>;
}
interface Rejected {
  entity: string;
  reason: string;
  detail: string;
  file: string;
  line: number;
  raw: string;
}
interface Letter {
  id: string;
  subject: string;
  status: string;
  attempts: number;
  errorCode: string;
  error: string;
  lastFailedAt: string;
}
interface Run {
  runId: string;
  dag: string;
  state: string;
}
interface TestRow {
  model: string;
  test: string;
  severity: string;
  status: string;
  failures: number;
}

/**
 * Quarantine browser (by reason and file, with raw rows), the
 * last run's data tests, and the dead-letter queue with replay.
 */
export function QualityPage() {
  const [summary, setSummary] = useState<Summary | null>(null);
  const [pick, setPick] = useState<{ reason?: string; entity?: string; file?: string }>({});
  const [rows, setRows] = useState<Rejected[]>([]);
  const [tests, setTests] = useState<TestRow[]>([]);
  const [letters, setLetters] = useState<Letter[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const [testRun, setTestRun] = useState<string | undefined>(undefined);

  const load = useCallback(() => {
    void api<Summary>('/api/quarantine/summary').then(setSummary);
    void api<Letter[]>('/api/dlq').then((l) => setLetters(l.filter((x) => x.status !== 'resolved')));
    void api<Run[]>('/api/runs?dag=daily&limit=30').then((r) => {
      setRuns(r);
      setTestRun((current) => current ?? r.find((x) => x.state === 'success')?.runId ?? r[0]?.runId);
    });
  }, []);
  useEffect(() => {
    if (testRun) void api<TestRow[]>(`/api/runs/${testRun}/tests`).then(setTests);
  }, [testRun]);
  useEffect(load, [load]);
  useEffect(() => {
    const q = new URLSearchParams({
      limit: '200',
      ...(pick.reason ? { reason: pick.reason } : {}),
      ...(pick.entity ? { entity: pick.entity } : {}),
      ...(pick.file ? { file: pick.file } : {}),
    });
    void api<Rejected[]>(`/api/quarantine/rows?${q}`).then(setRows);
  }, [pick]);

  const replay = (body: unknown) =>
    api<{ ids: string[] }>('/api/dlq/replay', { method: 'POST', body })
      .then(
        (r) => setMessage(r.ids.length ? `replaying ${r.ids.join(', ')}` : 'nothing to replay'),
        (e: ApiError) => setMessage(`${e.code}: ${e.message}`),
      )
      .finally(load);
  const failing = tests.filter((t) => t.status !== 'pass');
  return (
    <div className="quality-page">
      <section className="card" aria-label="rejected rows by reason">
        <h2>Rejected rows by reason</h2>
        <table>
          <thead>
            <tr>
              <th>reason</th>
              <th>entity</th>
              <th>rows</th>
            </tr>
          </thead>
          <tbody>
            {summary?.rows.map((r) => (
              <tr
                key={`${r.reason}/${r.entity}`}
                className={pick.reason === r.reason && pick.entity === r.entity ? 'selected' : ''}
                data-reason={r.reason}
                onClick={() => setPick({ reason: r.reason, entity: r.entity })}
              >
                <td>
                  <a href="#/quality" onClick={(e) => e.preventDefault()}>
                    {r.reason}
                  </a>
                </td>
                <td>{r.entity}</td>
                <td className="num">{formatCount(r.rows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card scroll" aria-label="rejected rows">
        <h2>
          Rows {pick.reason ? `(${pick.reason}, ${pick.entity})` : pick.file ? `(${pick.file})` : '(all)'}{' '}
          <button type="button" onClick={() => setPick({})}>
            all
          </button>
        </h2>
        <table>
          <thead>
            <tr>
              <th>file</th>
              <th>line</th>
              <th>reason</th>
              <th>detail</th>
              <th>raw</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-row-reason={r.reason}>
                <td>
                  <a
                    href="#/quality"
                    onClick={(e) => {
                      e.preventDefault();
                      setPick({ file: r.file });
                    }}
                  >
                    {r.file}
                  </a>
                </td>
                <td className="num">{r.line}</td>
                <td>{r.reason}</td>
                <td>{r.detail}</td>
                <td>
                  <code>{r.raw}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-label="quarantined files">
        <h2>Quarantined files</h2>
        <table>
          <thead>
            <tr>
              <th>file</th>
              <th>reason</th>
              <th>detail</th>
            </tr>
          </thead>
          <tbody>
            {summary?.files.map((f) => (
              <tr key={f.path}>
                <td>{f.path}</td>
                <td>{f.reason}</td>
                <td>{f.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-label="data tests">
        <h2>
          Data tests: {tests.length - failing.length} passed, {failing.length} not passing
        </h2>
        <label>
          Run{' '}
          <select name="test-run" value={testRun ?? ''} onChange={(e) => setTestRun(e.target.value)}>
            {runs.map((r) => (
              <option key={r.runId} value={r.runId}>
                {r.runId} ({r.state})
              </option>
            ))}
          </select>
        </label>
        <table>
          <thead>
            <tr>
              <th>model</th>
              <th>test</th>
              <th>severity</th>
              <th>status</th>
              <th>failing rows</th>
            </tr>
          </thead>
          <tbody>
            {failing.map((t) => (
              <tr key={`${t.model}/${t.test}`}>
                <td>{t.model}</td>
                <td>{t.test}</td>
                <td>{t.severity}</td>
                <td>{t.status}</td>
                <td className="num">{formatCount(Number(t.failures))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-label="dead-letter queue">
        <h2>
          Dead-letter queue ({letters.length}){' '}
          <button type="button" disabled={letters.length === 0} onClick={() => void replay({ all: true })}>
            Replay all
          </button>
        </h2>
        {message && (
          <p className="message" role="status">
            {message}
          </p>
        )}
        <table>
          <thead>
            <tr>
              <th>id</th>
              <th>file</th>
              <th>status</th>
              <th>attempts</th>
              <th>error</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.id}>
                <td>{l.id}</td>
                <td>{l.subject}</td>
                <td>{l.status}</td>
                <td className="num">{l.attempts}</td>
                <td>
                  [{l.errorCode}] {l.error}
                </td>
                <td>
                  <button type="button" onClick={() => void replay({ ids: [l.id] })}>
                    Replay
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
