# What the benchmark scripts share (sourced, not run): their command line (bench_options) and the
# wait for a process they started to be ready (bench_await).

# bench_options HINT SPEC... -- ARGS...: sets the script's variables from ARGS. A SPEC
# --name=VAR takes a value (--name VALUE sets VAR to VALUE); --name=VAR=VALUE takes none (--name
# sets VAR to VALUE). An unknown option, or one without its value, stops the script (exit 2),
# naming HINT when not empty.
bench_options() {
  local hint="$1" spec name rest
  local -A takes=() sets=()
  shift
  while [[ $# -gt 0 && "$1" != -- ]]; do
    spec="$1"
    shift
    name="${spec%%=*}"
    rest="${spec#*=}"
    if [[ "$rest" == *=* ]]; then sets["$name"]="$rest"; else takes["$name"]="$rest"; fi
  done
  shift
  while [[ $# -gt 0 ]]; do
    if [[ -n "$1" && -n "${takes[$1]+set}" ]]; then
      [[ $# -ge 2 ]] || { echo "option $1 needs a value" >&2; exit 2; }
      printf -v "${takes[$1]}" '%s' "$2"
      shift 2
    elif [[ -n "$1" && -n "${sets[$1]+set}" ]]; then
      printf -v "${sets[$1]%%=*}" '%s' "${sets[$1]#*=}"
      shift
    else
      echo "unknown option $1${hint:+ ($hint)}" >&2; exit 2
    fi
  done
}

# bench_await WHAT PID LOG SECONDS CHECK...: runs the command CHECK every 0.5 s until it succeeds
# (e.g. curl -fsS URL/health/ready); stops the script (exit 1) with the end of LOG when PID has
# ended, or SECONDS have passed, first.
bench_await() {
  local what="$1" pid="$2" log="$3" deadline=$((SECONDS + $4))
  shift 4
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS > deadline )) || ! kill -0 "$pid" 2>/dev/null; then
      echo "$what did not start; its log:" >&2; tail -n 50 "$log" >&2; exit 1
    fi
    sleep 0.5
  done
}
