#!/usr/bin/env bash
# The long run of the fuzzing suite (README "Hardening"): FuzzIT against a gateway on a database of
# its own (the test support's embedded PostgreSQL), every device protocol in turn (MQTT 3.1.1 and 5,
# HTTP, SenML, CoAP, DTLS) in batches of 24 cases until the time is spent; then the figures: cases
# per protocol, crashes, connections left open, DTLS state, peak memory.
# Options: --minutes N (default 10), --seed S (default: the time), --cases N (instead of --minutes:
#          N cases per protocol), --max-sessions N (the gateway's coap.max-sessions, default 20000 as
#          in production; FuzzIT in the build uses 200).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MINUTES=10
SEED="$(date +%s)"
CASES=""
MAX_SESSIONS=20000
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_options "--minutes N, --seed S, --cases N" --minutes=MINUTES --seed=SEED --cases=CASES \
  --max-sessions=MAX_SESSIONS -- "$@"
[[ -z "$CASES" ]] || MINUTES="" # --cases counts instead of the time
[[ "$SEED" =~ ^-?[0-9]+$ ]] || { echo "gardien: --seed must be an integer" >&2; exit 2; }
[[ -z "$MINUTES" || "$MINUTES" =~ ^[0-9]+$ ]] || { echo "gardien: --minutes must be a whole number" >&2; exit 2; }
[[ -z "$CASES" || "$CASES" =~ ^[0-9]+$ ]] || { echo "gardien: --cases must be a whole number" >&2; exit 2; }
[[ "$MAX_SESSIONS" =~ ^[0-9]+$ ]] || { echo "gardien: --max-sessions must be a whole number" >&2; exit 2; }
REPORT="$ROOT/gateway/target/fuzz-report.txt"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with changes)')"
rm -f "$REPORT"
echo "gardien: fuzzing (seed $SEED, ${MINUTES:+$MINUTES min}${CASES:+$CASES cases per protocol}, coap.max-sessions $MAX_SESSIONS); load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
status=0
(cd "$ROOT" && mvn -B -q verify -pl gateway -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=FuzzIT#everyProtocolSurvivesItsCases \
  -Dfuzz.seed="$SEED" -Dfuzz.minutes="$MINUTES" -Dfuzz.cases="${CASES:-30}" -Dfuzz.max-sessions="$MAX_SESSIONS" \
  -Dfuzz.report="$REPORT") >/dev/null || status=$?
if [[ -f "$REPORT" ]]; then
  cat "$REPORT"
else
  echo "gardien: the fuzzing run gave no report; see gateway/target/failsafe-reports" >&2
fi
echo "commit $COMMIT, $(date -u +%Y-%m-%dT%H:%MZ), load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
exit $status
