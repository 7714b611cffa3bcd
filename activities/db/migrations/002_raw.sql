-- raw: every row exactly as delivered (all text), with lineage back to file and line.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE raw.conversions (
  batch_id              text NOT NULL,
  file_name             text NOT NULL,
  file_sha256           text NOT NULL,
  line_no               integer NOT NULL,
  field_count           integer NOT NULL,
  id                    text,
  session_id            text,
  country_name          text,
  is_mobile             text,
  ui_element            text,
  created_at            text,
  measurement_category  text,
  PRIMARY KEY (batch_id, line_no)
);

CREATE TABLE raw.broker_records (
  batch_id              text NOT NULL,
  file_name             text NOT NULL,
  file_sha256           text NOT NULL,
  line_no               integer NOT NULL,
  field_count           integer NOT NULL,
  "timestamp"           text,
  country_residency     text,
  ip_country            text,
  important_score       text,
  PRIMARY KEY (batch_id, line_no)
);

CREATE TABLE raw.page_category_mapping (
  batch_id              text NOT NULL,
  file_name             text NOT NULL,
  file_sha256           text NOT NULL,
  line_no               integer NOT NULL,
  field_count           integer NOT NULL,
  page_category         text,
  measurement_category  text,
  PRIMARY KEY (batch_id, line_no)
);
