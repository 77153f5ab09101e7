import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_day_of_week',
  layer: 'gold',
  publish: true,
  description: 'Orders and revenue per day of the week (1 = Monday).',
  grain: 'one row per ISO day of week',
  key: ['day_of_week'],
  tests: [{ kind: 'unique', columns: ['day_of_week'] }],
});
