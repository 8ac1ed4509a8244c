#!/usr/bin/env bash
# The cluster benchmark of the README's performance section (issue 13):
#   ./gardien bench cluster [--duration 60s] [--connections 100] [--partitions 24] [--keep]
# On this one machine, the same portfolio and load generator as bench/ingest.sh (100 sites × 10
# points, the rules bound to every point), packs of 50 records over MQTT 3.1.1 QoS 1:
#   1. the single process (cluster.role all, embedded PostgreSQL) as fast as PUBACKs allow: the
#      figure the cluster is compared with, in the same run;
#   2. a Kafka broker (./gardien kafka), two workers (the first owns the embedded PostgreSQL, the
#      second reaches it by its URL) and one edge: the load against the edge as fast as PUBACKs
#      allow (a PUBACK means Kafka has the pack);
#   3. the same cluster at half the rate of run 2, for the PUBACK latency and the slowest 1 s window.
# While runs 2 and 3 go, the edge's acknowledged readings, the workers' stored readings and their
# consumer lag are sampled every 200 ms; after each run the script prints how long after the
# edge's last acknowledgement the workers had stored every acknowledged reading (from then on the
# consumer lag is zero, so under a second: the issue's criterion is met at the latest then).
# GARDIEN_BENCH_JAVA_OPTS adds JVM options to every gateway (e.g. a flight recording per process).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=60s
CONNECTIONS=100
PARTITIONS=24
KEEP=0
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_options "" --duration=DURATION --connections=CONNECTIONS --partitions=PARTITIONS --keep=KEEP=1 -- "$@"
JAVA="${JAVA:-java}"
GATEWAY_JAR="$ROOT/gateway/target/gardien-gateway.jar"
WORK="$(mktemp -d /tmp/gardien-bench-cluster.XXXXXX)"
SITES=100
EDGE_HTTP=18080
MQTT_PORT=11883
WORKER1_HTTP=18081
WORKER2_HTTP=18082
KAFKA_PORT=19092
for port in $EDGE_HTTP $MQTT_PORT $WORKER1_HTTP $WORKER2_HTTP $KAFKA_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "something already answers on port $port (another benchmark?): stop it first" >&2; exit 1
  fi
done

# shellcheck source=bench/portfolio.sh
source "$ROOT/bench/portfolio.sh"
bench_portfolio "$SITES" "$WORK/portfolio.yaml"
cat > "$WORK/gardien.yaml" <<YAML
http.port: $EDGE_HTTP
mqtt.port: $MQTT_PORT
coap.dtls-port: 0
portfolio: $WORK/portfolio.yaml
cluster.kafka:
  bootstrap-servers: localhost:$KAFKA_PORT
  topic: gardien.bench
  partitions: $PARTITIONS
YAML

PIDS=()
cleanup() {
  local i
  [[ -n "${POLLER:-}" ]] && kill "$POLLER" 2>/dev/null || true
  # Edge first, then the workers, the database's owner last, then the broker.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  if [[ $KEEP == 0 ]]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

# name role http-port [extra environment...]: a gateway of that role on the file above.
gateway() {
  local name="$1" role="$2" port="$3"
  shift 3
  env GARDIEN_HTTP_PORT="$port" "$@" "$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC ${GARDIEN_BENCH_JAVA_OPTS:-} -jar "$GATEWAY_JAR" \
    --config "$WORK/gardien.yaml" --role "$role" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  bench_await "$name" $! "$WORK/$name.log" 180 curl -fsS "http://localhost:$port/health/ready"
}

load() { # json-file load options...
  local out="$1"
  shift
  "$JAVA" -jar "$ROOT/device-sim/target/gardien-sim.jar" load --mqtt "tcp://localhost:$MQTT_PORT" \
    --portfolio "$WORK/portfolio.yaml" --connections "$CONNECTIONS" --duration "$DURATION" --warmup 10s \
    --metrics-url "http://localhost:$EDGE_HTTP/metrics" --pack-size 50 --qos 1 --json "$@" > "$out"
}

json() { # file key: the first number after "key":
  grep -o "\"$2\":[0-9.]*" "$1" | head -1 | cut -d: -f2
}

# The sum of a metric's samples at a URL (0 when absent).
metric_sum() { # url metric-regex
  curl -fsS "$1" 2>/dev/null | awk -v re="$2" '$0 ~ re { s += $NF } END { printf "%d\n", s }'
}

# Every 200 ms: epoch ms, readings the edge acknowledged, readings the workers stored, records of
# the log the workers have not fetched yet.
poll() {
  local w1="http://localhost:$WORKER1_HTTP/metrics" w2="http://localhost:$WORKER2_HTTP/metrics"
  while true; do
    echo "$(date +%s%3N) $(metric_sum "http://localhost:$EDGE_HTTP/metrics" '^gardien_ingest_readings_total.*outcome="committed"')" \
      "$(( $(metric_sum "$w1" '^gardien_cluster_consumer_stored_readings_total') + $(metric_sum "$w2" '^gardien_cluster_consumer_stored_readings_total') ))" \
      "$(( $(metric_sum "$w1" '^gardien_cluster_consumer_lag_records') + $(metric_sum "$w2" '^gardien_cluster_consumer_lag_records') ))"
    sleep 0.2
  done
}

# After a run: waits (60 s at most) until the workers have stored every reading the edge
# acknowledged, then prints how long after the edge's last acknowledgement that was, and the
# largest lag (records not fetched) seen during the run.
drained() { # samples-file
  local deadline=$((SECONDS + 60))
  until tail -n 5 "$1" | awk 'NR == 1 { c = $2 } $2 != c || $3 < $2 { bad = 1 } END { exit (NR < 5 || bad) }'; do
    if (( SECONDS > deadline )); then break; fi
    sleep 0.5
  done
  awk '
    NR == 1 { prev = $2; first_t = $1; first_stored = $3 }
    $3 > first_stored && !moving { moving = $1; moving_stored = $3 }
    $2 != prev { last_ack = $1; at_ack = $3; caught = 0; prev = $2 }
    $4 > max { max = $4 }
    last_ack && $3 >= $2 && !caught { caught = $1; caught_stored = $3 }
    last_ack && $3 < $2 { caught = 0 }
    END {
      if (!last_ack) { print "no acknowledgement seen by the sampler"; exit }
      if (!caught) { printf "the workers did NOT store every acknowledged reading within 60 s (%d of %d)\n", $3, $2; exit }
      printf "every acknowledged reading stored %.1f s after the edge'"'"'s last acknowledgement (%d readings; largest lag during the run: %d records)\n", (caught - last_ack) / 1000, $2, max
      if (caught > moving) printf "the workers stored %.0f readings/s on average from their first to their last (%.0f per worker)\n", (caught_stored - moving_stored) / ((caught - moving) / 1000), (caught_stored - moving_stored) / ((caught - moving) / 1000) / 2
      backlog = $2 - at_ack
      if (backlog > 0 && caught > last_ack) printf "backlog at the last acknowledgement: %d readings, stored in %.1f s: %.0f readings/s (%.0f per worker), the workers alone\n", backlog, (caught - last_ack) / 1000, backlog / ((caught - last_ack) / 1000), backlog / ((caught - last_ack) / 1000) / 2
    }' "$1"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo " (with uncommitted changes)"), $(date -u +%Y-%m-%dT%H:%MZ), load average before: $(cut -d" " -f1-3 /proc/loadavg)"
echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo

echo "=== run 1: the single process (role all), packs of 50 records, QoS 1, $CONNECTIONS connections, max rate"
gateway single all "$EDGE_HTTP" GARDIEN_DATA_DIR="$WORK/single"
load "$WORK/run1.json"
SINGLE_RATE="$(json "$WORK/run1.json" readingsPerSecond)"
kill "${PIDS[0]}"
wait "${PIDS[0]}" 2>/dev/null || true
PIDS=()
echo

echo "=== the cluster: Kafka broker, worker 1 (embedded PostgreSQL), worker 2, edge; topic of $PARTITIONS partitions"
"$JAVA" -Xmx512m -Dlogback.configurationFile=gardien-kafka-logback.xml \
  -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
  -jar "$ROOT/cluster/target/gardien-kafka.jar" --port "$KAFKA_PORT" --data "$WORK/kafka" > "$WORK/kafka.log" 2>&1 &
PIDS+=($!)
bench_await "the broker" "${PIDS[0]}" "$WORK/kafka.log" 120 grep -q 'Kafka broker ready' "$WORK/kafka.log"
gateway worker-1 worker "$WORKER1_HTTP" GARDIEN_DATA_DIR="$WORK/cluster"
DB_URL="$(grep -o 'url: jdbc:postgresql://[^],]*' "$WORK/worker-1.log" | head -1 | sed 's/^url: //')"
gateway worker-2 worker "$WORKER2_HTTP" GARDIEN_DB_URL="$DB_URL" GARDIEN_DB_USER=postgres
gateway edge edge "$EDGE_HTTP" GARDIEN_DB_URL="$DB_URL" GARDIEN_DB_USER=postgres
echo "$(grep -o 'database: PostgreSQL.*' "$WORK/worker-1.log" | head -1)"
echo

echo "=== run 2: the cluster, packs of 50 records, QoS 1, $CONNECTIONS connections to the edge, max rate"
poll > "$WORK/run2.samples" & POLLER=$!
load "$WORK/run2.json"
drained "$WORK/run2.samples"
kill "$POLLER"; POLLER=
CLUSTER_RATE="$(json "$WORK/run2.json" readingsPerSecond)"
HALF=$(( ${CLUSTER_RATE%.*} / 2 ))
echo

echo "=== run 3: the cluster at half that rate: $HALF readings/s"
poll > "$WORK/run3.samples" & POLLER=$!
load "$WORK/run3.json" --rate "$HALF"
drained "$WORK/run3.samples"
kill "$POLLER"; POLLER=
echo

echo "=== summary (issue 13 targets: >= 60,000 readings/s in cluster mode; PUBACK p99 < 200 ms at half rate;"
echo "    lag under 1 s within 10 s after the load stops)"
awk -v c="$CLUSTER_RATE" -v s="$SINGLE_RATE" 'BEGIN { printf "cluster %.0f readings/s, single process %.0f readings/s: ratio %.2f\n", c, s, (s > 0 ? c / s : 0) }'
echo "half rate: PUBACK p99 $(grep -o '"p99":[0-9.]*' "$WORK/run3.json" | cut -d: -f2) ms, slowest 1 s window $(json "$WORK/run3.json" slowestReadingsPerSecond) readings/s, rate reached: $(grep -o '"rateReached":[a-z]*' "$WORK/run3.json" | cut -d: -f2)"
echo "the workers' counters:"
for port in $WORKER1_HTTP $WORKER2_HTTP; do
  curl -fsS "http://localhost:$port/metrics" | grep -E '^gardien_cluster_consumer_(partitions|fenced_batches)|^gardien_rules_readings_total' \
    | sed "s/^/  worker on $port: /" || true
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
