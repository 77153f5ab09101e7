import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'dim_store',
  layer: 'gold',
  publish: true,
  description: 'Stores and sales channels.',
  grain: 'one row per store (plus -1, the unknown member)',
  key: ['store_key'],
  columns: { store_key: 'surrogate key derived from store_id (the same in every build); -1 is the unknown member' },
  tests: [
    { kind: 'unique', columns: ['store_key'] },
    { kind: 'unique', columns: ['store_id'] },
  ],
});
