-- PostgreSQL text cannot hold NUL: a delivered field that held one is stored with each NUL as
-- U+2400 (SYMBOL FOR NULL), and nul_fields names the row's columns that held one, so normalize
-- quarantines the row and a U+2400 the file itself contained is not taken for a NUL.
ALTER TABLE raw.conversions ADD COLUMN nul_fields text[];
ALTER TABLE raw.broker_records ADD COLUMN nul_fields text[];
ALTER TABLE raw.page_category_mapping ADD COLUMN nul_fields text[];
