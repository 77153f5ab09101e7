import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'stg_stores',
  intermediate: true,
  layer: 'silver',
  description: 'Every delivered store record, cleansed and typed, rejects flagged.',
  grain: 'one row per delivered store record',
  key: ['_file_seq', '_line'],
});
