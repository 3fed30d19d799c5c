#!/bin/sh
# Creates (or upgrades) Temporal's two PostgreSQL databases with the server's own schema tool: the default store and
# the visibility store. Idempotent: create-database tolerates an existing database, setup-schema -v 0.0 only adds the
# version table, and update-schema applies just the versions not yet applied, so the same script upgrades the schema
# after a server version bump. Run by dev/services/temporal-cluster.ts (natively) and by the temporal-schema service
# of docker-compose.yml, with the schemas embedded in the tool (no schema/ directory needed).
#
# Environment: SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (read by the tool itself); TEMPORAL_SQL_TOOL (default
# temporal-sql-tool, as in temporalio/admin-tools); TEMPORAL_DB_NAME, TEMPORAL_VISIBILITY_DB_NAME.
set -eu

tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
export SQL_PLUGIN=postgres12

setup() {
  database="$1"
  schema="$2"
  "$tool" --db "$database" create-database 2>&1 | grep -v 'already exists' || true
  "$tool" --db "$database" setup-schema -v 0.0
  "$tool" --db "$database" update-schema --schema-name "postgresql/v12/$schema"
}

setup "${TEMPORAL_DB_NAME:-temporal}" temporal
setup "${TEMPORAL_VISIBILITY_DB_NAME:-temporal_visibility}" visibility
echo "temporal schemas ready"
