#!/usr/bin/env bash
# Fuzz the running service with schemathesis (outside CI: it takes minutes): valid-looking
# bodies generated from the OpenAPI document, sent with a coordinator key so that writes and
# leads are exercised past the access check. Counts the requests the server answered and its
# 5xx answers from the server's own access log: the target is 0 5xx in >= 10,000 requests.
#
#   benchmarks/fuzz.sh                 # about 10,000+ requests (EXAMPLES=500 per operation)
#   EXAMPLES=50 benchmarks/fuzz.sh     # a quick run
#   MODE=all WORKERS=2 benchmarks/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
EXAMPLES=${EXAMPLES:-500}
MODE=${MODE:-positive}
WORKERS=${WORKERS:-2}
PORT=${PORT:-$($BIN/python -c "from tests.server_process import free_port; print(free_port())")}
TMP=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$TMP"' EXIT
export DATABASE_URL="sqlite:///$TMP/fuzz.sqlite"
# the fuzzer sends everything from one address: the per-client limits would answer 429
export KAINUU_RATE_LIMIT_ANONYMOUS=100000000/minute KAINUU_RATE_LIMIT_KEY=100000000/minute
export KAINUU_RATE_LIMIT_AUTH_FAILURES=100000000/minute
KEY=$($BIN/kainuu-match keys create --role coordinator --label fuzz 2>/dev/null)
$BIN/kainuu-match serve --port "$PORT" --workers "$WORKERS" --log-level info >"$TMP/access.log" 2>"$TMP/server.err" &
SERVER=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.5; done
start=$(date +%s)
set +e
$BIN/schemathesis run "http://127.0.0.1:$PORT/openapi.json" -H "X-API-Key: $KEY" --mode "$MODE" \
    --max-examples "$EXAMPLES" --checks not_a_server_error --continue-on-failure --no-shrink \
    --seed "${SEED:-11}" --request-timeout 120 --suppress-health-check all --no-color >"$TMP/schemathesis.out" 2>&1
status=$?
set -e
secs=$(( $(date +%s) - start ))
requests=$(grep -c '" [0-9][0-9][0-9]' "$TMP/access.log" || true)
errors=$(grep -cE '" 5[0-9][0-9]' "$TMP/access.log" || true)
tail -25 "$TMP/schemathesis.out"
echo "---"
echo "requests answered: $requests in ${secs} s (mode $MODE, $EXAMPLES examples per operation, $WORKERS workers)"
echo "5xx answers: $errors"
grep -E '" 5[0-9][0-9]' "$TMP/access.log" | head -20 || true
grep -B2 -A12 Traceback "$TMP/server.err" | head -60 || true
[ "$errors" = 0 ] && [ "$status" = 0 ]
