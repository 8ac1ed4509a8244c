# The benchmarks' portfolio (sourced by bench/ingest.sh and bench/cluster.sh): bench_portfolio
# SITES FILE writes SITES sites, each with one device and 10 points named as the built-in rule
# catalog expects (boiler, hot water, ventilation, a climate sensor), so that the rules are bound
# to every point and evaluate every reading while the load runs.
bench_portfolio() {
  local sites="$1" i
  {
    echo "sites:"
    for i in $(seq 1 "$sites"); do
      echo "  - id: site-$i"
      echo "    name: Bench site $i"
      echo "    equipment:"
      echo "      - id: boiler"
      echo "        type: boiler"
      echo "        points:"
      echo "          - {name: supply_temp, unit: Cel, category: heat}"
      echo "          - {name: return_temp, unit: Cel, category: heat}"
      echo "          - {name: outdoor_temp, unit: Cel, category: climate}"
      echo "          - {name: burner_on, unit: \"/\", category: equipment}"
      echo "          - {name: pressure, unit: bar, category: equipment}"
      echo "      - id: hot-water"
      echo "        type: hot-water"
      echo "        points:"
      echo "          - {name: storage_temp, unit: Cel, category: heat}"
      echo "          - {name: loop_return_temp, unit: Cel, category: heat}"
      echo "      - id: vmc"
      echo "        type: ventilation"
      echo "        points:"
      echo "          - {name: fan_on, unit: \"/\", category: equipment}"
      echo "          - {name: pressure_drop, unit: Pa, category: equipment}"
      echo "      - id: hall"
      echo "        type: climate"
      echo "        points:"
      echo "          - {name: temperature, unit: Cel, category: climate}"
    done
    echo "devices:"
    for i in $(seq 1 "$sites"); do echo "  - {id: dev-$i, site: site-$i, secret: \"bench-secret-$i\"}"; done
    echo "api-tokens:"
    echo "  - {name: bench-admin, token: \"bench-admin-token\", role: admin, sites: [\"*\"]}"
  } > "$2"
}
