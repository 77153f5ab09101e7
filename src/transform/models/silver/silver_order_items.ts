import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'silver_order_items',
  layer: 'silver',
  description: 'Order lines, deduplicated.',
  grain: 'one row per order line',
  key: ['order_id', 'line_number'],
  tests: [{ kind: 'unique', columns: ['order_id', 'line_number'] }],
});
