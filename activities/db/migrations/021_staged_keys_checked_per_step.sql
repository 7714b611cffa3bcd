-- Normalize copies a delivery straight into staging and settles afterwards, inside its own
-- transaction, the rows that share a key: lines the file repeats, and rows other batches
-- staged under keys this batch delivers again. The keys stay unique; they are checked when
-- normalize says so (SET CONSTRAINTS ... IMMEDIATE at the end of each source), not per row.
-- Nothing uses them as an ON CONFLICT arbiter or a foreign key target (migration 007).
ALTER TABLE staging.conversions
  DROP CONSTRAINT conversions_pkey,
  ADD CONSTRAINT conversions_pkey PRIMARY KEY (conversion_id) DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE staging.broker_records
  DROP CONSTRAINT broker_records_pkey,
  ADD CONSTRAINT broker_records_pkey PRIMARY KEY (broker_record_id) DEFERRABLE INITIALLY IMMEDIATE;
