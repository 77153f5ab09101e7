import { EVENT_TYPES } from '../../../contract/index.ts';
import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'fact_events',
  layer: 'gold',
  publish: true,
  partitionBy: { column: 'date_key', kind: 'date_key' },
  description: 'Clickstream events. Anonymous events and events without a product point at the unknown member (-1).',
  grain: 'one row per event',
  key: ['event_id'],
  tests: [
    { kind: 'unique', columns: ['event_id'] },
    { kind: 'relationship', column: 'customer_key', to: 'dim_customer', field: 'customer_key' },
    { kind: 'relationship', column: 'product_key', to: 'dim_product', field: 'product_key' },
    { kind: 'relationship', column: 'date_key', to: 'dim_date', field: 'date_key' },
    { kind: 'accepted_values', column: 'event_type', values: [...EVENT_TYPES] },
  ],
});
