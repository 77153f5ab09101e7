import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_store_sales',
  layer: 'gold',
  publish: true,
  description: 'Revenue per store and channel; orphan orders under the unknown store.',
  grain: 'one row per store with revenue',
  key: ['store_id'],
  tests: [{ kind: 'unique', columns: ['store_id'] }],
});
