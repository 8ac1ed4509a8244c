#!/usr/bin/env bash
# The end-to-end alert benchmark of the README's performance section (issue 3):
# starts the gateway on a fresh embedded PostgreSQL (heap capped at 512 MiB) with the built-in
# rule catalog and a portfolio of $SITES sites, each with one device and a boiler of five points
# (supply_temp, return_temp, outdoor_temp, pressure, burner_on); drives it with
# `gardien-sim load` at 10,000 readings/s (packs of 10, QoS 1, one connection per device) as the
# mixed background load, and meanwhile probes it with `gardien-sim alert-latency`: one reading of
# supply_temp = 150 °C per boiler (the catalog's `sensor-impossible-heating`, raised at once),
# timing the alert's SSE event from the reading's PUBACK.
# The load sends one plausible fixed value per point (a boiler's supply between about 28 and
# 84 °C), which trips no rule held for less than 30 min; keep the run shorter than that.
# Options: --duration D (load measurement, default 60s), --probes N (default 200, one per site),
#          --interval D (between probes, default 200ms), --rate R (load readings/s, default 10000),
#          --keep (keep the data dir).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=60s
PROBES=200
INTERVAL=200ms
RATE=10000
KEEP=0
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_options "" --duration=DURATION --probes=PROBES --interval=INTERVAL --rate=RATE --keep=KEEP=1 -- "$@"
JAVA="${JAVA:-java}"
SIM=("$JAVA" -jar "$ROOT/device-sim/target/gardien-sim.jar")
WORK="$(mktemp -d /tmp/gardien-bench-alerts.XXXXXX)"
SITES=200
HTTP_PORT=18090
MQTT_PORT=11890
TOKEN=bench-admin-token
WARMUP=10s

# A portfolio of $SITES sites, each with one device and one boiler.
{
  echo "sites:"
  for i in $(seq 1 $SITES); do
    echo "  - id: site-$i"
    echo "    name: Bench site $i"
    echo "    timezone: Europe/Paris"
    echo "    equipment:"
    echo "      - id: boiler"
    echo "        type: boiler"
    echo "        points:"
    echo "          - {name: supply_temp, unit: Cel, category: heat}"
    echo "          - {name: return_temp, unit: Cel, category: heat}"
    echo "          - {name: outdoor_temp, unit: Cel, category: heat}"
    echo "          - {name: pressure, unit: bar, category: equipment}"
    echo "          - {name: burner_on, unit: \"/\", category: equipment}"
  done
  echo "devices:"
  for i in $(seq 1 $SITES); do echo "  - {id: dev-$i, site: site-$i, secret: \"bench-secret-$i\"}"; done
  echo "api-tokens:"
  echo "  - {name: bench-admin, token: \"$TOKEN\", role: admin, sites: [\"*\"]}"
} > "$WORK/portfolio.yaml"
cat > "$WORK/gardien.yaml" <<YAML
data.dir: $WORK/data
http.port: $HTTP_PORT
mqtt.port: $MQTT_PORT
coap.dtls-port: 0
portfolio: $WORK/portfolio.yaml
YAML

"$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC -jar "$ROOT/gateway/target/gardien-gateway.jar" --config "$WORK/gardien.yaml" \
  > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
LOAD_PID=
cleanup() {
  [[ -n "$LOAD_PID" ]] && kill "$LOAD_PID" 2>/dev/null || true
  kill "$GATEWAY_PID" 2>/dev/null || true
  wait "$GATEWAY_PID" 2>/dev/null || true
  if [[ $KEEP == 0 ]]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

bench_await "the gateway" "$GATEWAY_PID" "$WORK/gateway.log" 180 curl -fsS "http://localhost:$HTTP_PORT/health/ready"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo "load average before the run: $(cut -d" " -f1-3 /proc/loadavg)"
echo "$(grep -o 'database: PostgreSQL.*' "$WORK/gateway.log" | head -1)"
echo "rules: $(curl -fsS -H "Authorization: Bearer $TOKEN" "http://localhost:$HTTP_PORT/api/v1/rules" | grep -o '"id":"[^"]*"' | wc -l) active"
echo

echo "=== load: $RATE readings/s in packs of 10, QoS 1, $SITES connections (one per device), warm-up $WARMUP, measured $DURATION"
"${SIM[@]}" load --mqtt "tcp://localhost:$MQTT_PORT" --portfolio "$WORK/portfolio.yaml" \
  --connections "$SITES" --rate "$RATE" --pack-size 10 --qos 1 --warmup "$WARMUP" --duration "$DURATION" \
  --metrics-url "http://localhost:$HTTP_PORT/metrics" --json > "$WORK/load.json" 2> "$WORK/load.err" &
LOAD_PID=$!
# Probe once the load is past its warm-up (a few seconds to connect, then $WARMUP).
sleep 12
if ! kill -0 "$LOAD_PID" 2>/dev/null; then
  echo "the load stopped early:" >&2; cat "$WORK/load.err" >&2; exit 1
fi
echo "=== alert latency: $PROBES probes, one every $INTERVAL, each supply_temp = 150 °C on one boiler"
ALERT_STATUS=0
"${SIM[@]}" alert-latency --mqtt "tcp://localhost:$MQTT_PORT" --http "http://localhost:$HTTP_PORT" \
  --token "$TOKEN" --portfolio "$WORK/portfolio.yaml" --point supply_temp --value 150 \
  --probes "$PROBES" --interval "$INTERVAL" --json > "$WORK/alerts.json" 2> "$WORK/alerts.err" || ALERT_STATUS=$?
if ! kill -0 "$LOAD_PID" 2>/dev/null; then
  echo "WARNING: the load ended before the probes did; lengthen --duration" >&2
fi
LOAD_STATUS=0
wait "$LOAD_PID" || LOAD_STATUS=$?
LOAD_PID=

echo
echo "--- load (gardien-sim load)"
grep -v '^\[load\]' "$WORK/load.err" || true
echo
echo "--- alert latency (gardien-sim alert-latency)"
grep -v '^\[alert-latency\]' "$WORK/alerts.err" || true
echo
echo "load average after the run: $(cut -d" " -f1-3 /proc/loadavg) (1, 5, 15 min; above 2 means other work shared the two cores)"
echo
echo "--- the gateway's counters"
curl -fsS "http://localhost:$HTTP_PORT/metrics" | grep -E '^gardien_(alerts_transitions_total|rules_late_dropped|rules_readings_total|ingest_readings_total\{.*committed)' || true
echo
echo "load json:   $(cat "$WORK/load.json")"
echo "alerts json: $(cat "$WORK/alerts.json")"
if (( LOAD_STATUS != 0 || ALERT_STATUS != 0 )); then
  echo "load exit code $LOAD_STATUS, alert-latency exit code $ALERT_STATUS" >&2
  exit 1
fi
