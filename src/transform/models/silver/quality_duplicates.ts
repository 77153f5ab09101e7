import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'quality_duplicates',
  layer: 'silver',
  description: 'How many delivered rows were exact duplicates, and how many were older versions of a key, per entity.',
  grain: 'one row per entity',
  key: ['entity'],
  tests: [
    {
      kind: 'expression',
      name: 'counts_not_negative',
      sql: 'SELECT * FROM quality_duplicates WHERE exact_duplicates < 0 OR superseded_versions < 0',
    },
  ],
});
