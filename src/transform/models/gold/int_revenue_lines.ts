import { REVENUE_STATUSES } from '../../../contract/index.ts';
import { literal } from '../../../duck/index.ts';
import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'int_revenue_lines',
  intermediate: true,
  layer: 'gold',
  description: 'Revenue order lines joined to their dimensions; the common input of the sales marts.',
  grain: 'one row per revenue order line',
  key: ['order_id', 'line_number'],
  tests: [
    {
      kind: 'expression',
      name: 'no_line_lost_in_joins',
      sql: `SELECT 1 WHERE (SELECT count(*) FROM int_revenue_lines)
            <> (SELECT count(*) FROM fact_orders WHERE status IN (${REVENUE_STATUSES.map(literal).join(', ')}))`,
    },
  ],
});
