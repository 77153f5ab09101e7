import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_product_sales',
  layer: 'gold',
  publish: true,
  description: 'Items sold, revenue and revenue rank per product (1 = best).',
  grain: 'one row per product with revenue',
  key: ['product_id'],
  tests: [{ kind: 'unique', columns: ['product_id'] }],
});
