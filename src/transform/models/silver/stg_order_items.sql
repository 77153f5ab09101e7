-- Every delivered order line, typed; keys, numbers and values checked in contract order.
WITH typed AS (
  SELECT
    sl_clean(order_id) AS order_id,
    sl_int(line_number) AS line_number,
    sl_clean(product_id) AS product_id,
    sl_int(quantity) AS quantity,
    sl_money(unit_price) AS unit_price,
    coalesce(sl_money(discount), 0)::DECIMAL(18, 2) AS discount,
    sl_clean(quantity) IS NULL OR sl_int(quantity) IS NULL AS bad_quantity,
    sl_clean(unit_price) IS NULL OR sl_money(unit_price) IS NULL AS bad_price,
    sl_bad_number(discount) AS bad_discount,
    _source_file, _line, _file_seq, _batch_id, b AS _bronze, b.quantity AS raw_quantity, b.unit_price AS raw_price, b.discount AS raw_discount
  FROM bronze_order_items b
), checked AS (
  SELECT *,
    CASE WHEN order_id IS NULL OR line_number IS NULL THEN 'missing_key'
         WHEN bad_quantity OR bad_price OR bad_discount THEN 'bad_number'
         WHEN quantity <= 0 OR unit_price < 0 OR discount < 0 OR discount > quantity * unit_price THEN 'invalid_value' END AS _reject_reason
  FROM typed
)
SELECT order_id, line_number, product_id, quantity, unit_price, discount,
  _reject_reason,
  CASE _reject_reason
    WHEN 'missing_key' THEN 'order_id or line_number is empty'
    WHEN 'bad_number' THEN 'quantity "' || coalesce(raw_quantity, '') || '", unit_price "' || coalesce(raw_price, '') || '", discount "' || coalesce(raw_discount, '') || '": not all numbers'
    WHEN 'invalid_value' THEN 'quantity ' || quantity || ', unit_price ' || unit_price || ', discount ' || discount || ' breaks quantity > 0, price >= 0, 0 <= discount <= quantity x price'
  END AS _reject_detail,
  CASE WHEN _reject_reason IS NOT NULL THEN to_json(_bronze)::VARCHAR END AS _raw,
  _source_file, _line, _file_seq, _batch_id
FROM checked
