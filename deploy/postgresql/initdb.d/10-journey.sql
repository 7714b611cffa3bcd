-- The pipeline's own database, next to Temporal's `temporal` and `temporal_visibility`
-- (those are created by the temporal-schema job of docker-compose.yml) in the same PostgreSQL server.
--
-- Runs once, from /docker-entrypoint-initdb.d, when the postgresql-data volume is empty.
-- On an existing volume it is skipped: create the role and database by hand there.
-- The credentials must match DATABASE_URL of the worker in docker-compose.yml
-- (test/unit/deploy.test.ts checks that they do).
CREATE ROLE journey WITH LOGIN PASSWORD 'journey';
CREATE DATABASE journey OWNER journey;
-- PostgreSQL 15+ no longer lets every role create in schema public; as owner of the database,
-- journey owns public (pg_database_owner) and can create its raw/staging/mart/ops schemas.
