-- A corrected delivery deletes the rows its predecessor staged; their pairs and verdicts go
-- with them, so no pair ever points at a record that is no longer there.
ALTER TABLE staging.match_pairs
  ADD CONSTRAINT match_pairs_conversion FOREIGN KEY (conversion_id) REFERENCES staging.conversions ON DELETE CASCADE,
  ADD CONSTRAINT match_pairs_broker FOREIGN KEY (broker_record_id) REFERENCES staging.broker_records ON DELETE CASCADE;
ALTER TABLE staging.broker_unmatched
  ADD CONSTRAINT broker_unmatched_broker FOREIGN KEY (broker_record_id) REFERENCES staging.broker_records ON DELETE CASCADE;

-- Which worker ran which step when: shows scale-out at work and what orchestration costs.
CREATE TABLE ops.batch_steps (
  batch_id     text NOT NULL,
  step         text NOT NULL,
  attempt      integer NOT NULL,
  worker       text NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz NOT NULL,
  PRIMARY KEY (batch_id, step, attempt)
);
