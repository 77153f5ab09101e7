import { ORDER_STATUSES } from '../../../contract/index.ts';
import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'silver_orders',
  layer: 'silver',
  description: 'Orders at their latest status.',
  grain: 'one row per order',
  key: ['order_id'],
  tests: [
    { kind: 'unique', columns: ['order_id'] },
    { kind: 'not_null', column: 'order_ts' },
    { kind: 'accepted_values', column: 'status', values: [...ORDER_STATUSES], severity: 'warn' },
  ],
});
