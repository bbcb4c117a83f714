#!/usr/bin/env bash
# Benchmark (issue: declarative spec): wall time of `brickyard apply` from bare lab hosts to started
# volumes, versus serial-recipe.sh doing the same steps one after another; and the no-op apply.
# Run as root on an otherwise idle machine: bench/apply-vs-script.sh [NODES...] (default: 2 4). Results: docs/benchmarks.md
set -euo pipefail
cd "$(dirname "$0")/.."
B=bin/brickyard
RUNS=${RUNS:-3}
spec=$(mktemp --suffix=.yaml)
t() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }; awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{print b-a}'; }
nodes=("$@"); [ ${#nodes[@]} -gt 0 ] || nodes=(2 4)
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1 /proc/loadavg)"
for N in "${nodes[@]}"; do
  bench/lab-spec.sh "$N" > "$spec"
  for r in $(seq 1 "$RUNS"); do
    $B lab up --nodes "$N" >/dev/null
    # An admin's CLI has run before: the first coordinator command after a build records the
    # launcher's AppCDS archive (deploy/bin/brickyard), which must not be timed as an apply.
    $B nodes >/dev/null 2>&1 || true
    a=$(t $B apply -f "$spec" --yes --progress plain)
    n=$(t $B apply -f "$spec" --yes)
    $B lab down >/dev/null
    $B lab up --nodes "$N" >/dev/null
    s=$(t bench/serial-recipe.sh "$N")
    $B lab down >/dev/null
    printf 'nodes=%d run=%d apply=%.1fs serial_script=%.1fs noop_apply=%.1fs\n' "$N" "$r" "$a" "$s" "$n"
  done
done
rm -f "$spec"
