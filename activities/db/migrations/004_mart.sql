-- mart: the unified dataset of docs/interface.md, one row per distinct conversion and one per
-- broker record that matched none.
CREATE SCHEMA IF NOT EXISTS mart;

CREATE TABLE mart.user_journey (
  match_status            text NOT NULL CHECK (match_status IN ('matched', 'conversion_only', 'broker_only')),
  conversion_id           text UNIQUE,
  session_id              text,
  clicked_at              timestamptz,
  country_code            text,
  is_mobile               boolean,
  ui_element              text,
  measurement_category    text,
  page_category           text,
  broker_record_id        text UNIQUE,
  registered_at           timestamptz,
  residency_country_code  text,
  ip_country_code         text,
  important_score         integer,
  lag_seconds             integer,
  match_probability       double precision,
  flags                   text[] NOT NULL,
  -- lineage: the batch whose publish wrote this row
  batch_id                text NOT NULL,
  CHECK (conversion_id IS NOT NULL OR broker_record_id IS NOT NULL)
);
CREATE INDEX user_journey_clicked_at ON mart.user_journey (clicked_at);
CREATE INDEX user_journey_registered_at ON mart.user_journey (registered_at);
