/** Numbers as a person reads them: 1.2M, 12,345, $1,234.56, 3.4%. */
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const money2 = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatMoney(v: number, cents = false): string {
  return (cents ? money2 : money).format(v);
}
export function formatCompactMoney(v: number): string {
  return `$${compact.format(v)}`;
}
export function formatCount(v: number): string {
  return whole.format(v);
}
export function formatPercent(v: number, digits = 1): string {
  return `${(v * 100).toFixed(digits)}%`;
}
export function formatChange(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'no previous period';
  return `${v >= 0 ? '▲' : '▼'} ${Math.abs(v * 100).toFixed(1)}% vs previous period`;
}
