#!/usr/bin/env bash
# Run ADL's xAPI LRS conformance suite against a throwaway node, for xAPI 1.0.3 and 2.0.0.
#
#   XAPI_CONFORMANCE_SUITE=/path/to/lrs-conformance-test-suite bench/records/conformance.sh
#
# The suite is not part of EduBridge (and is never committed): clone
# https://github.com/adlnet/lrs-conformance-test-suite outside the project and run `npm install`
# in it. Without it this script says so and exits 0 ("skipped"), so `make conformance-xapi` is safe
# on machines that do not have it. Versions to run: XAPI_VERSIONS="1.0.3 2.0.0" (default).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SUITE="${XAPI_CONFORMANCE_SUITE:-}"
PORT="${XAPI_CONFORMANCE_PORT:-8077}"
VERSIONS="${XAPI_VERSIONS:-1.0.3 2.0.0}"
EDUBRIDGE="${EDUBRIDGE:-$ROOT/.venv/bin/edubridge}"

if [[ -z "$SUITE" || ! -f "$SUITE/bin/console_runner.js" ]]; then
  echo "xAPI conformance suite not found: set XAPI_CONFORMANCE_SUITE to a checkout of"
  echo "adlnet/lrs-conformance-test-suite (with npm install done). Skipped; nothing was tested."
  exit 0
fi
if [[ ! -d "$SUITE/node_modules" ]]; then
  echo "The suite at $SUITE has no node_modules: run 'npm install' there first." >&2
  exit 2
fi
command -v node >/dev/null || { echo "node is not installed; the suite needs Node.js." >&2; exit 2; }

DATA="$(mktemp -d -t edubridge-xapi-conformance-XXXXXX)"
SECRET="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
export EDUBRIDGE_DATA_DIR="$DATA" EDUBRIDGE_BASE_URL="http://127.0.0.1:$PORT"
unset DATABASE_URL
"$EDUBRIDGE" migrate -v0
"$EDUBRIDGE" xapi_credential --name "conformance suite" --key conformance --secret "$SECRET" >/dev/null
"$EDUBRIDGE" serve --port "$PORT" --no-worker --no-migrate >"$DATA/serve.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/xapi/about" && break
  sleep 0.5
done
# Warm every web worker before the suite starts: the suite calibrates its clock against the
# `stored` time of its first statement, and a cold worker's first request (seconds on a loaded
# machine) would skew every later since/until it computes.
# Requests in parallel, so that every worker gets some.
for _ in 1 2 3; do
  warming=()
  for _ in $(seq 1 6); do
    curl -s -o /dev/null --max-time 60 -u "conformance:$SECRET" -H "X-Experience-API-Version: 1.0.3" \
      "http://127.0.0.1:$PORT/xapi/statements?limit=1" &
    warming+=($!)
  done
  wait "${warming[@]}" || true
done

status=0
for version in $VERSIONS; do
  echo "== xAPI $version =="
  log="$DATA/suite-$version.txt"
  (cd "$SUITE" && node bin/console_runner.js -e "http://127.0.0.1:$PORT/xapi" -a \
    -u conformance -p "$SECRET" -x "$version") >"$log" 2>&1 || true
  summary="$(grep -o '{"total":[^}]*}' "$log" | tail -1)"
  echo "${summary:-no summary: see the suite output below}"
  [[ -z "$summary" ]] && tail -20 "$log"
  run_log="$(grep -o 'Full run log written to .*' "$log" | sed 's/Full run log written to //' || true)"
  [[ -n "$run_log" ]] && echo "full log: $run_log"
  if [[ -z "$summary" || "$summary" != *'"failed":0'* ]]; then status=1; fi
done
exit $status
