-- A batch cancelled in Temporal (UI "Cancel", `temporal workflow cancel`) ends as 'cancelled':
-- it neither failed nor is it still running.
ALTER TABLE ops.batches DROP CONSTRAINT batches_status_check;
ALTER TABLE ops.batches ADD CONSTRAINT batches_status_check CHECK (status IN ('running', 'completed', 'failed', 'cancelled'));
