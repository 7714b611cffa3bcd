#!/bin/sh
# One-shot job (service temporal-admin-tools in docker-compose.yml): create the namespace the
# workers use when it is missing (temporalio/server, unlike the old auto-setup image, creates
# none), then register the custom search attributes the workflows set
# (workflows/ids.ts BATCH_SEARCH_ATTRIBUTES), so batches can be found in the UI with
# `BatchId = "..."` / `BatchDay = "..."`.
# Idempotent: an existing namespace is kept as it is, and "already exists" counts as success.
# Retries while the server is not up yet.
set -u

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# How long closed workflows stay visible in the UI; 24h was auto-setup's default.
RETENTION="${NAMESPACE_RETENTION:-24h}"
ATTEMPTS="${ATTEMPTS:-60}"

i=1
while [ "$i" -le "$ATTEMPTS" ]; do
  if ! temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
    created=$(temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS" 2>&1) ||
      echo "attempt $i/$ATTEMPTS: namespace $NAMESPACE not created at $ADDRESS: $created"
  fi
  if out=$(temporal operator search-attribute create \
      --name BatchId --type Keyword \
      --name BatchDay --type Keyword \
      --namespace "$NAMESPACE" --address "$ADDRESS" 2>&1); then
    echo "$out"
    echo "search attributes BatchId, BatchDay registered in namespace $NAMESPACE"
    exit 0
  fi
  if printf '%s' "$out" | grep -qi 'already exists'; then
    echo "search attributes BatchId, BatchDay already registered in namespace $NAMESPACE"
    exit 0
  fi
  echo "attempt $i/$ATTEMPTS: Temporal at $ADDRESS not ready: $out"
  i=$((i + 1))
  sleep 5
done
echo "giving up: could not register search attributes at $ADDRESS" >&2
exit 1
