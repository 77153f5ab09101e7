import { formatChange } from '../format';

export interface KpiValue {
  value: number;
  previous: number | null;
  change: number | null;
}

export function KpiCard({
  id,
  title,
  kpi,
  format,
}: {
  id: string;
  title: string;
  kpi: KpiValue;
  format: (v: number) => string;
}) {
  const dir = kpi.change === null ? 'flat' : kpi.change >= 0 ? 'up' : 'down';
  return (
    <div className="card kpi" data-kpi={id} data-value={kpi.value}>
      <div className="kpi-title">{title}</div>
      <div className="kpi-value">{format(kpi.value)}</div>
      <div
        className={`kpi-change ${dir}`}
        title={kpi.previous === null ? '' : `previous period: ${format(kpi.previous)}`}
      >
        {formatChange(kpi.change)}
      </div>
    </div>
  );
}
