#!/usr/bin/env bash
# The ingestion benchmark of the README's performance section (issue 2):
# starts the gateway on a fresh embedded PostgreSQL (heap capped at 512 MiB), then drives it over
# MQTT with `gardien-sim load` in three runs, each followed by a plain COPY of the same rows into
# the same database for comparison:
#   1. packs of 50 records, QoS 1, 100 connections, as fast as acknowledgements allow;
#   2. one record per message, QoS 1, 100 connections, as fast as acknowledgements allow;
#   3. packs of 50 at half the rate measured in run 1, for the PUBACK latency.
# Each run prints its slowest 1 s window, how often a writer transaction waited for a lock (sampled
# in pg_stat_activity every 100 ms), and how long after its last acknowledgement the rollups were
# current (the rollup log empty). At the end: the rule engine's and the rollups' own counters.
# Options: --duration D (default 60s per run), --connections N (default 100), --keep (keep the data dir).
# GARDIEN_BENCH_JAVA_OPTS adds JVM options to the gateway (e.g. -XX:StartFlightRecording=filename=/tmp/g.jfr).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=60s
CONNECTIONS=100
KEEP=0
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_options "" --duration=DURATION --connections=CONNECTIONS --keep=KEEP=1 -- "$@"
JAVA="${JAVA:-java}"
WORK="$(mktemp -d /tmp/gardien-bench.XXXXXX)"
SITES=100
HTTP_PORT=18080
MQTT_PORT=11883

# shellcheck source=bench/portfolio.sh
source "$ROOT/bench/portfolio.sh"
bench_portfolio "$SITES" "$WORK/portfolio.yaml"
cat > "$WORK/gardien.yaml" <<YAML
data.dir: $WORK/data
http.port: $HTTP_PORT
mqtt.port: $MQTT_PORT
coap.dtls-port: 0
portfolio: $WORK/portfolio.yaml
YAML

if curl -fsS -o /dev/null "http://localhost:$HTTP_PORT/health/live" 2>/dev/null; then
  echo "something already answers on port $HTTP_PORT (another gateway?): stop it first" >&2; exit 1
fi
"$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC ${GARDIEN_BENCH_JAVA_OPTS:-} -jar "$ROOT/gateway/target/gardien-gateway.jar" --config "$WORK/gardien.yaml" \
  > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
cleanup() {
  kill "$GATEWAY_PID" 2>/dev/null || true
  wait "$GATEWAY_PID" 2>/dev/null || true
  if [[ $KEEP == 0 ]]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

bench_await "the gateway" "$GATEWAY_PID" "$WORK/gateway.log" 180 curl -fsS "http://localhost:$HTTP_PORT/health/ready"
DB_URL="$(grep -o 'url: jdbc:postgresql://[^],]*' "$WORK/gateway.log" | head -1 | sed 's/^url: //')"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo " (with uncommitted changes)"), $(date -u +%Y-%m-%dT%H:%MZ), load average before: $(cut -d" " -f1-3 /proc/loadavg)"
echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo "$(grep -o 'database: PostgreSQL.*' "$WORK/gateway.log" | head -1)"
echo

load() {
  "$JAVA" -jar "$ROOT/device-sim/target/gardien-sim.jar" load --mqtt "tcp://localhost:$MQTT_PORT" \
    --portfolio "$WORK/portfolio.yaml" --connections "$CONNECTIONS" --duration "$DURATION" --warmup 10s \
    --metrics-url "http://localhost:$HTTP_PORT/metrics" --db-url "$DB_URL" --db-user postgres --db-password postgres "$@"
}

echo "=== run 1: packs of 50 records, QoS 1, $CONNECTIONS connections, max rate"
load --pack-size 50 --qos 1 --json > "$WORK/run1.json"
echo
echo "=== run 2: one record per message, QoS 1, $CONNECTIONS connections, max rate"
load --pack-size 1 --qos 1
echo
MAX_RATE="$(grep -o '"readingsPerSecond":[0-9.]*' "$WORK/run1.json" | cut -d: -f2 | cut -d. -f1)"
HALF=$((MAX_RATE / 2))
echo "=== run 3: packs of 50 records, QoS 1, $CONNECTIONS connections, at half the maximum: $HALF readings/s"
load --pack-size 50 --qos 1 --rate "$HALF"
echo
echo "=== the gateway's own counters over the three runs (plus warm-ups): readings committed, evaluated by the rules"
echo "    (and dropped by them if any), alert transitions, rollup backlog"
curl -fsS "http://localhost:$HTTP_PORT/metrics" | grep -E '^gardien_ingest_readings_total\{outcome="committed"|^gardien_rules_readings|^gardien_alerts_transitions_total|^gardien_rollup_' || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
