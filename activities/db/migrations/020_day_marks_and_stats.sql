-- Match and publish redo only the days that changed (issue 11). A backfill's daily batches
-- each re-matched nine days under one global lock and recounted fifteen days' statistics from
-- staging: 25 batches took 49 s where one run over the same files took 7.9 s.

-- Days a stage has to redo: normalize marks the days whose staged rows changed (for match),
-- match the days it re-matched (for publish). One row per mark, never updated, so marking
-- never waits for a step that is taking older marks; a step deletes the marks it handled in
-- the transaction that handles them.
CREATE TABLE IF NOT EXISTS ops.dirty_days (
  id         bigserial PRIMARY KEY,
  stage      text NOT NULL CHECK (stage IN ('match', 'publish')),
  day        date NOT NULL,
  batch_id   text NOT NULL,
  marked_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS dirty_days_stage ON ops.dirty_days (stage, day);

-- The counts each day's model is fitted from (LagStats), as match last computed them. Valid
-- while no mark within a day of it is pending: match recomputes the days around the marks it
-- takes and reads the rest from here. json, not jsonb: the text comes back exactly as written,
-- object keys in their order, so a cached day sums to the same model as a recounted one.
CREATE TABLE IF NOT EXISTS ops.day_stats (
  day          date PRIMARY KEY,
  stats        json NOT NULL,
  computed_at  timestamptz NOT NULL DEFAULT now()
);

-- Databases matched before this migration have no marks: their matches and publishes are done.
