-- ops: what ran, on which files, with which outcome and quality figures.
CREATE SCHEMA IF NOT EXISTS ops;

CREATE TABLE ops.batches (
  batch_id      text PRIMARY KEY,
  status        text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  step          text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  error         text,
  -- the time span the batch's rows cover: match and publish rework exactly this span
  window_from   timestamptz,
  window_to     timestamptz,
  summary       jsonb
);

CREATE TABLE ops.batch_files (
  batch_id      text NOT NULL REFERENCES ops.batches ON DELETE CASCADE,
  source        text NOT NULL CHECK (source IN ('conversions', 'broker', 'mapping')),
  file_name     text NOT NULL,
  file_sha256   text NOT NULL,
  bytes         bigint NOT NULL,
  header_fields integer NOT NULL,
  rows_read     integer NOT NULL,
  PRIMARY KEY (batch_id, source)
);

CREATE TABLE ops.source_quality (
  batch_id      text NOT NULL REFERENCES ops.batches ON DELETE CASCADE,
  source        text NOT NULL,
  read          integer NOT NULL,
  accepted      integer NOT NULL,
  quarantined   integer NOT NULL,
  collapsed     integer NOT NULL DEFAULT 0,
  flags         jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (batch_id, source),
  CONSTRAINT accounting CHECK (read = accepted + quarantined)
);

CREATE TABLE ops.match_runs (
  batch_id                 text PRIMARY KEY REFERENCES ops.batches ON DELETE CASCADE,
  matched                  integer NOT NULL,
  broker_unmatched         integer NOT NULL,
  candidate_pairs          integer NOT NULL,
  estimated_false_matches  double precision NOT NULL,
  chance_pairs_at_shift    double precision NOT NULL,
  model                    jsonb NOT NULL,
  finished_at              timestamptz NOT NULL DEFAULT now()
);
