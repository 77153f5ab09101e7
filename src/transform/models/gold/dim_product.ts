import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'dim_product',
  layer: 'gold',
  publish: true,
  description: 'Products at their latest version (SCD type 1).',
  grain: 'one row per product (plus -1, the unknown member)',
  key: ['product_key'],
  columns: { product_key: 'surrogate key derived from product_id (the same in every build); -1 is the unknown member' },
  tests: [
    { kind: 'unique', columns: ['product_key'] },
    { kind: 'unique', columns: ['product_id'] },
  ],
});
