import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_funnel',
  layer: 'gold',
  publish: true,
  description: 'Sessions reaching each funnel step, as a fraction of the first step.',
  grain: 'one row per funnel step',
  key: ['step'],
  tests: [
    { kind: 'unique', columns: ['step'] },
    {
      kind: 'expression',
      name: 'pct_is_a_fraction',
      sql: 'SELECT * FROM mart_funnel WHERE pct_of_first NOT BETWEEN 0 AND 1',
    },
  ],
});
