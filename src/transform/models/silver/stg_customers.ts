import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'stg_customers',
  intermediate: true,
  layer: 'silver',
  description: 'Every customer record ever delivered, cleansed and typed, rejects flagged. The input of SCD2 history.',
  grain: 'one row per delivered customer record',
  key: ['_file_seq', '_line'],
  columns: { email_invalid: 'an address was given but is not a valid email (email is then null)' },
});
