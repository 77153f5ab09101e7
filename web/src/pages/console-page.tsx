import { useState } from 'react';
import { api, ApiError } from '../api';

interface Result {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Record<string, unknown>>;
  truncated: boolean;
}

/**
 * Read-only SQL against the warehouse: results as a table, CSV
 * download; writes and file access are refused by the server.
 */
export function ConsolePage() {
  const [sql, setSql] = useState('SELECT * FROM mart_daily_revenue ORDER BY date DESC LIMIT 20');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = () => {
    setBusy(true);
    setError(null);
    api<Result>('/api/query', { method: 'POST', body: { sql } })
      .then(
        (r) => setResult(r),
        (e: ApiError) => {
          setResult(null);
          setError(`[${e.code}] ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
        },
      )
      .finally(() => setBusy(false));
  };
  const csv = () => {
    if (!result) return;
    const esc = (v: unknown) =>
      v === null || v === undefined
        ? ''
        : /[",\n]/.test(String(v))
          ? `"${String(v).replaceAll('"', '""')}"`
          : String(v);
    const text = [
      result.columns.map((c) => esc(c.name)).join(','),
      ...result.rows.map((r) => result.columns.map((c) => esc(r[c.name])).join(',')),
    ].join('\n');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    a.download = 'query.csv';
    a.click();
  };
  return (
    <div className="console">
      <section className="card">
        <textarea
          aria-label="SQL"
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          rows={6}
          spellCheck={false}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run();
          }}
        />
        <div className="actions">
          <button type="button" onClick={run} disabled={busy}>
            {busy ? 'Running…' : 'Run (Ctrl+Enter)'}
          </button>
          <button type="button" onClick={csv} disabled={!result}>
            Download CSV
          </button>
          {result && (
            <span className="message" role="status">
              {result.rows.length} rows{result.truncated ? ' (more not shown)' : ''}
            </span>
          )}
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      {result && (
        <section className="card scroll">
          <table aria-label="result">
            <thead>
              <tr>
                {result.columns.map((c) => (
                  <th key={c.name} title={c.type}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r, i) => (
                <tr key={i}>
                  {result.columns.map((c) => (
                    <td key={c.name}>
                      {r[c.name] === null
                        ? ''
                        : typeof r[c.name] === 'object'
                          ? JSON.stringify(r[c.name])
                          : String(r[c.name])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
