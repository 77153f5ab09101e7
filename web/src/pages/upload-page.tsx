import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { formatCount, formatMoney } from '../format';

const ENTITIES = ['orders', 'order_items', 'customers', 'products', 'stores', 'events'];
const ACCEPTED = /\.(csv|tsv|txt|json|ndjson|jsonl)(\.gz)?$/i;
const MAX_BYTES = 200 * 2 ** 20;
const MAX_MIB = MAX_BYTES / 2 ** 20;

interface FileResult {
  path: string;
  status: string;
  reason?: string;
  detail?: string;
  rows?: number;
  rejected?: number;
}
interface RunDetail {
  runId: string;
  state: string;
  summary?: { fileResults: FileResult[]; rows: { bronze: number; bronzeRejected: number } };
}
interface Totals {
  revenue: number;
  orders: number;
}
type Step =
  | { kind: 'idle' }
  | { kind: 'uploading'; pct: number }
  | { kind: 'running'; runId: string }
  | { kind: 'done'; run: RunDetail; file: string; before: Totals | null; after: Totals | null }
  | { kind: 'error'; message: string };

/** Upload a landing file for an entity; see what was ingested or quarantined and how the figures moved. */
export function UploadPage() {
  const [entity, setEntity] = useState('orders');
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = async (file: File) => {
    if (!ACCEPTED.test(file.name))
      return setStep({
        kind: 'error',
        message: `${file.name}: only .csv, .tsv, .txt, .json, .ndjson or .jsonl files (optionally .gz) are accepted`,
      });
    if (file.size > MAX_BYTES)
      return setStep({ kind: 'error', message: `${file.name} is larger than the ${MAX_BYTES / 2 ** 20} MiB limit` });
    if (file.size === 0) return setStep({ kind: 'error', message: `${file.name} is empty` });
    const before = await totals();
    setStep({ kind: 'uploading', pct: 0 });
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/uploads?${new URLSearchParams({ entity, name: file.name })}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) =>
      e.lengthComputable && setStep({ kind: 'uploading', pct: Math.round((e.loaded / e.total) * 100) });
    xhr.onerror = () => setStep({ kind: 'error', message: 'the upload did not reach the server' });
    xhr.onload = async () => {
      const body = JSON.parse(xhr.responseText || '{}') as {
        file?: string;
        run?: { runId: string };
        error?: { code: string; message: string };
      };
      if (xhr.status >= 300 || !body.run)
        return setStep({
          kind: 'error',
          message: body.error ? `[${body.error.code}] ${body.error.message}` : `HTTP ${xhr.status}`,
        });
      setStep({ kind: 'running', runId: body.run.runId });
      for (;;) {
        const run = await api<RunDetail>(`/api/runs/${body.run.runId}`);
        if (run.state !== 'queued' && run.state !== 'running') {
          setStep({ kind: 'done', run, file: body.file!, before, after: await totals() });
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    xhr.send(file);
  };

  return (
    <div className="upload">
      <section className="card">
        <label>
          Entity{' '}
          <select name="entity" value={entity} onChange={(e) => setEntity(e.target.value)}>
            {ENTITIES.map((e) => (
              <option key={e}>{e}</option>
            ))}
          </select>
        </label>
        <div
          className={`dropzone${over ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const f = e.dataTransfer.files[0];
            if (f) void send(f);
          }}
          onClick={() => input.current?.click()}
        >
          Drop a CSV, JSON or NDJSON file (optionally gzipped) here, or click to pick one. Up to {MAX_MIB} MiB.
          <input
            ref={input}
            type="file"
            name="file"
            hidden
            accept=".csv,.tsv,.txt,.json,.ndjson,.jsonl,.gz"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void send(f);
              e.target.value = '';
            }}
          />
        </div>
        {step.kind === 'uploading' && (
          <progress max={100} value={step.pct} aria-label="upload progress">
            {step.pct}%
          </progress>
        )}
        {step.kind === 'running' && (
          <p className="message" role="status">
            Uploaded; run {step.runId} is processing it…
          </p>
        )}
        {step.kind === 'error' && (
          <p className="error" role="alert">
            {step.message}
          </p>
        )}
      </section>
      {step.kind === 'done' && <Outcome {...step} />}
    </div>
  );
}

function Outcome({
  run,
  file,
  before,
  after,
}: {
  run: RunDetail;
  file: string;
  before: Totals | null;
  after: Totals | null;
}) {
  const mine = run.summary?.fileResults.find((r) => r.path === file);
  const [rejected, setRejected] = useState<Array<{ reason: string; line: number; detail: string; raw: string }>>([]);
  useEffect(() => {
    void api<typeof rejected>(`/api/quarantine/rows?${new URLSearchParams({ file, limit: '100' })}`).then(
      setRejected,
      () => setRejected([]),
    );
  }, [file]);
  return (
    <section className="card" aria-label="upload result" data-status={mine?.status ?? 'unknown'}>
      <h2>
        Run {run.runId}: {run.state}
      </h2>
      {mine ? (
        <p>
          <strong>{file}</strong>: {mine.status}
          {mine.status === 'ingested' && (
            <>
              {' '}
              — {formatCount(mine.rows ?? 0)} rows into bronze, {formatCount(mine.rejected ?? 0)} malformed rows
              quarantined
            </>
          )}
          {mine.reason && (
            <>
              {' '}
              — reason <code>{mine.reason}</code>: {mine.detail}
            </>
          )}
        </p>
      ) : (
        <p>{file}: not in this run (already seen?)</p>
      )}
      {rejected.length > 0 && (
        <>
          <h3>
            Rows of this file in quarantine ({rejected.length}
            {rejected.length === 100 ? '+' : ''})
          </h3>
          <table aria-label="quarantined rows of the upload">
            <thead>
              <tr>
                <th>line</th>
                <th>reason</th>
                <th>detail</th>
                <th>raw</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((r) => (
                <tr key={r.line} data-row-reason={r.reason}>
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
        </>
      )}
      {before && after && (
        <table aria-label="figures before and after">
          <thead>
            <tr>
              <th></th>
              <th>before</th>
              <th>after</th>
              <th>change</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>revenue</td>
              <td className="num">{formatMoney(before.revenue)}</td>
              <td className="num">{formatMoney(after.revenue)}</td>
              <td className="num">{formatMoney(after.revenue - before.revenue)}</td>
            </tr>
            <tr>
              <td>orders</td>
              <td className="num">{formatCount(before.orders)}</td>
              <td className="num">{formatCount(after.orders)}</td>
              <td className="num">{formatCount(after.orders - before.orders)}</td>
            </tr>
          </tbody>
        </table>
      )}
    </section>
  );
}

/** All-time revenue and orders, as the dashboard counts them. */
async function totals(): Promise<Totals | null> {
  try {
    const o = await api<{ minDate: string | null; maxDate: string | null }>('/api/dashboard/options');
    if (!o.minDate || !o.maxDate) return null;
    const d = await api<{ kpis: { revenue: { value: number }; orders: { value: number } } }>(
      `/api/dashboard?from=1900-01-01&to=2999-12-31`,
    );
    return { revenue: d.kpis.revenue.value, orders: d.kpis.orders.value };
  } catch {
    return null;
  }
}
