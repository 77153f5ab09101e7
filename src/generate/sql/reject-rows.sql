-- Rows that must be rejected (contract §4), as raw text, one set per drop. They are extra
-- rows: none of them is part of the clean truth. n_bad rows per reason per drop.

CREATE OR REPLACE TABLE g_bad_orders AS
SELECT k AS drop_no, reason, n,
       CASE reason WHEN 'missing_key' THEN m_null(701, n) ELSE 'OX' || k || lpad(n::VARCHAR, 5, '0') END AS order_id,
       'C000001' AS customer_id, 'S001' AS store_id,
       CASE reason WHEN 'bad_timestamp' THEN (['not a date', '2024-13-45 25:61:00', '31/31/2024', 'yesterday'])[1 + pick(702, n, 4)]
            ELSE strftime(drop_start(k) + INTERVAL 1 DAY, '%Y-%m-%d %H:%M:%S') END AS order_ts,
       'placed' AS status, 'card' AS payment_method,
       strftime(drop_start(k) + INTERVAL 1 DAY, '%Y-%m-%d %H:%M:%S') AS updated_at
FROM range(1, getvariable('drops') + 1) d(k), range(1, getvariable('n_bad') + 1) t(n),
     (VALUES ('missing_key'), ('bad_timestamp')) r(reason);

CREATE OR REPLACE TABLE g_bad_items AS
SELECT k AS drop_no, reason, n,
       'O' || lpad((1 + pick(710, k * 1000 + n, getvariable('n_orders')))::VARCHAR, 8, '0') AS order_id,
       CASE reason WHEN 'missing_key' THEN m_null(711, n) ELSE (90 + n)::VARCHAR END AS line_number,
       'P00001' AS product_id,
       CASE WHEN reason = 'bad_number' AND n % 2 = 0 THEN (['three', '2x', 'one'])[1 + pick(712, n, 3)]
            WHEN reason = 'invalid_value' AND n % 3 = 0 THEN (['0', '-1'])[1 + pick(713, n, 2)] ELSE '2' END AS quantity,
       CASE WHEN reason = 'bad_number' AND n % 2 = 1 THEN (['12.3.4', 'abc', '$'])[1 + pick(714, n, 3)]
            WHEN reason = 'invalid_value' AND n % 3 = 1 THEN '-5.00' ELSE '10.00' END AS unit_price,
       CASE WHEN reason = 'invalid_value' AND n % 3 = 2 THEN '25.00' ELSE '0' END AS discount
FROM range(1, getvariable('drops') + 1) d(k), range(1, getvariable('n_bad') + 1) t(n),
     (VALUES ('missing_key'), ('bad_number'), ('invalid_value')) r(reason);

CREATE OR REPLACE TABLE g_bad_events AS
SELECT k AS drop_no, reason, n,
       CASE reason WHEN 'missing_key' THEN NULL ELSE 'EX' || k || '-' || lpad(n::VARCHAR, 5, '0') END AS event_id,
       CASE reason WHEN 'bad_timestamp' THEN to_json((['soon', '2024-02-30T99:00:00Z', ''])[1 + pick(720, n, 3)])
            ELSE to_json(strftime(drop_start(k) + INTERVAL 2 DAY, '%Y-%m-%dT%H:%M:%SZ')) END AS event_ts,
       'SSX' || k AS session_id,
       CASE reason WHEN 'invalid_value' THEN (['teleport', 'click_ad', 'wishlist'])[1 + pick(721, n, 3)] ELSE 'page_view' END AS event_type
FROM range(1, getvariable('drops') + 1) d(k), range(1, getvariable('n_bad') + 1) t(n),
     (VALUES ('missing_key'), ('bad_timestamp'), ('invalid_value')) r(reason);
