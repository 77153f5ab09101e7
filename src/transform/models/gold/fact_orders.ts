import { ORDER_STATUSES } from '../../../contract/index.ts';
import { defineModel } from '../../model-declaration.ts';

export default defineModel({
  name: 'fact_orders',
  layer: 'gold',
  publish: true,
  partitionBy: { column: 'date_key', kind: 'date_key' },
  description: 'Order lines with their order, customer version, product and store.',
  grain: 'one row per order line',
  key: ['order_id', 'line_number'],
  columns: {
    gross_amount: 'quantity x unit_price',
    net_amount: 'gross_amount - discount, rounded to cents',
    status: 'latest status; placed, shipped and delivered count as revenue',
  },
  tests: [
    { kind: 'unique', columns: ['order_id', 'line_number'] },
    { kind: 'not_null', column: 'order_ts' },
    { kind: 'relationship', column: 'customer_key', to: 'dim_customer', field: 'customer_key' },
    { kind: 'relationship', column: 'product_key', to: 'dim_product', field: 'product_key' },
    { kind: 'relationship', column: 'store_key', to: 'dim_store', field: 'store_key' },
    { kind: 'relationship', column: 'date_key', to: 'dim_date', field: 'date_key' },
    { kind: 'accepted_values', column: 'status', values: [...ORDER_STATUSES], severity: 'warn' },
    {
      kind: 'expression',
      name: 'net_is_gross_minus_discount',
      sql: 'SELECT * FROM fact_orders WHERE net_amount <> round(gross_amount - discount, 2)',
    },
    {
      kind: 'expression',
      name: 'orphan_customer_lines',
      sql: 'SELECT * FROM fact_orders WHERE customer_key = -1',
      severity: 'warn',
    },
    {
      kind: 'expression',
      name: 'orphan_product_lines',
      sql: 'SELECT * FROM fact_orders WHERE product_key = -1',
      severity: 'warn',
    },
    {
      kind: 'expression',
      name: 'orphan_store_lines',
      sql: 'SELECT * FROM fact_orders WHERE store_key = -1',
      severity: 'warn',
    },
  ],
});
