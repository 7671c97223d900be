#!/usr/bin/env bash
# Run once by the postgres image on an empty volume (docker-entrypoint-initdb.d), as the superuser: the roles the
# launcher makes too (infra/.../PostgresServer.ownDatabase). One database per service (each migrates its own), the
# registry's, and the walkthrough's warehouse; each owned by a role of its own (no superuser, no createdb/createrole)
# that is the only one besides the superuser allowed to connect to it. The passwords come from docker-compose.yml.
set -euo pipefail

own() { # database role password
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v db="$1" -v role="$2" -v pw="$3" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'pw';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
}

own connection connection_service "$CONNECTION_DB_PASSWORD"
own schema schema_service "$SCHEMA_DB_PASSWORD"
own sync sync_service "$SYNC_DB_PASSWORD"
own rejects rejects_service "$REJECTS_DB_PASSWORD"
own registry registry "$REGISTRY_DB_PASSWORD"
own warehouse warehouse "$WAREHOUSE_PASSWORD"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -c 'REVOKE ALL ON DATABASE postgres, template1 FROM PUBLIC'
