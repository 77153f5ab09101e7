import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_weekend_vs_weekday',
  layer: 'gold',
  publish: true,
  description: 'Weekend against weekday: calendar days, orders, revenue and revenue per day.',
  grain: 'two rows: weekend and weekday',
  key: ['is_weekend'],
  tests: [{ kind: 'unique', columns: ['is_weekend'] }],
});
