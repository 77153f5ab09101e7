WITH steps(step, step_order) AS (VALUES ('product_view', 1), ('add_to_cart', 2), ('checkout_start', 3), ('purchase', 4)),
counts AS (
  SELECT s.step, s.step_order, count(DISTINCT e.session_id) AS sessions
  FROM steps s LEFT JOIN fact_events e ON e.event_type = s.step GROUP BY s.step, s.step_order
)
SELECT step, step_order, sessions,
       coalesce(sessions / nullif(first_value(sessions) OVER (ORDER BY step_order), 0), 0) AS pct_of_first
FROM counts ORDER BY step_order
