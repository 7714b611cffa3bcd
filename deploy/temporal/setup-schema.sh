#!/bin/sh
# One-shot job (service temporal-schema in docker-compose.yml), run on every `docker compose up`
# before the server starts: creates Temporal's two databases when they are missing and brings
# their schemas up to the version this admin-tools image ships (/etc/temporal/schema).
#
# Every step is idempotent, which is what makes this job the upgrade path too:
#   create         an existing database counts as created;
#   setup-schema   only creates the version tables and records 0.0 on a database that has none;
#   update-schema  applies the versioned steps newer than the one the database records, in order.
# So a new server version migrates by raising the server and admin-tools tags together: this job
# runs the new image's steps, and the new server starts only once it exited 0.
#
# Connection: SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (read by temporal-sql-tool).
set -eu

SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"

for pair in temporal:temporal temporal_visibility:visibility; do
  db="${pair%%:*}"
  dir="$SCHEMA_DIR/${pair#*:}/versioned"
  echo "schema of $db: $dir"
  temporal-sql-tool --db "$db" create
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$dir"
done
echo "Temporal schemas are at the version of this admin-tools image"
