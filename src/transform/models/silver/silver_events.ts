import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'silver_events',
  layer: 'silver',
  description: 'Clickstream events, deduplicated by event_id.',
  grain: 'one row per event',
  key: ['event_id'],
  tests: [{ kind: 'unique', columns: ['event_id'] }],
});
