#!/usr/bin/env bash
# The ingestion benchmark of two builds side by side, in one invocation (issue 12: "behaviour
# unchanged, the same figures within the machine's noise"):
#   ./gardien bench compare REV [--rounds N] [ingest options, e.g. --duration 30s]
# exports commit REV (git archive) into ~/.cache/gardien-compare/REV (outside this checkout), builds its jars there (tests skipped),
# then runs bench/ingest.sh of REV and of this checkout in turn, N rounds (default 1: REV first,
# then this checkout; with 2 rounds the order alternates, so that neither build always runs on the
# warmer machine), and ends with the figures of each run side by side.
# Both builds are driven by THIS checkout's load generator: its gardien-sim.jar is copied over
# REV's before REV's runs (REV's ingest.sh passes `load` the same options: checked for 370b14d), so
# that the comparison measures the gateways, not two generators sharing the machine with them.
# GARDIEN_LOAD_CLIENT (vertx or paho) reaches that generator in both builds' runs alike.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: ./gardien bench compare REV [--rounds N] [--duration D] [--connections N]" >&2; exit 2
fi
REV="$(git -C "$ROOT" rev-parse --short "$1^{commit}")" || { echo "unknown revision $1" >&2; exit 2; }
shift
ROUNDS=1
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
HEAD_REV="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+changes')"
OLD="${XDG_CACHE_HOME:-$HOME/.cache}/gardien-compare/$REV"
if [[ ! -f "$OLD/gateway/target/gardien-gateway.jar" || ! -f "$OLD/device-sim/target/gardien-sim.jar" ]]; then
  echo "building $REV in $OLD (tests skipped)..."
  rm -rf "$OLD" && mkdir -p "$OLD"
  git -C "$ROOT" archive "$REV" | tar -x -C "$OLD"
  (cd "$OLD" && { mvn -q -B -o -DskipTests package || mvn -q -B -DskipTests package; })
fi
LOGS="$(mktemp -d /tmp/gardien-compare.XXXXXX)"
SIM_JAR="$ROOT/device-sim/target/gardien-sim.jar"
run() { # label dir round
  echo "=============== $1 (round $3) ==============="
  if [[ "$2" != "$ROOT" ]]; then
    cp "$SIM_JAR" "$2/device-sim/target/gardien-sim.jar"
    echo "load generator: this checkout's ($HEAD_REV)"
  fi
  # The older build's script prints "commit: unknown" (its export is no git checkout): named here.
  "$2/bench/ingest.sh" "${ARGS[@]}" 2>&1 | tee "$LOGS/$1.$3.log"
  echo
}
for ((r = 1; r <= ROUNDS; r++)); do
  if (( r % 2 == 1 )); then run "$REV" "$OLD" "$r"; run "$HEAD_REV" "$ROOT" "$r"
  else run "$HEAD_REV" "$ROOT" "$r"; run "$REV" "$OLD" "$r"; fi
done

figure() { # log run-number row-name
  awk -v run="=== run $2:" -v row="$3" '
    index($0, run) == 1 { on = 1; next }
    /^=== / { on = 0 }
    on && index($0, row) == 1 { sub("^" row " *", ""); print; exit }' "$1"
}
echo "=============== side by side ($REV = the older build, $HEAD_REV = this checkout)"
for n in 1 2 3; do
  case $n in
    1) echo "run 1: packs of 50, as fast as PUBACKs allow" ;;
    2) echo "run 2: one record per message" ;;
    3) echo "run 3: packs of 50 at half run 1's rate" ;;
  esac
  for log in "$LOGS"/*.log; do
    label="$(basename "$log" .log)"
    printf '  %-22s readings %s | PUBACK %s | slowest %s | gateway/COPY %s\n' "$label" \
      "$(figure "$log" $n 'readings acknowledged' | sed 's/.*(\(.*\))/\1/')" \
      "$(figure "$log" $n 'PUBACK latency ms')" \
      "$(figure "$log" $n 'slowest 1 s window' | cut -d'(' -f1)" \
      "$(figure "$log" $n 'gateway / COPY')"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); logs in $LOGS"
