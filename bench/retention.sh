#!/usr/bin/env bash
# Measures one retention run against a running suite (./sextant run) on its SQLite files: stores
# N logs with the load generator, ages them out by setting the default logs policy to one minute,
# waits a minute, runs that policy now through the REST API, and prints the run's rows, bytes and
# duration with the size of logs.db (and its WAL) before and 10 s after. The policy is put back after.
#
#   bench/retention.sh [N=300000]
#
# Honours SEXTANT_DATA_DIR, SEXTANT_INGEST_GRPC_PORT and SEXTANT_RETENTION_HTTP_PORT as
# ./sextant run does. Needs curl and jq. Deletes every log in the suite's tenant `default`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-300000}
DATA=$(realpath -m "${SEXTANT_DATA_DIR:-./data}")
INGEST=127.0.0.1:${SEXTANT_INGEST_GRPC_PORT:-4317}
API=http://127.0.0.1:${SEXTANT_RETENTION_HTTP_PORT:-9190}/api/v1/retention
POLICY=default-logs

# The main file's size: deleted pages leave it once the checkpointer has copied the vacuum back.
bytes() { stat -c %s "$DATA/logs.db"; }
wal() { stat -c %s "$DATA/logs.db-wal" 2> /dev/null || echo 0; }

# set_age AGE: gives the default logs policy this max age, keeping the rest of it.
set_age() {
  local policy; policy=$(curl -sf "$API/policies/$POLICY")
  jq --arg age "$1" '{tenant, signal, selector, maxAge: $age, maxBytes, schedule, enabled, version}' \
    <<< "$policy" |
    curl -sf -X PUT -H 'Content-Type: application/json' --data-binary @- "$API/policies/$POLICY" |
    jq -c '{id, maxAge, version}'
}

"$ROOT/sextant" bench logs --rate 0 --total "$N" --target "$INGEST" | tail -n 4
original=$(curl -sf "$API/policies/$POLICY" | jq -r .maxAge)
set_age 1m
echo "waiting 65 s so every log is older than a minute"
sleep 65
before=$(bytes) wal_before=$(wal)
run=$(curl -sf -X POST "$API/runs?policy=$POLICY" | jq '.runs[0]')
sleep 10 # the checkpointer's period is seconds; the file shrinks when it copied the vacuum back
after=$(bytes) wal_after=$(wal)
set_age "$original" > /dev/null

jq -r --argjson before "$before" --argjson after "$after" \
  --arg wal "WAL $wal_before -> $wal_after bytes" '
  (((.finishedUnixNanos | tonumber) - (.startedUnixNanos | tonumber)) / 1e9) as $s
  | "run \(.id): \(.status), \(.rowsDeleted) logs (\(.bytesDeleted) bytes) deleted in \($s * 1000 | floor) ms = \(.rowsDeleted / $s | floor) rows/s",
    "logs.db: \($before) -> \($after) bytes (\(($before - $after) * 100 / $before | floor) % reclaimed), \($wal)"' \
  <<< "$run"
