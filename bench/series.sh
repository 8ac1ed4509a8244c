#!/usr/bin/env bash
# The time-series benchmark of the README's performance section (issue 5):
# one year of quarter-hourly meter indexes for 1,000 points on 1,000 sites (about 35 million
# readings), generated once into a kept data dir with the gateway's embedded PostgreSQL and reused
# on later runs; the hourly and daily rollups built by the gateway's own RollupStore; then, through
# a running gateway over HTTP:
#   1. one point's hourly series for the whole year (bucket=1h, agg=avg), N requests on random
#      points after a warm-up: p50, p95, max;
#   2. the daily consumption of the 1,000 sites over the year (GET /api/v1/energy/consumption,
#      bucket=1d), R runs: each time.
# Options: --requests N (default 200), --runs R (default 5), --data DIR (default data/bench-series),
#          --port P (HTTP port, default 18090).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUESTS=200
RUNS=5
DATA="$ROOT/data/bench-series"
HTTP_PORT=18090
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_options "" --requests=REQUESTS --runs=RUNS --data=DATA --port=HTTP_PORT -- "$@"
JAVA="${JAVA:-java}"
JAR="$ROOT/gateway/target/gardien-gateway.jar"
SITES=1000
TOKEN=bench-energy-token
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

# The portfolio: $SITES sites in Europe/Paris, each with an electricity meter's index (kWh).
if [[ ! -f "$DATA/portfolio.yaml" ]]; then
  {
    echo "sites:"
    for i in $(seq -w 1 $SITES); do
      echo "  - {id: bench-$i, name: Bench site $i, timezone: Europe/Paris, equipment: [{id: meter, type: electricity-meter, points: [{name: energy, unit: kWh, category: energy}]}]}"
    done
    echo "devices: []"
    echo "api-tokens:"
    echo "  - {name: bench-energy, token: \"$TOKEN\", role: energy-analyst, sites: [\"*\"]}"
    echo "  - {name: bench-admin, token: \"bench-admin-token\", role: admin, sites: [\"*\"]}"
  } > "$DATA/portfolio.yaml"
fi
# Ten years' retention: the kept data must not age out between runs. Weekly partitions.
cat > "$DATA/gardien.yaml" <<YAML
data.dir: $DATA
http.port: $HTTP_PORT
mqtt.port: 0
coap.port: 0
coap.dtls-port: 0
portfolio: $DATA/portfolio.yaml
storage.retention: 3650d
storage.partition-interval: 7d
YAML

LOG="$DATA/gateway.log"
"$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC -jar "$JAR" --config "$DATA/gardien.yaml" > "$LOG" 2>&1 &
GATEWAY_PID=$!
cleanup() {
  kill "$GATEWAY_PID" 2>/dev/null || true
  wait "$GATEWAY_PID" 2>/dev/null || true
}
trap cleanup EXIT
bench_await "the gateway" "$GATEWAY_PID" "$LOG" 300 curl -fsS "http://localhost:$HTTP_PORT/health/ready"
DB_URL="$(grep -o 'url: jdbc:postgresql://[^],]*' "$LOG" | head -1 | sed 's/^url: //')"

if [[ ! -f "$DATA/series-range" ]]; then
  TO="$(date -u +%Y-%m-%dT00:00:00Z)"
  FROM="$(date -u -d "$(date -u +%Y-%m-%d) - 365 days" +%Y-%m-%dT00:00:00Z)"
  echo "generating one year of quarter-hourly readings for $SITES points ($FROM .. $TO) into $DATA ..."
  "$JAVA" -Xmx512m -cp "$JAR" "$ROOT/bench/SeriesBenchData.java" "$DB_URL" "$FROM" "$TO"
  echo "$FROM $TO" > "$DATA/series-range"
fi
read -r FROM TO < "$DATA/series-range"

echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo "$(grep -o 'database: .*' "$LOG" | head -1 | cut -c1-120)"
echo "data: $DATA ($FROM .. $TO)"
echo

percentiles() { # reads seconds, one per line
  sort -n | awk '{ v[NR] = $1 * 1000 } END {
    p50 = v[int(NR * 0.50 + 0.999)]; p95 = v[int(NR * 0.95 + 0.999)];
    printf "n=%d  p50=%.1f ms  p95=%.1f ms  max=%.1f ms\n", NR, p50, p95, v[NR] }'
}
point() { printf "bench-%04d/meter/energy" $((RANDOM % SITES + 1)); }

echo "=== 1. one point's hourly series for a year (bucket=1h, agg=avg)"
values="$(curl -fsS -H "Authorization: Bearer $TOKEN" \
  "http://localhost:$HTTP_PORT/api/v1/series?point=$(point)&from=$FROM&to=$TO&bucket=1h&agg=avg" | grep -o '"t"' | wc -l)"
echo "values per answer: $values"
for i in $(seq 1 20); do # warm-up
  curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" \
    "http://localhost:$HTTP_PORT/api/v1/series?point=$(point)&from=$FROM&to=$TO&bucket=1h&agg=avg"
done
for i in $(seq 1 "$REQUESTS"); do
  curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
    "http://localhost:$HTTP_PORT/api/v1/series?point=$(point)&from=$FROM&to=$TO&bucket=1h&agg=avg"
done | percentiles
echo
echo "=== 2. daily consumption of the $SITES sites over the year (energy/consumption, bucket=1d)"
curl -fsS -o "$DATA/consumption.json" -H "Authorization: Bearer $TOKEN" \
  "http://localhost:$HTTP_PORT/api/v1/energy/consumption?category=energy&bucket=1d&from=$FROM&to=$TO"
echo "sites: $(grep -o '"site":' "$DATA/consumption.json" | wc -l), daily values: $(grep -o '"t":' "$DATA/consumption.json" | wc -l), body: $(stat -c %s "$DATA/consumption.json") bytes"
for i in $(seq 1 "$RUNS"); do
  curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
    "http://localhost:$HTTP_PORT/api/v1/energy/consumption?category=energy&bucket=1d&from=$FROM&to=$TO"
done | awk '{ printf "run %d: %.0f ms\n", NR, $1 * 1000 }'
echo
cat <<TXT
The data stays in $DATA for later runs (and the dashboard's page-load benchmark).
To start a gateway on it:
  java -jar $JAR --config $DATA/gardien.yaml      # HTTP on port $HTTP_PORT
  tokens: $TOKEN (energy-analyst), bench-admin-token (admin); points bench-0001/meter/energy .. bench-$SITES/meter/energy
  range: $FROM .. $TO
TXT
