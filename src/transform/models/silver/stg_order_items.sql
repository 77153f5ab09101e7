-- Every delivered order line, typed; keys, numbers and values checked in contract order.
WITH cleaned AS (
  SELECT sl_clean(order_id) AS order_id, sl_clean(line_number) AS line_number, sl_clean(product_id) AS product_id,
         sl_clean(quantity) AS quantity, sl_clean(unit_price) AS unit_price, sl_clean(discount) AS discount,
         _line, _file_seq
  FROM bronze_order_items
), typed AS (
  SELECT order_id, sl_int(line_number) AS line_number, product_id,
         sl_int(quantity) AS quantity, sl_money(unit_price) AS unit_price, coalesce(sl_money(discount), 0)::DECIMAL(18, 2) AS discount,
         quantity AS raw_quantity, unit_price AS raw_price, discount AS raw_discount,
         _line, _file_seq
  FROM cleaned
), checked AS (
  SELECT *,
    CASE WHEN order_id IS NULL OR line_number IS NULL THEN 'missing_key'
         WHEN quantity IS NULL OR unit_price IS NULL OR (raw_discount IS NOT NULL AND sl_money(raw_discount) IS NULL) THEN 'bad_number'
         WHEN quantity <= 0 OR unit_price < 0 OR discount < 0 OR discount > quantity * unit_price THEN 'invalid_value' END AS _reject_reason
  FROM typed
)
SELECT order_id, line_number, product_id, quantity, unit_price, discount, _reject_reason,
  CASE _reject_reason
    WHEN 'missing_key' THEN 'order_id or line_number is empty'
    WHEN 'bad_number' THEN 'quantity "' || coalesce(raw_quantity, '') || '", unit_price "' || coalesce(raw_price, '') || '", discount "' || coalesce(raw_discount, '') || '": not all numbers'
    WHEN 'invalid_value' THEN 'quantity ' || quantity || ', unit_price ' || unit_price || ', discount ' || discount || ' breaks quantity > 0, price >= 0, 0 <= discount <= quantity x price'
  END AS _reject_detail,
  _line, _file_seq
FROM checked
