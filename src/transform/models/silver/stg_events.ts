import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'stg_events',
  intermediate: true,
  layer: 'silver',
  description: 'Every delivered event, typed; missing ids, unreadable timestamps and unknown event types flagged.',
  grain: 'one row per delivered event record',
  key: ['_file_seq', '_line'],
});
