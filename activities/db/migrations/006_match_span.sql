-- Matching works day by day, each day with a model fitted on the week around it. A batch
-- re-matches every day whose model its rows feed, and publish rewrites exactly that span.
ALTER TABLE ops.batches
  ADD COLUMN match_from timestamptz,
  ADD COLUMN match_to   timestamptz;

CREATE TABLE ops.match_models (
  day         date PRIMARY KEY,
  model       jsonb NOT NULL,
  batch_id    text NOT NULL,
  fitted_at   timestamptz NOT NULL DEFAULT now()
);

-- Models now live per day (ops.match_models).
ALTER TABLE ops.match_runs DROP COLUMN model;
