-- How a clean value is rendered into a landing file: every kind of messiness of
-- DATA-CONTRACT.md §3, chosen per value by hash(seed, stream, i), so it is reproducible.

CREATE OR REPLACE MACRO m_null(k, i) AS (['', 'NULL', 'null', 'None', 'N/A', 'n/a', 'NaN', '-', '?'])[1 + pick(k, i, 9)];
CREATE OR REPLACE MACRO m_text(v, k, i) AS
  CASE WHEN v IS NULL THEN m_null(k, i) WHEN rnd(k, i) < 0.05 THEN '  ' || v || ' ' ELSE v END;
CREATE OR REPLACE MACRO m_id(v, k, i) AS
  CASE WHEN rnd(k, i) < 0.02 THEN ' ' || v || ' ' ELSE v END;
CREATE OR REPLACE MACRO m_cat(v, k, i) AS
  CASE WHEN v IS NULL THEN m_null(k, i)
       WHEN rnd(k, i) < 0.08 THEN ' ' || upper(v) || ' '
       WHEN rnd(k, i) < 0.15 THEN upper(v[1]) || v[2:]
       ELSE v END;
CREATE OR REPLACE MACRO m_ts(t, k, i) AS
  CASE WHEN t IS NULL THEN m_null(k, i)
       WHEN rnd(k, i) < 0.35 THEN strftime(t, '%Y-%m-%dT%H:%M:%SZ')
       WHEN rnd(k, i) < 0.45 THEN strftime(t + INTERVAL 2 HOUR, '%Y-%m-%dT%H:%M:%S+02:00')
       WHEN rnd(k, i) < 0.50 THEN strftime(t - INTERVAL 5 HOUR, '%Y-%m-%dT%H:%M:%S-05:00')
       WHEN rnd(k, i) < 0.70 THEN strftime(t, '%Y-%m-%d %H:%M:%S')
       WHEN rnd(k, i) < 0.80 THEN strftime(t, '%m/%d/%Y %H:%M:%S')
       WHEN rnd(k, i) < 0.84 AND second(t) = 0 THEN strftime(t, '%m/%d/%Y %H:%M')
       WHEN rnd(k, i) < 0.92 THEN epoch(t)::BIGINT::VARCHAR
       ELSE (epoch(t)::BIGINT * 1000)::VARCHAR END;
-- In JSON an epoch is a number, everything else a string.
CREATE OR REPLACE MACRO m_ts_json(t, k, i) AS
  CASE WHEN regexp_full_match(m_ts(t, k, i), '[0-9]+') THEN m_ts(t, k, i)::JSON ELSE to_json(m_ts(t, k, i)) END;
CREATE OR REPLACE MACRO m_date(d, k, i) AS
  CASE WHEN d IS NULL THEN m_null(k, i)
       WHEN rnd(k, i) < 0.6 THEN strftime(d, '%Y-%m-%d')
       WHEN rnd(k, i) < 0.8 THEN strftime(d, '%m/%d/%Y')
       ELSE strftime(d, '%Y/%m/%d') END;
CREATE OR REPLACE MACRO m_money(x, k, i) AS
  CASE WHEN x IS NULL THEN m_null(k, i)
       WHEN rnd(k, i) < 0.15 THEN '$' || format('{:,.2f}', x::DOUBLE)
       WHEN rnd(k, i) < 0.25 THEN ' ' || x::VARCHAR || ' '
       ELSE x::VARCHAR END;
CREATE OR REPLACE MACRO m_int(n, k, i) AS
  CASE WHEN rnd(k, i) < 0.1 THEN n::VARCHAR || '.0' WHEN rnd(k, i) < 0.2 THEN ' ' || n::VARCHAR || ' ' ELSE n::VARCHAR END;
CREATE OR REPLACE MACRO m_country(c, k, i) AS
  CASE c WHEN 'US' THEN (['US', 'USA', 'U.S.', 'United States', 'us'])[1 + pick(k, i, 5)]
         WHEN 'GB' THEN (['GB', 'UK', 'United Kingdom'])[1 + pick(k, i, 3)]
         WHEN 'CA' THEN (['CA', 'Canada'])[1 + pick(k, i, 2)]
         WHEN 'DE' THEN (['DE', 'Germany'])[1 + pick(k, i, 2)]
         WHEN 'FR' THEN (['FR', 'France'])[1 + pick(k, i, 2)]
         WHEN 'AU' THEN (['AU', 'Australia'])[1 + pick(k, i, 2)]
         WHEN 'IN' THEN (['IN', 'India'])[1 + pick(k, i, 2)]
         ELSE c END;
CREATE OR REPLACE MACRO m_gender(g, k, i) AS
  CASE g WHEN 'male' THEN (['M', 'Male', 'm', 'male', ' MALE '])[1 + pick(k, i, 5)]
         WHEN 'female' THEN (['F', 'Female', 'f', 'female'])[1 + pick(k, i, 4)]
         WHEN 'other' THEN (['other', 'X', 'Other', 'nonbinary'])[1 + pick(k, i, 4)]
         ELSE m_null(k, i) END;
CREATE OR REPLACE MACRO m_status(s, k, i) AS
  m_cat(CASE WHEN s = 'cancelled' AND rnd(k + 1, i) < 0.4 THEN 'canceled' ELSE s END, k, i);
CREATE OR REPLACE MACRO m_event_type(t, k, i) AS
  m_cat(CASE WHEN rnd(k + 1, i) >= 0.15 THEN t
             WHEN t = 'page_view' THEN 'pageview'
             WHEN t = 'product_view' THEN 'view_item'
             WHEN t = 'add_to_cart' THEN (['addtocart', 'add-to-cart'])[1 + pick(k + 2, i, 2)]
             ELSE t END, k, i);
CREATE OR REPLACE MACRO m_email(e, k, i) AS
  CASE WHEN rnd(k, i) < 0.10 THEN upper(e) WHEN rnd(k, i) < 0.15 THEN ' ' || e || ' ' ELSE e END;
CREATE OR REPLACE MACRO m_phone(p, k, i) AS
  CASE WHEN p IS NULL THEN m_null(k, i)
       WHEN rnd(k, i) < 0.3 THEN '+1 (' || p[3:5] || ') ' || p[6:8] || '-' || p[9:]
       WHEN rnd(k, i) < 0.4 THEN '+1-' || p[3:5] || '-' || p[6:8] || '-' || p[9:]
       ELSE p END;
CREATE OR REPLACE MACRO m_bool(b, k, i) AS
  CASE WHEN rnd(k, i) < 0.5 THEN b::VARCHAR WHEN b THEN (['Y', 'yes', '1'])[1 + pick(k, i, 3)] ELSE (['N', 'no', '0'])[1 + pick(k, i, 3)] END;
