#!/usr/bin/env bash
# The rule engine benchmark of issue 3 ("≥ 1,000,000 readings/s per core"): the JMH benchmark
# rules/src/jmh/java/fr/gardien/rules/catalog/CatalogBenchmark.java, the full built-in catalog over
# 200 synthetic sites, single-threaded, with the engine's lateness at 5 min (the gateway's default)
# and at 0.
# Compiles the rules module with the Maven profile `jmh` (test classes plus src/jmh/java, JMH's
# annotation processor on the test classpath; nothing of it goes into the jar), then runs
# org.openjdk.jmh.Main in this shell. Arguments go to JMH, e.g.
#   bench/rules.sh -f 2 -wi 3 -i 5          forks, warmup and measurement iterations
#   bench/rules.sh -p latenessMinutes=5     one lateness only
#   bench/rules.sh -prof gc                 allocation per reading
# Environment: MVN_OPTS (e.g. -o for offline), JAVA.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA:-java}"
CP_FILE="$ROOT/rules/target/jmh-classpath.txt"
(cd "$ROOT" && mvn -q -B ${MVN_OPTS:-} -pl rules -Pjmh -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2)
CP="$ROOT/rules/target/test-classes:$ROOT/rules/target/classes:$(cat "$CP_FILE")"
echo "rules benchmark: $(nproc) CPU(s), $("$JAVA" -version 2>&1 | head -n 1)" >&2
exec "$JAVA" -cp "$CP" org.openjdk.jmh.Main 'fr.gardien.rules.catalog.CatalogBenchmark' "$@"
