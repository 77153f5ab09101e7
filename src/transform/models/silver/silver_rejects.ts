import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'silver_rejects',
  layer: 'silver',
  description: 'Row-level rejects found by the silver checks (missing_key, bad_timestamp, bad_number, invalid_value).',
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
