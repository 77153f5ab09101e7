import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'stg_order_items',
  intermediate: true,
  layer: 'silver',
  description: 'Every delivered order line, typed; missing keys, unreadable numbers and impossible values flagged.',
  grain: 'one row per delivered order line record',
  key: ['_file_seq', '_line'],
});
