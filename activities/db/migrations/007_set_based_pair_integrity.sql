-- Pairs and verdicts follow the staged rows they point at, checked per statement instead of
-- per row. The foreign keys checked each inserted pair with a query of its own: 10 s of the
-- match step's 24 at 10x, for 530k pairs. Match is the only writer of these tables and builds
-- them from staged rows inside its own transaction, under the match lock; what the keys still
-- did was cascade deletes, which these statement-level triggers do in one set-based DELETE.
ALTER TABLE staging.match_pairs
  DROP CONSTRAINT match_pairs_conversion,
  DROP CONSTRAINT match_pairs_broker;
ALTER TABLE staging.broker_unmatched
  DROP CONSTRAINT broker_unmatched_broker;

CREATE FUNCTION staging.forget_pairs_of_conversions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM staging.match_pairs p USING gone g WHERE p.conversion_id = g.conversion_id;
  RETURN NULL;
END $$;

CREATE FUNCTION staging.forget_pairs_of_broker_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM staging.match_pairs p USING gone g WHERE p.broker_record_id = g.broker_record_id;
  DELETE FROM staging.broker_unmatched u USING gone g WHERE u.broker_record_id = g.broker_record_id;
  RETURN NULL;
END $$;

CREATE TRIGGER conversions_forget_pairs AFTER DELETE ON staging.conversions
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION staging.forget_pairs_of_conversions();
CREATE TRIGGER broker_records_forget_pairs AFTER DELETE ON staging.broker_records
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION staging.forget_pairs_of_broker_records();
