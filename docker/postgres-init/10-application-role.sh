#!/bin/sh
# Runs once, when the postgres container initialises an empty pgdata volume (docker-entrypoint-initdb.d).
# Creates the role the API and the worker connect as (DATABASE_URL): it owns nothing, so it cannot
# ALTER a table or DISABLE TRIGGER; the migrations (run as POSTGRES_USER, the owner) grant it what
# it needs (migrations/1795452000000-ApplicationRoleGrants.ts).
# An existing volume (made before this script): run once
#   docker compose exec postgres psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
#     -c "CREATE ROLE tdc_app LOGIN PASSWORD '<POSTGRES_APP_PASSWORD>'"
# (ALTER ROLE tdc_app LOGIN PASSWORD '…' if the API's migrations already created it without login).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE tdc_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
SQL
