import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_user_activity_daily',
  layer: 'gold',
  publish: true,
  partitionBy: { column: 'date', kind: 'date' },
  description: 'Daily active customers, sessions, page and product views, carts, purchases and conversion rate.',
  grain: 'one row per day with events',
  key: ['date'],
  tests: [
    { kind: 'unique', columns: ['date'] },
    {
      kind: 'expression',
      name: 'conversion_rate_is_a_fraction',
      sql: 'SELECT * FROM mart_user_activity_daily WHERE conversion_rate NOT BETWEEN 0 AND 1',
    },
  ],
});
