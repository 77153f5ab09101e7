import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_category_sales',
  layer: 'gold',
  publish: true,
  description: 'Items sold and revenue per product category.',
  grain: 'one row per product category with revenue',
  key: ['category'],
  tests: [{ kind: 'unique', columns: ['category'] }],
});
