import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_daily_revenue',
  layer: 'gold',
  publish: true,
  partitionBy: { column: 'date', kind: 'date' },
  description: 'Revenue per day: orders, items sold, revenue and average order value (revenue orders only).',
  grain: 'one row per day with revenue',
  key: ['date'],
  tests: [{ kind: 'unique', columns: ['date'] }],
});
