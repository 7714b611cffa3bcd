-- staging: typed and normalized; rows that cannot be typed are in quarantine with the reason.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE staging.page_categories (
  measurement_category  text PRIMARY KEY,
  page_category         text NOT NULL,
  batch_id              text NOT NULL
);

CREATE TABLE staging.conversions (
  conversion_id         text PRIMARY KEY,
  batch_id              text NOT NULL,
  line_no               integer NOT NULL,
  session_id            text,
  clicked_at            timestamptz NOT NULL,
  country_name          text NOT NULL,
  country_code          text,
  is_mobile             boolean NOT NULL,
  ui_element            text NOT NULL,
  measurement_category  text NOT NULL,
  page_category         text NOT NULL,
  flags                 text[] NOT NULL
);
CREATE INDEX conversions_clicked_at ON staging.conversions (clicked_at);
CREATE INDEX conversions_batch ON staging.conversions (batch_id);

CREATE TABLE staging.broker_records (
  broker_record_id        text PRIMARY KEY,
  batch_id                text NOT NULL,
  line_no                 integer NOT NULL,
  registered_at           timestamptz NOT NULL,
  residency_raw           text NOT NULL,
  ip_country_raw          text NOT NULL,
  residency_country_code  text,
  ip_country_code         text,
  important_score         integer,
  flags                   text[] NOT NULL
);
CREATE INDEX broker_records_registered_at ON staging.broker_records (registered_at);
CREATE INDEX broker_records_batch ON staging.broker_records (batch_id);

CREATE TABLE staging.quarantine (
  batch_id    text NOT NULL,
  source      text NOT NULL,
  line_no     integer NOT NULL,
  reason      text NOT NULL,
  raw         jsonb NOT NULL,
  PRIMARY KEY (batch_id, source, line_no)
);

-- One row per linked pair, with the evidence that made it (explanations for issue 3).
CREATE TABLE staging.match_pairs (
  conversion_id     text PRIMARY KEY,
  broker_record_id  text NOT NULL UNIQUE,
  lag_seconds       integer NOT NULL,
  country_level     text NOT NULL,
  weight            double precision NOT NULL,
  match_probability double precision NOT NULL,
  margin            double precision,
  batch_id          text NOT NULL
);

CREATE TABLE staging.broker_unmatched (
  broker_record_id  text PRIMARY KEY,
  reason            text NOT NULL,
  batch_id          text NOT NULL
);
