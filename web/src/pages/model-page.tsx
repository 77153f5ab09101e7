import { useEffect, useState } from 'react';
import type { EChartsOption } from 'echarts';
import { api } from '../api';
import { Chart } from '../components/chart';

interface Table {
  name: string;
  layer: string;
  published: boolean;
  description: string;
  grain: string;
  key: string[];
  upstream: string[];
  downstream: string[];
  columns: Array<{ name: string; type: string; description: string }>;
  tests: Array<{ kind: string; severity: string; on: string; references?: string }>;
}
interface Docs {
  tables: Table[];
  relationships: Array<{ from: string; column: string; to: string; field: string }>;
}
interface Catalog {
  entities: Array<{
    entity: string;
    files: number;
    latest: number;
    versions: Array<{ version: number; first_file: string; columns: Array<Record<string, string>> }>;
  }>;
  drift: Array<Record<string, unknown>>;
}

/** Names as a comma-separated list, or a dash for none. */
const names = (xs: string[]): string => xs.join(', ') || '—';

/** The gold star schema as an ER diagram, the data dictionary from the model declarations, and the landing catalog. */
export function ModelPage() {
  const [docs, setDocs] = useState<Docs | null>(null);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  useEffect(() => {
    void api<Docs>('/api/models').then(setDocs);
    void api<Catalog>('/api/catalog').then(setCatalog);
  }, []);
  if (!docs) return <p className="notice">Loading…</p>;
  const published = docs.tables.filter((t) => t.published);
  return (
    <div className="model">
      <section className="card" aria-label="entity-relationship diagram">
        <h2>Star schema</h2>
        <Chart label="entity-relationship diagram" option={erd(published, docs.relationships)} height={460} />
      </section>
      <section className="card" aria-label="data dictionary">
        <h2>Data dictionary</h2>
        {docs.tables.map((t) => (
          <details key={t.name} id={`table-${t.name}`} data-table={t.name} open={t.name.startsWith('fact_')}>
            <summary>
              <strong>{t.name}</strong>{' '}
              <span className="tag">
                {t.layer}
                {t.published ? ', published' : ''}
              </span>{' '}
              — {t.description}
            </summary>
            <p>
              <b>Grain:</b> {t.grain}. <b>Key:</b> {t.key.join(', ')}. <b>Upstream:</b> {names(t.upstream)}.{' '}
              <b>Downstream:</b> {names(t.downstream)}.
            </p>
            {t.columns.length > 0 && (
              <table>
                <thead>
                  <tr>
                    <th>column</th>
                    <th>type</th>
                    <th>description</th>
                  </tr>
                </thead>
                <tbody>
                  {t.columns.map((c) => (
                    <tr key={c.name}>
                      <td>
                        <code>{c.name}</code>
                      </td>
                      <td>{c.type}</td>
                      <td>{c.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {t.tests.length > 0 && (
              <p>
                <b>Tests:</b>{' '}
                {t.tests
                  .map(
                    (x) =>
                      `${x.kind}(${x.on}${x.references ? ` → ${x.references}` : ''})` +
                      `${x.severity === 'warn' ? ' [warn]' : ''}`,
                  )
                  .join('; ')}
              </p>
            )}
          </details>
        ))}
      </section>
      {catalog && (
        <section className="card" aria-label="catalog">
          <h2>Landing catalog</h2>
          <table>
            <thead>
              <tr>
                <th>entity</th>
                <th>files</th>
                <th>schema versions</th>
                <th>latest columns</th>
              </tr>
            </thead>
            <tbody>
              {catalog.entities.map((e) => (
                <tr key={e.entity}>
                  <td>{e.entity}</td>
                  <td className="num">{e.files}</td>
                  <td className="num">{e.versions.length}</td>
                  <td>
                    {e.versions
                      .at(-1)
                      ?.columns.map((c) => c['target'])
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Drift events</h3>
          <table>
            <thead>
              <tr>
                <th>entity</th>
                <th>version</th>
                <th>kind</th>
                <th>column</th>
                <th>file</th>
              </tr>
            </thead>
            <tbody>
              {catalog.drift.map((d, i) => (
                <tr key={i}>
                  <td>{String(d['entity'])}</td>
                  <td className="num">{String(d['version'])}</td>
                  <td>{String(d['kind'])}</td>
                  <td>{String(d['column_name'])}</td>
                  <td>{String(d['file'])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

/** Facts in the middle, dimensions around them, marts to the right; edges are the relationship tests. */
function erd(tables: Table[], rels: Docs['relationships']): EChartsOption {
  const facts = tables.filter((t) => t.name.startsWith('fact_'));
  const dims = tables.filter((t) => t.name.startsWith('dim_'));
  const marts = tables.filter((t) => !t.name.startsWith('fact_') && !t.name.startsWith('dim_'));
  const place = (list: Table[], x: number, color: string) =>
    list.map((t, i) => ({
      name: t.name,
      x,
      y: i * 60,
      symbol: 'roundRect',
      symbolSize: [150, 30],
      itemStyle: { color },
      label: { show: true, color: '#fff', fontSize: 11 },
    }));
  return {
    tooltip: {
      formatter: (p) => {
        const d = p as { dataType: string; name: string; data: { source?: string; target?: string } };
        if (d.dataType !== 'edge') return tables.find((t) => t.name === d.name)?.grain ?? d.name;
        return rels
          .filter((r) => r.from === d.data.source && r.to === d.data.target)
          .map((r) => `${r.from}.${r.column} → ${r.to}.${r.field}`)
          .join('<br>');
      },
    },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: true,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 7,
        data: [
          ...place(dims, 0, '#6a4fc7'),
          ...place(facts, 300, '#3b6fd8'),
          ...place(marts.slice(0, 14), 600, '#2e9d5b'),
        ],
        links: rels.filter((r) => tables.some((t) => t.name === r.from)).map((r) => ({ source: r.from, target: r.to })),
        lineStyle: { color: '#99a', curveness: 0.15 },
      },
    ],
  };
}
