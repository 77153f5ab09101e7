import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'mart_customer_ltv',
  layer: 'gold',
  publish: true,
  description: 'Lifetime value per customer with recency and an RFM segment; orphan orders under customer "unknown".',
  grain: 'one row per customer with a revenue order',
  key: ['customer_id'],
  tests: [
    { kind: 'unique', columns: ['customer_id'] },
    {
      kind: 'accepted_values',
      column: 'rfm_segment',
      values: [
        'Champions',
        'Loyal',
        'New',
        'Potential loyalist',
        'At risk',
        'Hibernating',
        'Needs attention',
        'Unknown',
      ],
    },
  ],
});
