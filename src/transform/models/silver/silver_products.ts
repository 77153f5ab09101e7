import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'silver_products',
  layer: 'silver',
  description: 'Products, latest version wins.',
  grain: 'one row per product',
  key: ['product_id'],
  tests: [
    { kind: 'unique', columns: ['product_id'] },
    {
      kind: 'expression',
      name: 'price_not_negative',
      sql: 'SELECT * FROM silver_products WHERE unit_price < 0',
      severity: 'warn',
    },
  ],
});
