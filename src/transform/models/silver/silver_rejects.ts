import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'silver_rejects',
  layer: 'silver',
  description: 'Row-level rejects found by the silver checks (missing_key, bad_timestamp, bad_number, invalid_value).',
  dependsOn: [
    'bronze_customers',
    'bronze_products',
    'bronze_stores',
    'bronze_orders',
    'bronze_order_items',
    'bronze_events',
    'stg_customers',
    'stg_products',
    'stg_stores',
    'stg_orders',
    'stg_order_items',
    'stg_events',
  ],
  grain: 'one row per rejected record',
  key: ['_source_file', '_line'],
  tests: [
    {
      kind: 'accepted_values',
      column: 'reason',
      values: ['missing_key', 'bad_timestamp', 'bad_number', 'invalid_value'],
    },
  ],
});
