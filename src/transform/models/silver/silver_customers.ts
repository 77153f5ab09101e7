import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'silver_customers',
  layer: 'silver',
  description: 'Customers, latest version wins.',
  grain: 'one row per customer',
  key: ['customer_id'],
  tests: [
    { kind: 'unique', columns: ['customer_id'] },
    { kind: 'not_null', column: 'customer_id' },
  ],
});
