-- Cleansing functions of DATA-CONTRACT.md §3, as DuckDB macros so every model applies
-- them inside SQL. All take and give text unless their name says a type.

-- Null tokens and padding.
CREATE OR REPLACE MACRO sl_clean(v) AS
  CASE WHEN trim(v) IN ('', 'NULL', 'null', 'None', 'N/A', 'n/a', 'NaN', '-', '?') THEN NULL ELSE trim(v) END;
CREATE OR REPLACE MACRO sl_lower(v) AS lower(sl_clean(v));
-- Categorical labels people read (` ELECTRONICS ` → `Electronics`).
CREATE OR REPLACE MACRO sl_label(v) AS upper(sl_clean(v)[1]) || lower(sl_clean(v)[2:]);

-- Numbers: `$1,234.50`, ` 12 `, `12.0`; no decimal comma. NULL when not a number.
CREATE OR REPLACE MACRO sl_money(v) AS try_cast(replace(replace(sl_clean(v), '$', ''), ',', '') AS DECIMAL(18, 2));
CREATE OR REPLACE MACRO sl_decimal(v) AS try_cast(replace(replace(sl_clean(v), '$', ''), ',', '') AS DOUBLE);
CREATE OR REPLACE MACRO sl_int(v) AS
  CASE WHEN sl_decimal(v) = trunc(sl_decimal(v)) AND abs(sl_decimal(v)) < 9e15 THEN sl_decimal(v)::BIGINT END;
-- A number was given but does not parse.
CREATE OR REPLACE MACRO sl_bad_number(v) AS sl_clean(v) IS NOT NULL AND sl_decimal(v) IS NULL;

-- Timestamps to UTC: ISO 8601 with Z or offset, `YYYY-MM-DD HH:MM[:SS]`, `MM/DD/YYYY HH:MM[:SS]`,
-- epoch seconds or milliseconds (> 1e11 means milliseconds).
CREATE OR REPLACE MACRO sl_ts_text(v) AS
  CASE
    WHEN regexp_full_match(v, '[0-9]{1,16}(\.[0-9]+)?') THEN
      CASE WHEN v::DOUBLE > 1e11 THEN make_timestamp((v::DOUBLE * 1000)::BIGINT)
           ELSE make_timestamp((v::DOUBLE * 1000000)::BIGINT) END
    WHEN regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)? ?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)')
      THEN timezone('UTC', try_cast(v AS TIMESTAMPTZ))
    WHEN regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?') THEN try_cast(v AS TIMESTAMP)
    WHEN regexp_full_match(v, '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?')
      THEN try_strptime(v, ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y'])
    WHEN regexp_full_match(v, '[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?')
      THEN try_strptime(v, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d'])
  END;
CREATE OR REPLACE MACRO sl_ts(v) AS sl_ts_text(sl_clean(v));
CREATE OR REPLACE MACRO sl_date(v) AS sl_ts(v)::DATE;

CREATE OR REPLACE MACRO sl_bool(v) AS
  CASE WHEN sl_lower(v) IN ('true', 't', 'yes', 'y', '1') THEN true
       WHEN sl_lower(v) IN ('false', 'f', 'no', 'n', '0') THEN false END;

-- Emails trimmed and lower-cased; one that is not an address becomes NULL (and is reported).
CREATE OR REPLACE MACRO sl_email_text(v) AS sl_lower(v);
CREATE OR REPLACE MACRO sl_email_valid(e) AS regexp_full_match(e, '[^@\s]+@[^@\s]+\.[^@\s.]+');
CREATE OR REPLACE MACRO sl_email(v) AS CASE WHEN sl_email_valid(sl_email_text(v)) THEN sl_email_text(v) END;
-- Phones keep their digits and a leading `+`.
CREATE OR REPLACE MACRO sl_phone(v) AS
  nullif(CASE WHEN sl_clean(v) LIKE '+%' THEN '+' ELSE '' END || regexp_replace(coalesce(sl_clean(v), ''), '[^0-9]', '', 'g'), '');

CREATE OR REPLACE MACRO sl_gender(v) AS
  CASE WHEN sl_lower(v) IS NULL THEN 'unknown'
       WHEN sl_lower(v) IN ('m', 'male', 'man') THEN 'male'
       WHEN sl_lower(v) IN ('f', 'female', 'woman') THEN 'female'
       ELSE 'other' END;

-- ISO 3166-1 alpha-2 for every country the data holds.
CREATE OR REPLACE MACRO sl_country(v) AS
  CASE upper(replace(replace(sl_clean(v), '.', ''), '  ', ' '))
    WHEN 'US' THEN 'US' WHEN 'USA' THEN 'US' WHEN 'UNITED STATES' THEN 'US' WHEN 'UNITED STATES OF AMERICA' THEN 'US'
    WHEN 'GB' THEN 'GB' WHEN 'UK' THEN 'GB' WHEN 'UNITED KINGDOM' THEN 'GB' WHEN 'GREAT BRITAIN' THEN 'GB'
    WHEN 'CA' THEN 'CA' WHEN 'CANADA' THEN 'CA'
    WHEN 'DE' THEN 'DE' WHEN 'GERMANY' THEN 'DE'
    WHEN 'FR' THEN 'FR' WHEN 'FRANCE' THEN 'FR'
    WHEN 'AU' THEN 'AU' WHEN 'AUSTRALIA' THEN 'AU'
    WHEN 'IN' THEN 'IN' WHEN 'INDIA' THEN 'IN'
    ELSE upper(sl_clean(v))
  END;

CREATE OR REPLACE MACRO sl_status(v) AS
  CASE sl_lower(v) WHEN 'canceled' THEN 'cancelled' ELSE sl_lower(v) END;

CREATE OR REPLACE MACRO sl_event_type(v) AS
  CASE replace(sl_lower(v), '-', '_')
    WHEN 'pageview' THEN 'page_view' WHEN 'view_item' THEN 'product_view'
    WHEN 'addtocart' THEN 'add_to_cart'
    ELSE replace(sl_lower(v), '-', '_')
  END;
