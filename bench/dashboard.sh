#!/usr/bin/env bash
# The dashboard benchmark of the README's performance section (issue 5: "the site page loads in
# < 1 s with one year of 15-minute data for 1,000 points"): loads a site's page in headless
# Chromium (Debian's chromium and chromedriver, driven by Selenium) again and again and prints
# Navigation Timing's loadEventEnd and the time until every chart of the page has drawn, per
# range (day, week, month). The driver is gateway/src/test/java/fr/gardien/gateway/dashboard/SitePageBenchmark.java.
#
# Three ways to point it at data:
#   bench/dashboard.sh --url URL --token TOKEN --site ID        a gateway already running
#   bench/dashboard.sh --data-dir DIR --token TOKEN --site ID [--portfolio FILE]
#                      starts the gateway on that data dir (embedded PostgreSQL; the portfolio
#                      defaults to DIR/portfolio.yaml), e.g. data/bench-series from bench/series.sh
#   bench/dashboard.sh [--days N]   (default) a fresh gateway with one site of 20 points, filled
#                      with N days (default 365) of 15-minute readings over HTTP
# Other options: --runs N (loads per range after the first, default 10), --ranges day,week,month,
#                --keep (keep the generated data dir). Environment: JAVA, MVN_OPTS, BENCH_HTTP_PORT.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA:-java}"
URL="" TOKEN="" SITE="" DATA_DIR="" PORTFOLIO="" DAYS=365 RUNS=10 RANGES=day,week,month KEEP=0
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_options "see the header of $0" --url=URL --token=TOKEN --site=SITE --data-dir=DATA_DIR --portfolio=PORTFOLIO \
  --days=DAYS --runs=RUNS --ranges=RANGES --keep=KEEP=1 -- "$@"
command -v chromium >/dev/null && command -v chromedriver >/dev/null || {
  echo "chromium and chromedriver are needed (apt-get install chromium chromium-driver)" >&2; exit 1; }

# The driver and its classpath (Selenium is a test dependency of the gateway).
CP_FILE="$ROOT/gateway/target/bench-classpath.txt"
(cd "$ROOT" && mvn -q -B ${MVN_OPTS:-} -pl gateway -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2)
CP="$ROOT/gateway/target/test-classes:$ROOT/gateway/target/classes:$(cat "$CP_FILE")"

SEED=()
GATEWAY_PID="" WORK=""
cleanup() {
  if [[ -n "$GATEWAY_PID" ]]; then kill "$GATEWAY_PID" 2>/dev/null || true; wait "$GATEWAY_PID" 2>/dev/null || true; fi
  if [[ -n "$WORK" ]]; then if [[ $KEEP == 0 ]]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi; fi
}
trap cleanup EXIT

if [[ -z "$URL" ]]; then
  [[ -f "$ROOT/gateway/target/gardien-gateway.jar" ]] || (cd "$ROOT" && mvn -q -B ${MVN_OPTS:-} -DskipTests package >&2)
  PORT="${BENCH_HTTP_PORT:-18095}"
  URL="http://127.0.0.1:$PORT"
  if [[ -n "$DATA_DIR" ]]; then
    [[ -n "$TOKEN" && -n "$SITE" ]] || { echo "--data-dir needs --token and --site" >&2; exit 2; }
    PORTFOLIO="${PORTFOLIO:-$DATA_DIR/portfolio.yaml}"
    CONFIG_DIR="$(mktemp -d /tmp/gardien-bench-dashboard.XXXXXX)"
    WORK="$CONFIG_DIR"
    DATA="$(cd "$DATA_DIR" && pwd)"
  else
    WORK="$(mktemp -d /tmp/gardien-bench-dashboard.XXXXXX)"
    DATA="$WORK/data"
    TOKEN=bench-dashboard-token SITE=bench-site PORTFOLIO="$WORK/portfolio.yaml"
    cat > "$PORTFOLIO" <<'YAML'
sites:
  - id: bench-site
    name: Résidence du banc d'essai
    timezone: Europe/Paris
    equipment:
      - {id: boiler-1, type: boiler, points: [{name: supply_temp, unit: Cel, category: heat}, {name: return_temp, unit: Cel, category: heat},
          {name: outdoor_temp, unit: Cel, category: heat}, {name: pressure, unit: bar, category: equipment}, {name: burner_on, unit: "/", category: equipment}]}
      - {id: ecs-1, type: hot-water, points: [{name: storage_temp, unit: Cel, category: heat}, {name: loop_return_temp, unit: Cel, category: heat}]}
      - {id: vmc-1, type: ventilation, points: [{name: fan_on, unit: "/", category: equipment}, {name: pressure_drop, unit: Pa, category: equipment}]}
      - {id: water-1, type: water-meter, points: [{name: flow, unit: m3/h, category: water}]}
      - {id: elec-1, type: electricity-meter, points: [{name: power, unit: W, category: energy}]}
      - {id: hall, type: climate, points: [{name: temperature, unit: Cel, category: climate}, {name: humidity, unit: "%RH", category: climate}, {name: co2, unit: ppm, category: climate}]}
      - {id: laundry, type: climate, points: [{name: temperature, unit: Cel, category: climate}, {name: humidity, unit: "%RH", category: climate}, {name: co2, unit: ppm, category: climate}]}
      - {id: bikes, type: climate, points: [{name: temperature, unit: Cel, category: climate}, {name: humidity, unit: "%RH", category: climate}, {name: co2, unit: ppm, category: climate}]}
devices:
  - {id: bench-device, site: bench-site, secret: "bench-device-secret"}
api-tokens:
  - {name: bench-admin, token: "bench-dashboard-token", role: admin, sites: ["*"]}
YAML
    SEED=(--seed-days "$DAYS" --device bench-device --secret bench-device-secret)
  fi
  cat > "$WORK/gardien.yaml" <<YAML
data.dir: $DATA
http.host: 127.0.0.1
http.port: $PORT
mqtt.host: 127.0.0.1
mqtt.port: 0
portfolio: $(cd "$(dirname "$PORTFOLIO")" && pwd)/$(basename "$PORTFOLIO")
YAML
  "$JAVA" -Xms512m -Xmx512m -jar "$ROOT/gateway/target/gardien-gateway.jar" --config "$WORK/gardien.yaml" > "$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  bench_await "the gateway" "$GATEWAY_PID" "$WORK/gateway.log" 180 curl -fsS "$URL/health/ready"
fi
[[ -n "$TOKEN" && -n "$SITE" ]] || { echo "--url needs --token and --site" >&2; exit 2; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "browser: $(chromium --version 2>/dev/null | head -1); gateway: $URL"
"$JAVA" -cp "$CP" fr.gardien.gateway.dashboard.SitePageBenchmark --url "$URL" --token "$TOKEN" --site "$SITE" \
  --runs "$RUNS" --ranges "$RANGES" "${SEED[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (above 2: other work shared the two cores)"
