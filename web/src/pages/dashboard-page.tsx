import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EChartsOption } from 'echarts';
import { api, ApiError } from '../api';
import { Chart } from '../components/chart';
import { KpiCard, type KpiValue } from '../components/kpi-card';
import { Panel, type Quality } from '../components/panel';
import { formatCompactMoney, formatCount, formatMoney, formatPercent } from '../format';

interface Options {
  minDate: string | null;
  maxDate: string | null;
  publishedAt: string | null;
  /** Stream events laid over the published warehouse since its last build, if any. */
  live: { refreshedAt: string; events: number } | null;
  stores: Array<{ id: string; name: string; channel: string }>;
  channels: string[];
  categories: string[];
  quality: Record<string, Quality>;
}
type Row = Record<string, string | number>;
interface Dashboard {
  kpis: Record<
    'revenue' | 'orders' | 'averageOrderValue' | 'itemsSold' | 'activeCustomers' | 'conversionRate',
    KpiValue
  >;
  revenueDaily: Row[];
  revenueMonthly: Row[];
  byStore: Row[];
  byChannel: Row[];
  byCategory: Row[];
  topProducts: Row[];
  topCustomers: Row[];
  segments: Row[];
  lifetimeValue: Row[];
  dayOfWeek: Row[];
  weekendVsWeekday: Row[];
  activity: Row[];
  funnel: Row[];
}
interface Filter {
  from: string;
  to: string;
  store: string;
  channel: string;
  category: string;
}

const money = (v: unknown) => formatCompactMoney(Number(v));
const bar = (rows: Row[], label: string, value = 'revenue', horizontal = false): EChartsOption => {
  const cats = rows.map((r) => String(r[label]));
  const vals = rows.map((r) => Number(r[value]));
  const valueAxis = { type: 'value' as const, axisLabel: { formatter: money } };
  const catAxis = { type: 'category' as const, data: cats, axisLabel: { width: 110, overflow: 'truncate' as const } };
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatMoney(Number(v)) },
    grid: { left: horizontal ? 120 : 60, right: 16, top: 16, bottom: 40 },
    xAxis: horizontal ? valueAxis : catAxis,
    yAxis: horizontal ? { ...catAxis, inverse: true } : valueAxis,
    series: [{ type: 'bar', data: vals, itemStyle: { color: '#3b6fd8' } }],
  };
};

export function DashboardPage() {
  const [options, setOptions] = useState<Options | null>(null);
  const [filter, setFilter] = useState<Filter | null>(null);
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [monthly, setMonthly] = useState(false);

  const [reloads, setReloads] = useState(0);
  const lastMax = useRef<string | null>(null);

  const loadOptions = useCallback(() => {
    api<Options>('/api/dashboard/options').then(
      (o) => {
        setOptions(o);
        setError(null);
        const prevMax = lastMax.current;
        // A filter still ending on the last day follows new days in; a narrowed one stays.
        setFilter((f) =>
          o.minDate && o.maxDate && (!f || f.to === prevMax)
            ? {
                from: f?.from ?? o.minDate,
                to: o.maxDate,
                store: f?.store ?? '',
                channel: f?.channel ?? '',
                category: f?.category ?? '',
              }
            : f,
        );
        lastMax.current = o.maxDate;
        setReloads((n) => n + 1);
      },
      (e: ApiError) =>
        setError(
          e.code === 'warehouse_empty'
            ? 'Nothing has been published yet: run the daily DAG (Runs page) or upload files.'
            : e.message,
        ),
    );
  }, []);

  useEffect(() => {
    loadOptions();
    // Live: a publish or a micro-batch of stream events re-reads the figures, at most about once a second.
    const events = new EventSource('/api/events');
    let pending: number | undefined;
    const soon = (e: Event) => {
      if (e.type === 'run' && !/"state":"success"/.test((e as MessageEvent<string>).data)) return;
      pending ??= window.setTimeout(() => {
        pending = undefined;
        loadOptions();
      }, 1000);
    };
    events.addEventListener('run', soon);
    events.addEventListener('live', soon);
    return () => {
      clearTimeout(pending);
      events.close();
    };
  }, [loadOptions]);

  useEffect(() => {
    if (!filter) return;
    const q = new URLSearchParams({ from: filter.from, to: filter.to });
    for (const k of ['store', 'channel', 'category'] as const) if (filter[k]) q.set(k, filter[k]);
    api<Dashboard>(`/api/dashboard?${q}`).then(setData, (e: ApiError) => setError(e.message));
  }, [filter, reloads]);

  const charts = useMemo(() => (data ? buildCharts(data, monthly) : null), [data, monthly]);
  if (error) return <p className="notice">{error}</p>;
  if (!options || !filter || !data || !charts) return <p className="notice">Loading…</p>;
  const set = (k: keyof Filter) => (e: { target: { value: string } }) => setFilter({ ...filter, [k]: e.target.value });
  const p = { asOf: options.publishedAt, quality: options.quality };
  const live = options.live
    ? {
        asOf: options.live.refreshedAt,
        quality: options.quality,
        note: `live: ${formatCount(options.live.events)} stream events since the last build`,
      }
    : p;
  const k = data.kpis;
  return (
    <div className="dashboard">
      <form className="filters card" aria-label="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From{' '}
          <input
            type="date"
            name="from"
            value={filter.from}
            min={options.minDate ?? undefined}
            max={filter.to}
            onChange={set('from')}
          />
        </label>
        <label>
          To{' '}
          <input
            type="date"
            name="to"
            value={filter.to}
            min={filter.from}
            max={options.maxDate ?? undefined}
            onChange={set('to')}
          />
        </label>
        <label>
          Store{' '}
          <select name="store" value={filter.store} onChange={set('store')}>
            <option value="">All stores</option>
            {options.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Channel{' '}
          <select name="channel" value={filter.channel} onChange={set('channel')}>
            <option value="">All channels</option>
            {options.channels.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Category{' '}
          <select name="category" value={filter.category} onChange={set('category')}>
            <option value="">All categories</option>
            {options.categories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </form>
      <div className="kpis">
        <KpiCard id="revenue" title="Revenue" kpi={k.revenue} format={(v) => formatMoney(v)} />
        <KpiCard id="orders" title="Orders" kpi={k.orders} format={formatCount} />
        <KpiCard id="aov" title="Average order value" kpi={k.averageOrderValue} format={(v) => formatMoney(v, true)} />
        <KpiCard id="items" title="Items sold" kpi={k.itemsSold} format={formatCount} />
        <KpiCard id="customers" title="Active customers" kpi={k.activeCustomers} format={formatCount} />
        <KpiCard id="conversion" title="Conversion rate" kpi={k.conversionRate} format={(v) => formatPercent(v)} />
      </div>
      <div className="grid">
        <Panel title="Revenue over time" sources={['fact_orders', 'dim_date']} wide {...p}>
          <div className="toggle">
            <button type="button" aria-pressed={!monthly} onClick={() => setMonthly(false)}>
              Daily
            </button>
            <button type="button" aria-pressed={monthly} onClick={() => setMonthly(true)}>
              Monthly
            </button>
          </div>
          <Chart label="revenue over time" option={charts.revenue} />
        </Panel>
        <Panel title="Sales by store" sources={['fact_orders', 'dim_store']} {...p}>
          <Chart label="sales by store" option={charts.byStore} height={360} />
        </Panel>
        <Panel title="Sales by channel" sources={['fact_orders', 'dim_store']} {...p}>
          <Chart label="sales by channel" option={charts.byChannel} />
        </Panel>
        <Panel title="Sales by category" sources={['fact_orders', 'dim_product']} {...p}>
          <Chart label="sales by category" option={charts.byCategory} />
        </Panel>
        <Panel title="Top products" sources={['fact_orders', 'dim_product']} {...p}>
          <Table rows={data.topProducts} money={['revenue']} />
        </Panel>
        <Panel title="Top customers" sources={['fact_orders', 'dim_customer']} {...p}>
          <Table rows={data.topCustomers} money={['revenue']} />
        </Panel>
        <Panel title="Customer segments (RFM, all time)" sources={['mart_customer_ltv']} {...p}>
          <Chart label="customer segments" option={charts.segments} />
        </Panel>
        <Panel title="Lifetime value distribution (all time)" sources={['mart_customer_ltv']} {...p}>
          <Chart label="lifetime value" option={charts.ltv} />
        </Panel>
        <Panel title="Revenue by day of week" sources={['fact_orders', 'dim_date']} {...p}>
          <Chart label="day of week" option={charts.dayOfWeek} />
        </Panel>
        <Panel title="Weekend vs weekday (revenue per day)" sources={['fact_orders', 'dim_date']} {...p}>
          <Chart label="weekend vs weekday" option={charts.weekend} />
        </Panel>
        <Panel title="User activity" sources={['mart_user_activity_daily']} wide {...live}>
          <Chart label="user activity" option={charts.activity} />
        </Panel>
        <Panel title="Conversion funnel (sessions)" sources={['fact_events']} {...live}>
          <Chart label="funnel" option={charts.funnel} />
        </Panel>
      </div>
    </div>
  );
}

function buildCharts(d: Dashboard, monthly: boolean) {
  const series = monthly ? d.revenueMonthly : d.revenueDaily;
  const x = monthly ? 'month' : 'date';
  return {
    revenue: {
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatMoney(Number(v)) },
      grid: { left: 60, right: 16, top: 16, bottom: 60 },
      xAxis: { type: 'category', data: series.map((r) => String(r[x])) },
      yAxis: { type: 'value', axisLabel: { formatter: money } },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
      series: [
        {
          type: monthly ? 'bar' : 'line',
          data: series.map((r) => Number(r['revenue'])),
          showSymbol: false,
          areaStyle: monthly ? undefined : { opacity: 0.15 },
          itemStyle: { color: '#3b6fd8' },
        },
      ],
    } as EChartsOption,
    byStore: bar(d.byStore, 'store', 'revenue', true),
    byChannel: {
      tooltip: { valueFormatter: (v) => formatMoney(Number(v)) },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: d.byChannel.map((r) => ({ name: String(r['channel']), value: Number(r['revenue']) })),
        },
      ],
    } as EChartsOption,
    byCategory: bar(d.byCategory, 'category'),
    segments: {
      tooltip: { valueFormatter: (v) => formatCount(Number(v)) },
      series: [
        {
          type: 'pie',
          radius: '70%',
          data: d.segments.map((r) => ({ name: String(r['segment']), value: Number(r['customers']) })),
        },
      ],
    } as EChartsOption,
    ltv: {
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: d.lifetimeValue.map((r) => formatCompactMoney(Number(r['bucket_from']))) },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', data: d.lifetimeValue.map((r) => Number(r['customers'])), itemStyle: { color: '#6a4fc7' } },
      ],
    } as EChartsOption,
    dayOfWeek: bar(d.dayOfWeek, 'day_name'),
    weekend: bar(d.weekendVsWeekday, 'part', 'revenue_per_day'),
    activity: {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 50, right: 16, top: 16, bottom: 50 },
      xAxis: { type: 'category', data: d.activity.map((r) => String(r['date'])) },
      yAxis: { type: 'value' },
      series: [
        {
          name: 'active customers',
          type: 'line',
          showSymbol: false,
          data: d.activity.map((r) => Number(r['active_customers'])),
        },
        { name: 'sessions', type: 'line', showSymbol: false, data: d.activity.map((r) => Number(r['sessions'])) },
      ],
    } as EChartsOption,
    funnel: {
      tooltip: { valueFormatter: (v) => formatCount(Number(v)) },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          data: d.funnel.map((r) => ({ name: String(r['step']).replaceAll('_', ' '), value: Number(r['sessions']) })),
        },
      ],
    } as EChartsOption,
  };
}

function Table({ rows, money: moneyCols }: { rows: Row[]; money: string[] }) {
  if (rows.length === 0) return <p className="notice">No rows for this filter.</p>;
  const cols = Object.keys(rows[0]!);
  return (
    <table>
      <thead>
        <tr>
          {cols.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {cols.map((c) => (
              <td key={c} className={typeof r[c] === 'number' ? 'num' : ''}>
                {moneyCols.includes(c)
                  ? formatMoney(Number(r[c]))
                  : typeof r[c] === 'number'
                    ? formatCount(Number(r[c]))
                    : String(r[c] ?? '')}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
