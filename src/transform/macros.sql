-- Cleansing functions of DATA-CONTRACT.md §3 as DuckDB macros, so every model applies them
-- inside SQL. sl_clean takes a raw bronze value; every other macro takes text that has
-- already been through sl_clean. Models clean each column once in a first CTE and parse
-- in the next: a macro argument is inlined wherever the macro names it, so passing
-- sl_clean(x) straight into a parser would repeat the cleaning a dozen times per value.

-- Null tokens and padding. list_contains rather than IN: DuckDB turns an IN list of six or
-- more constants into a join, which costs more than the rest of the cleaning together.
-- trim() strips every Unicode space separator and costs more than a plain copy of the
-- value, so most values skip it: one of ASCII only (strlen = length), longer than any null
-- token and not starting or ending with a space is returned as it is.
CREATE OR REPLACE MACRO sl_clean(v) AS
  CASE WHEN strlen(v) > 4 AND strlen(v) = length(v) AND NOT starts_with(v, ' ') AND NOT ends_with(v, ' ') THEN v
       WHEN list_contains(['', 'NULL', 'null', 'None', 'N/A', 'n/a', 'NaN', '-', '?'], trim(v)) THEN NULL
       ELSE trim(v) END;

-- A dimension's surrogate key from its natural key (and version): the same row gets the same
-- key in every build, so a new customer or version moves no other key and facts already
-- published stay as they are (a warehouse that loads incrementally ships only what changed).
-- 52 bits of MD5: a positive integer exact in JavaScript; the key's unique test catches a collision.
CREATE OR REPLACE MACRO sl_surrogate_key(natural_key) AS ('0x' || left(md5(natural_key), 13))::BIGINT;

-- One row of a staging model as one BIGINT, ordered as (file, line): its ledger sequence in
-- the high 31 bits, its line in the low 32 (a file of more than 4 billion lines would collide).
CREATE OR REPLACE MACRO sl_row_key(file_seq, line) AS (file_seq::BIGINT << 32) + line::BIGINT;

-- The calendar's key of a date or timestamp (20240315). By arithmetic: formatting the date
-- as text and casting it back costs far more on millions of events.
CREATE OR REPLACE MACRO sl_date_key(d) AS (year(d) * 10000 + month(d) * 100 + day(d))::INTEGER;

-- Categorical labels people read (`ELECTRONICS` → `Electronics`).
CREATE OR REPLACE MACRO sl_label(c) AS upper(c[1]) || lower(c[2:]);

-- Numbers: `$1,234.50`, `12`, `12.0`; no decimal comma. NULL when not a number.
CREATE OR REPLACE MACRO sl_number_text(c) AS replace(replace(c, '$', ''), ',', '');
CREATE OR REPLACE MACRO sl_money(c) AS try_cast(sl_number_text(c) AS DECIMAL(18, 2));
CREATE OR REPLACE MACRO sl_decimal(c) AS try_cast(sl_number_text(c) AS DOUBLE);
-- A whole number (`12.0` counts); NULL for `12.5` or text.
CREATE OR REPLACE MACRO sl_int(c) AS
  CASE WHEN sl_decimal(c) = trunc(sl_decimal(c)) AND abs(sl_decimal(c)) < 9e15 THEN sl_decimal(c)::BIGINT END;

-- Timestamps to UTC: ISO 8601 with Z or an offset, `YYYY-MM-DD HH:MM[:SS]`, `MM/DD/YYYY HH:MM[:SS]`,
-- `YYYY/MM/DD`, epoch seconds or milliseconds (> 1e11 means milliseconds). The shape is told
-- by a character or two, not by regular expressions: a failing try_strptime or a
-- TIMESTAMPTZ cast costs many times a TIMESTAMP cast, so each is only tried on its shape.
CREATE OR REPLACE MACRO sl_ts(c) AS
  CASE
    WHEN c IS NULL THEN NULL
    WHEN c[5] = '-' THEN
      CASE WHEN c[-1] IN ('Z', 'z') THEN try_cast(c AS TIMESTAMP)
           WHEN c[-6] IN ('+', '-') OR c[-5] IN ('+', '-') OR c[-3] IN ('+', '-') THEN timezone('UTC', try_cast(c AS TIMESTAMPTZ))
           ELSE try_cast(c AS TIMESTAMP) END
    WHEN c[2] = '/' OR c[3] = '/' THEN try_strptime(c, ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y'])
    WHEN c[5] = '/' THEN try_strptime(c, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d'])
    WHEN try_cast(c AS DOUBLE) IS NOT NULL THEN
      CASE WHEN c::DOUBLE > 1e11 THEN make_timestamp((c::DOUBLE * 1000)::BIGINT)
           ELSE make_timestamp((c::DOUBLE * 1000000)::BIGINT) END
  END;
CREATE OR REPLACE MACRO sl_date(c) AS sl_ts(c)::DATE;

CREATE OR REPLACE MACRO sl_bool(c) AS
  CASE WHEN lower(c) IN ('true', 't', 'yes', 'y', '1') THEN true
       WHEN lower(c) IN ('false', 'f', 'no', 'n', '0') THEN false END;

-- Emails lower-cased; one that is not an address becomes NULL (and is reported).
CREATE OR REPLACE MACRO sl_email_valid(c) AS regexp_full_match(lower(c), '[^@\s]+@[^@\s]+\.[^@\s.]+');
CREATE OR REPLACE MACRO sl_email(c) AS CASE WHEN sl_email_valid(c) THEN lower(c) END;
-- Phones keep their digits and a leading `+`.
CREATE OR REPLACE MACRO sl_phone(c) AS
  nullif(CASE WHEN c[1] = '+' THEN '+' ELSE '' END || regexp_replace(coalesce(c, ''), '[^0-9]', '', 'g'), '');

CREATE OR REPLACE MACRO sl_gender(c) AS
  CASE WHEN c IS NULL THEN 'unknown'
       WHEN lower(c) IN ('m', 'male', 'man') THEN 'male'
       WHEN lower(c) IN ('f', 'female', 'woman') THEN 'female'
       ELSE 'other' END;

-- ISO 3166-1 alpha-2 for every country the data holds.
CREATE OR REPLACE MACRO sl_country(c) AS
  CASE upper(replace(c, '.', ''))
    WHEN 'US' THEN 'US' WHEN 'USA' THEN 'US' WHEN 'UNITED STATES' THEN 'US' WHEN 'UNITED STATES OF AMERICA' THEN 'US'
    WHEN 'GB' THEN 'GB' WHEN 'UK' THEN 'GB' WHEN 'UNITED KINGDOM' THEN 'GB' WHEN 'GREAT BRITAIN' THEN 'GB'
    WHEN 'CA' THEN 'CA' WHEN 'CANADA' THEN 'CA'
    WHEN 'DE' THEN 'DE' WHEN 'GERMANY' THEN 'DE'
    WHEN 'FR' THEN 'FR' WHEN 'FRANCE' THEN 'FR'
    WHEN 'AU' THEN 'AU' WHEN 'AUSTRALIA' THEN 'AU'
    WHEN 'IN' THEN 'IN' WHEN 'INDIA' THEN 'IN'
    ELSE upper(c)
  END;

CREATE OR REPLACE MACRO sl_status(c) AS
  CASE lower(c) WHEN 'canceled' THEN 'cancelled' ELSE lower(c) END;

CREATE OR REPLACE MACRO sl_event_type(c) AS
  CASE replace(lower(c), '-', '_')
    WHEN 'pageview' THEN 'page_view' WHEN 'view_item' THEN 'product_view'
    WHEN 'addtocart' THEN 'add_to_cart'
    ELSE replace(lower(c), '-', '_')
  END;

-- Silver's "latest version wins": one row per key of a staging table's accepted rows, the
-- one with the latest `version_column` (NULL: none), then the file ingested last, then the
-- later line; lineage columns as silver keeps them, the file's name and batch from
-- bronze_files (staging carries only _file_seq). The winner of each key is chosen on a
-- narrow projection (its row key and the ordering), then its full row fetched: much
-- cheaper than a window over every column. A row key of its own, not rowid: the staging
-- table is a table here, a Parquet file on a worker. Built as text so the key columns and
-- the ordering are the plain columns a hand-written query would group and compare.
CREATE OR REPLACE MACRO sl_latest_version(stg, keys, version_column) AS TABLE FROM query(
  'SELECT s.* EXCLUDE (_reject_reason, _reject_detail, _line, _file_seq), f._source_file, s._line, s._file_seq, f._batch_id'
  || ' FROM ' || stg || ' s JOIN bronze_files f USING (_file_seq) SEMI JOIN (SELECT '
  || CASE WHEN version_column IS NULL THEN 'max(sl_row_key(_file_seq, _line))'
     ELSE 'arg_max(sl_row_key(_file_seq, _line), row(coalesce(' || version_column
       || ', TIMESTAMP ''-infinity''), _file_seq, _line))' END
  || ' AS winner FROM ' || stg || ' WHERE _reject_reason IS NULL GROUP BY ' || array_to_string(keys, ', ')
  || ') w ON sl_row_key(s._file_seq, s._line) = w.winner');

-- Duplicates in one entity: staged rows that copy another row exactly, and rows a later
-- version of the same key replaced. Rows are compared by a 64-bit hash of their business
-- columns: far cheaper than DISTINCT * on millions of rows; a collision miscounts by one.
CREATE OR REPLACE MACRO sl_duplicate_counts(entity_name, stg, silver) AS TABLE
  SELECT entity_name AS entity,
         count(*) - count(DISTINCT hash(*COLUMNS(* EXCLUDE (_reject_reason, _reject_detail, _line, _file_seq)))) AS exact_duplicates,
         count(DISTINCT hash(*COLUMNS(* EXCLUDE (_reject_reason, _reject_detail, _line, _file_seq))))
           - (SELECT count(*) FROM query_table(silver)) AS superseded_versions
  FROM query_table(stg) WHERE _reject_reason IS NULL;
