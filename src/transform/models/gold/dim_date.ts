import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'dim_date',
  layer: 'gold',
  publish: true,
  description: 'Calendar of every day the data covers.',
  grain: 'one row per calendar day (plus -1, the unknown member)',
  key: ['date_key'],
  columns: {
    date_key: 'YYYYMMDD as an integer; -1 is the unknown member',
    day_of_week: 'ISO day of week, 1 = Monday',
    is_weekend: 'Saturday or Sunday',
    week_of_year: 'ISO week number',
  },
  tests: [
    { kind: 'unique', columns: ['date_key'] },
    { kind: 'not_null', column: 'date_key' },
  ],
});
