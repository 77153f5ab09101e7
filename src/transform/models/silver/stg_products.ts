import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'stg_products',
  intermediate: true,
  layer: 'silver',
  description: 'Every delivered product record, cleansed and typed, rejects flagged.',
  grain: 'one row per delivered product record',
  key: ['_file_seq', '_line'],
});
