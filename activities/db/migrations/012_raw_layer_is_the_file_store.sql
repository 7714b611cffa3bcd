-- The raw layer is the delivered file itself, kept by content in the file store
-- (activities/ingest/file-store.ts), plus the raw text of every quarantined row: a row is
-- written once, typed, into staging. The raw tables were a second full write of every row,
-- each with its own index, read back out again to be validated.
DROP SCHEMA IF EXISTS raw CASCADE;

-- Known once normalize has read the file; ingest no longer parses it.
ALTER TABLE ops.batch_files ALTER COLUMN rows_read DROP NOT NULL;
