import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'silver_stores',
  layer: 'silver',
  description: 'Stores, last delivered version wins.',
  grain: 'one row per store',
  key: ['store_id'],
  tests: [
    { kind: 'unique', columns: ['store_id'] },
    { kind: 'accepted_values', column: 'channel', values: ['online', 'retail', 'marketplace'], severity: 'warn' },
  ],
});
