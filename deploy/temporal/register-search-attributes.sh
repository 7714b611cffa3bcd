#!/bin/sh
# One-shot job (service temporal-admin-tools in docker-compose.yml): register the custom
# search attributes the workflows set (infra/temporal-dev-server.ts SEARCH_ATTRIBUTES), so
# batches can be found in the UI with `BatchId = "..."` / `BatchDay = "..."`.
# Idempotent: "already exists" counts as success. Retries while the server, or the default
# namespace that auto-setup registers after start, is not up yet.
set -u

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
ATTEMPTS="${ATTEMPTS:-60}"

i=1
while [ "$i" -le "$ATTEMPTS" ]; do
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
