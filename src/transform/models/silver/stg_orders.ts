import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'stg_orders',
  intermediate: true,
  layer: 'silver',
  description:
    'Every delivered order record, cleansed and typed; rows without a key or a readable order_ts are flagged.',
  grain: 'one row per delivered order record',
  key: ['_file_seq', '_line'],
});
