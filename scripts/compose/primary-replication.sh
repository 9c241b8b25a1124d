#!/bin/sh
# Run once by the postgres image when it creates the cluster: let the optional `replica` service
# (docker compose --profile replica) stream from this primary with the application's credentials.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
