import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'dim_customer',
  layer: 'gold',
  publish: true,
  description:
    'Customers with history (SCD type 2): a new version when email, ' +
    'phone, last_name, city, state, country or loyalty_tier changes.',
  grain: 'one row per customer version (plus -1, the unknown member)',
  key: ['customer_key'],
  columns: {
    customer_key:
      'surrogate key of this version, derived from customer_id and ' +
      'version (the same in every build); -1 is the unknown member',
    version: '1 for the first version, counting up',
    valid_from: "start of this version, UTC: the first version's is the signup date at 00:00",
    valid_to: 'start of the next version; null while current',
    is_current: 'this is the latest version',
  },
  tests: [
    { kind: 'unique', columns: ['customer_key'] },
    { kind: 'not_null', column: 'customer_id' },
    {
      kind: 'expression',
      name: 'one_current_version_per_customer',
      sql: 'SELECT customer_id FROM dim_customer GROUP BY customer_id HAVING count(*) FILTER (WHERE is_current) <> 1',
    },
    {
      kind: 'expression',
      name: 'versions_in_order',
      sql: 'SELECT * FROM dim_customer WHERE valid_to < valid_from',
      severity: 'warn',
    },
  ],
});
