import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_monthly_revenue',
  layer: 'gold',
  publish: true,
  description: 'Revenue per calendar month.',
  grain: 'one row per month with revenue',
  key: ['year', 'month'],
  tests: [{ kind: 'unique', columns: ['year', 'month'] }],
});
