-- An order's latest record wins (placed -> delivered -> returned may arrive days apart).
FROM sl_latest_version('stg_orders', ['order_id'], 'updated_at')
